"""Sources & methods as a pure function: the methods (with the checks that show them, computed in
`analysis.prevalence`) and every table of the data package with its definition, caveats,
sources and licence, each downloadable as CSV."""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis import catalogue, data, disclosure
from analysis import natural_course as nc
from analysis import prevalence as p
from analysis.metadata import DATA_VERSION
from analysis.vocabulary import COMPLAINT_DURATIONS, MEN, WOMEN
from dashboard.export import package_csv_bytes
from dashboard.i18n import number, t
from dashboard.params import POPULATION_YEARS
from dashboard.views.page import Details, Download, PageView, Section, Table, Text
from dashboard.words import home_working as home_working_words
from dashboard.words import prevalence as prevalence_words
from dashboard.words import say
from dashboard.words.patients import duration

PATH = "sources"
CONTROLS: dict[str, tuple[str, ...]] = {"methods": (), "tables": ()}


def _labels(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    # (`level`: the natural course's interval columns are at Costa's published level)
    return {
        col: t(f"sources.col.{col.replace(' ', '_')}", lang, level=nc.LEVEL_PCT)
        for col in frame.columns
    }


def _table(frame: pd.DataFrame, lang: str, links: tuple[str, ...] = ()) -> Table:
    return Table(frame, _labels(frame, lang), links)


def _csv(resource: dict) -> bytes:
    return package_csv_bytes(
        pd.read_csv(data.DATA_DIR / resource["path"], dtype=str, keep_default_na=False),
        [f["name"] for f in resource["schema"]["fields"] if f["type"] == "string"],
    )


def methods(lang: str) -> tuple[tuple, tuple]:
    """The methods text, filled from the denominator checks and the age-table estimates."""
    totals, population = data.load("gp_prevalence_totals"), data.load("population")
    checks = p.denominator_checks(totals, population)
    summary = p.denominator_summary(checks)
    year = p.AGE_TABLE_YEAR
    published = p.published_totals(totals)
    rates = p.age_rates(data.load("gp_prevalence_age_sex"), year)
    found = p.age_findings(p.estimated_persons_by_age(rates, population), published, "persons")
    figures = p.year_figures(published)
    comparison = pd.DataFrame(
        {
            "year": [c.year for c in checks],
            "sex": [t(f"sex.{c.sex}", lang) for c in checks],
            "denominator": [
                t(f"methods.denominator_{c.denominator}", lang, year=c.year, next=c.year + 1)
                for c in checks
            ],
            "persons": [c.persons.value for c in checks],
            "population": [c.population.value for c in checks],
            "rate_per_1000": [round(c.recomputed.value, 3) for c in checks],
            "published_rate_per_1000": [c.published.value for c in checks],
            "reproduces": [c.reproduces for c in checks],
        }
    )
    blocks = (
        Text(
            t(
                "methods.denominators",
                lang,
                reproduced=summary.reproduced_mean,
                checked=summary.checked,
                reproduced_1jan=summary.reproduced_1jan,
            )
        ),
        _table(comparison, lang),
        Text(t("methods.table_caption", lang), "caption"),
        Text(
            t(
                "methods.age",
                lang,
                year=year,
                next=found.population_years[1],
                unread=prevalence_words.years(p.UNREAD_AGE_TABLE_YEARS, lang),
                groups=found.groups,
                men=say(found.unrounded[MEN], lang),
                women=say(found.unrounded[WOMEN], lang),
                published_men=say(figures[(year, MEN)].persons, lang),
                published_women=say(figures[(year, WOMEN)].persons, lang),
            )
        ),
        # Reference prose: definitions and methods, no findings.
        Text(t("methods.standardisation", lang), "prose"),
        Text(
            t(
                "methods.catchment",
                lang,
                year=year,
                first_year=min(POPULATION_YEARS),
                last_year=max(POPULATION_YEARS),
            ),
            "prose",
        ),
        Text(_breaks(lang), "prose"),
        Text(t("methods.clinic", lang, threshold=disclosure.min_cell_size()), "prose"),
    )
    course_blocks, course_facts = natural_course_method(lang)
    facts = (*checks, summary, found, figures[(year, MEN)], figures[(year, WOMEN)])
    return blocks + course_blocks, (*facts, *course_facts)


def _breaks(lang: str) -> str:
    """The paragraph on series never joined, the CBS question's years from the data package."""
    stated = home_working_words.statements()
    old = stated["cbs_ebb_usually_or_occasionally"]
    new = stated["cbs_ebb_most_of_time_or_sometimes"]
    return t(
        "methods.breaks",
        lang,
        old_from=old["asked_from"],
        old_until=old["asked_until"],
        new_from=new["asked_from"],
    )


# The columns of the expected-ratio table on the page, in order (all from nc.expected_ratios).
_RATIO_SHOWN = (
    "cohort", "week", "mean", "mean_low", "mean_high", "ratio", "ratio_low", "ratio_high",
    "figure_ids", "source_url",
)  # fmt: skip


def natural_course_method(lang: str) -> tuple[tuple, tuple]:
    """The derivation of the expected natural-course curve (`analysis.natural_course`): its
    text, and the ratio table computed by `expected_ratios` (the facts the text is written
    from)."""
    benchmarks = data.load("outcome_benchmarks")
    ratios = nc.expected_ratios(benchmarks)
    found = nc.method(benchmarks)
    acute_6w = ratios[(ratios["cohort"] == "acute") & (ratios["week"] == found.headline_week)]
    shown = ratios[list(_RATIO_SHOWN)].copy()
    # The cohorts' durations as Costa publishes them; the clinic's from its own definitions.
    populations = dict(zip(ratios["cohort"], ratios["population"], strict=False))
    shown["cohort"] = [
        t("methods.course_cohort", lang, cohort=t(f"methods.course_cohort_{c}", lang),
          population=populations[c])
        for c in shown["cohort"]
    ]  # fmt: skip
    for col in ("ratio", "ratio_low", "ratio_high"):
        shown[col] = shown[col].round(3)
    shown = shown.rename(columns={"source_url": "url"})
    last, *first = reversed([str(w) for w in found.weeks])
    weeks = t("methods.course_and", lang, first=", ".join(reversed(first)), last=last)
    fill = {
        "costa": found.costa,
        "costa_year": found.costa_year,
        "scale": found.scale,
        "weeks": weeks,
        "week": found.headline_week,
        "z": number(found.z, lang, 2),
        "level": nc.LEVEL_PCT,
        "min_episodes": found.min_episodes,
        "pengel": found.pengel,
        "pengel_year": found.pengel_year,
        "pengel_drop": say(found.pengel_drop, lang),
        "acute_ratio": number(float(acute_6w["ratio"].iloc[0]), lang, 2),
        **{f"{group}_weeks": duration(group, lang) for group in COMPLAINT_DURATIONS},
        **{f"{cohort}_population": populations[cohort] for cohort in nc.COHORTS},
    }
    blocks = (
        Text(t("methods.course_heading", lang), "subheader"),
        Text(t("methods.course_what", lang, **fill)),
        _table(shown, lang, links=("url",)),
        Text(t("methods.course_table_caption", lang, **fill), "caption"),
        Text(t("methods.course_interval", lang, **fill)),
        Text(t("methods.course_limits", lang, **fill)),
        Text(t("methods.course_pengel", lang, **fill)),
        Text(t("methods.course_not_proof", lang, **fill), "strong"),
    )
    return blocks, (ratios, found)


def _resource(package: dict, resource: dict, rows: int, lang: str) -> Details:
    name = resource["name"]
    blocks: list = [
        Text(f"**{t('sources.description', lang)}.** {resource['description']}"),
        Text(f"**{t('sources.caveats', lang)}**"),
    ]
    blocks += [
        Text(f"- {catalogue.caveat_text(package, key, lang)}")
        for key in resource.get("caveats", [])
    ]
    cited = [k for k in catalogue.row_caveats(data.load(name)) if k not in resource["caveats"]]
    if cited:
        blocks.append(Text(f"**{t('sources.row_caveats', lang)}**"))
        blocks += [Text(f"- `{key}`: {catalogue.caveat_text(package, key, lang)}") for key in cited]
    licences = "; ".join(f"{lic['title']} — {lic['attribution']}" for lic in resource["licenses"])
    blocks += [
        Text(f"**{t('sources.sources', lang)}**"),
        _table(catalogue.sources_table(resource), lang, links=("url",)),
        Text(f"**{t('sources.licence', lang)}.** {licences}"),
        Text(f"**{t('sources.columns', lang)}**"),
        _table(catalogue.columns_table(resource), lang),
        Download(t("sources.download", lang, name=name), f"{name}.csv", partial(_csv, resource)),
    ]
    title = catalogue.resource_title(resource, lang)
    return Details(
        f"{title} · `{name}` · {t('sources.rows', lang, rows=rows)}", tuple(blocks), key=name
    )


def view(lang: str) -> PageView:
    """The Sources & methods page in `lang`."""
    package = data.descriptor()
    counts = {name: len(data.load(name)) for name in data.resource_names()}
    summary = t(
        "sources.package_summary",
        lang,
        tables=len(counts),
        rows=number(sum(counts.values()), lang),
        version=DATA_VERSION,
    )
    method_blocks, facts = methods(lang)
    caveats = Details(
        t("sources.caveat_list", lang),
        tuple(
            Text(f"**`{key}`** — {catalogue.caveat_text(package, key, lang)}")
            for key in package["caveats"]
        ),
    )
    tables = (
        _table(catalogue.resources_table(package, counts, lang), lang),
        caveats,
        *(_resource(package, r, counts[r["name"]], lang) for r in package["resources"]),
    )
    return PageView(
        path=PATH,
        title=t("sources.title", lang),
        intro=t("sources.intro", lang),
        notices=(Text(f"{summary} {t('sources.missing_note', lang)}", "caption"),),
        sections=(
            Section("methods", method_blocks, heading=t("methods.heading", lang)),
            Section("tables", tables, heading=t("sources.overview_heading", lang)),
        ),
        facts=facts,
    )
