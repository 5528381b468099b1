"""Home working, the covid-19 measures, care use and musculoskeletal complaints of workers.

Pure functions over the data package's tables (DataFrame in, DataFrame out). They select and
reshape published figures; they never interpolate, never join series across a change of
definition, and never give an event a date its source did not print. A value the source did not
publish stays missing. Each selection asserts what it assumes, so a changed table fails loudly
here rather than drawing a wrong chart.

The facts at the end include the check of the clinic website's covid sentence
(`covid_claim_check`): one record per source of national evidence and a verdict by a fixed rule
(`claim_verdict`).

No published value is changed in this module. Derived columns are positions only: ``x`` is the
middle of a figure's period (where an annual figure sits on a time axis), and the break date is
the first day of the first period measured with the new definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.facts import Change, Quantity, decimals_of, qualifier_of

# -- home-working shares ---------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """Which rows of `homeworking` form one headline series: the share of employed people in
    the Netherlands who work at home at all, as one producer defines it."""

    definition: str
    homework_indicator: str
    group: str


# In time order within each producer. CBS: "usually or occasionally" (EBB 2013-2020, 83258NED),
# then "most of the time or sometimes" (from 2021), a different question. Eurostat: "usually"
# (at least half of the days worked), and "usually or sometimes", of which only 2023 is stored.
HEADLINE_SERIES = (
    Series("cbs_ebb_usually_or_occasionally", "works_at_home", "total"),
    Series("cbs_ebb_most_of_time_or_sometimes", "works_at_home", "total"),
    Series("eurostat_usually", "usually_at_home", "NL total"),
    Series("eurostat_at_least_occasionally", "works_at_home", "NL total"),
)
HEADLINE_DEFINITIONS = tuple(s.definition for s in HEADLINE_SERIES)
SHARE_MEASURE = "share_pct"

_YEAR = re.compile(r"^[0-9]{4}$")


def _midpoint(start: pd.Series, end: pd.Series) -> pd.Series:
    """The middle day of each period: where a figure for that period sits on a time axis."""
    return (start + (end - start) / 2).dt.floor("D")


def _one_per_period(rows: pd.DataFrame, keys: list[str], what: str) -> pd.DataFrame:
    """Keep one figure per period when several sources publish it: a row with a value before
    one without, a primary source before a secondary one, an exact figure before a verbal one
    ('just over 34'); the rows left must agree, else the data need a decision, not a guess."""
    ranked = rows.assign(
        _no_value=rows["value"].isna(),
        _secondary=rows["source_type"].astype("string") != "primary",
        _verbal=rows["value_qualifier"].notna(),
    ).sort_values([*keys, "_no_value", "_secondary", "_verbal"], kind="stable")
    best = ranked.groupby(keys, sort=False, observed=True).head(1)
    for _, group in ranked.groupby(keys, sort=False, observed=True):
        top = group.iloc[0]
        ties = group[
            (group["_no_value"] == top["_no_value"])
            & (group["_secondary"] == top["_secondary"])
            & (group["_verbal"] == top["_verbal"])
        ]
        values = ties["value"]
        agree = values.isna().all() or bool((values == values.iloc[0]).all())
        assert agree, (
            f"{what}: equally good sources disagree for "
            f"{dict(zip(keys, (top[k] for k in keys), strict=True))}: "
            f"{ties[['figure_id', 'value']].to_dict('records')}"
        )
    return best.drop(columns=["_no_value", "_secondary", "_verbal"])


def definition_statements(definitions: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Each definition's years, StatLine table and ages as the sources state them (the table
    `homeworking_definitions`), as the text a label prints; a value no source states is left
    out, so a label that needs it fails instead of printing a guess."""
    columns = ("asked_from", "asked_until", "cbs_table_id", "age_min", "age_max")
    return {
        row["definition"]: {c: str(row[c]) for c in columns if pd.notna(row[c])}
        for _, row in definitions.iterrows()
    }


def home_working_share(homeworking: pd.DataFrame) -> pd.DataFrame:
    """The annual share of employed people who work at home, one series per definition
    (`HEADLINE_SERIES`), one row per year, values as published; the chart draws each series
    separately because the definitions measure different things."""
    picked = []
    for series in HEADLINE_SERIES:
        rows = homeworking[
            (homeworking["definition"] == series.definition)
            & (homeworking["homework_indicator"] == series.homework_indicator)
            & (homeworking["group"] == series.group)
            & (homeworking["measure"] == SHARE_MEASURE)
        ]
        assert len(rows), (
            f"homeworking: no {SHARE_MEASURE} rows for definition {series.definition!r}, "
            f"indicator {series.homework_indicator!r}, group {series.group!r}"
        )
        bad = rows[~rows["period"].str.fullmatch(_YEAR.pattern).astype(bool)]
        assert bad.empty, (
            f"homeworking: headline series {series.definition!r} should hold annual figures "
            f"only; these periods are not years: {bad['period'].tolist()}"
        )
        years = rows["period"].astype(int)
        assert (rows["period_start"].dt.year == years).all(), (
            f"homeworking: period_start does not match the year for {series.definition!r}"
        )
        producers = rows["figure_producer"].astype("string").unique()
        assert len(producers) == 1, (
            f"homeworking: definition {series.definition!r} mixes producers {list(producers)}"
        )
        picked.append(_one_per_period(rows, ["period"], f"homeworking {series.definition}"))
    rows = pd.concat(picked)
    out = pd.DataFrame(
        {
            "definition": rows["definition"].astype("string"),
            "producer": rows["figure_producer"].astype("string"),
            "year": rows["period"].astype(int),
            "period_start": rows["period_start"],
            "period_end": rows["period_end"],
            "x": _midpoint(rows["period_start"], rows["period_end"]),
            "share_pct": rows["value"],
            "value_qualifier": rows["value_qualifier"].astype("string"),
            "source_type": rows["source_type"].astype("string"),
            "caveats": rows["caveats"],
            "figure_id": rows["figure_id"],
            "source_url": rows["source_url"],
        }
    )
    order = {d: i for i, d in enumerate(HEADLINE_DEFINITIONS)}
    out = out.assign(_order=out["definition"].map(order)).sort_values(["_order", "year"])
    return out.drop(columns="_order").reset_index(drop=True)


SERIES_VIEWS = {"all": ("CBS", "Eurostat"), "cbs": ("CBS",), "eurostat": ("Eurostat",)}


def select_series(shares: pd.DataFrame, view: str) -> pd.DataFrame:
    """The headline series of the producers a reader chose to see (a key of `SERIES_VIEWS`),
    so that a page only passes the choice through."""
    assert view in SERIES_VIEWS, f"unknown series view {view!r}; choose from {list(SERIES_VIEWS)}"
    return shares[shares["producer"].isin(SERIES_VIEWS[view])].reset_index(drop=True)


def definition_breaks(shares: pd.DataFrame) -> pd.DataFrame:
    """Where a producer's headline series switches to another definition: one row per switch,
    dated at the first day of the new definition's first period, so a chart can mark the break
    instead of drawing one line through it. Definitions measured side by side are no break."""
    rows = []
    for producer, group in shares.groupby("producer", sort=False):
        spans = (
            group.groupby("definition", sort=False)
            .agg(
                first_start=("period_start", "min"),
                last_end=("period_end", "max"),
                first_year=("year", "min"),
                last_year=("year", "max"),
                first_x=("x", "min"),
                last_x=("x", "max"),
            )
            .sort_values("first_start")
        )
        for (before, b), (after, a) in zip(
            spans.iterrows(), spans.iloc[1:].iterrows(), strict=False
        ):
            if b["last_end"] >= a["first_start"]:
                continue  # measured side by side: two series, not a break
            rows.append(
                {
                    "producer": producer,
                    "definition_before": before,
                    "definition_after": after,
                    "last_year_before": int(b["last_year"]),
                    "first_year_after": int(a["first_year"]),
                    "last_x_before": b["last_x"],
                    "first_x_after": a["first_x"],
                    "break_date": a["first_start"],
                }
            )
    columns = [
        "producer",
        "definition_before",
        "definition_after",
        "last_year_before",
        "first_year_after",
        "last_x_before",
        "first_x_after",
        "break_date",
    ]
    return pd.DataFrame(rows, columns=columns)


# -- covid-19 measures ----------------------------------------------------------------------

ADVICE_LEVELS = (
    "none",
    "regional_advice_only",
    "work_at_home_if_possible",
    "at_least_half_at_home",
    "urgent_work_at_home",
)  # from no advice to the strictest


def covid_periods(timeline: pd.DataFrame) -> pd.DataFrame:
    """Contiguous periods of one national home-working advice level, from the dated events of
    the covid timeline: each starts at the first event with that level and ends where the next
    level starts (the last period has no end). Undated events are left out, see
    `undated_events`."""
    dated = timeline[timeline["event_date"].notna()].sort_values("event_date", kind="stable")
    assert dated["homeworking_advice"].notna().all(), (
        "covid_timeline: every dated event must say which home-working advice followed it; "
        f"missing for {dated.loc[dated['homeworking_advice'].isna(), 'event_id'].tolist()}"
    )
    unknown = set(dated["homeworking_advice"].astype("string")) - set(ADVICE_LEVELS)
    assert not unknown, f"covid_timeline: unknown advice levels {sorted(unknown)}"
    ends = dated["event_end_date"].dropna()
    orphans = ends[~ends.isin(dated["event_date"])]
    assert orphans.empty, (
        "covid_timeline: an event's end date must itself be a dated event, or the period would "
        f"end on a day no source gives as a change: {orphans.dt.date.tolist()}"
    )
    advice = dated["homeworking_advice"].astype("string")
    run = (advice != advice.shift()).fillna(True).astype("int64").cumsum()
    periods = (
        dated.assign(_advice=advice, _run=run)
        .groupby("_run", sort=True)
        .agg(
            start=("event_date", "first"),
            advice=("_advice", "first"),
            first_event_id=("event_id", "first"),
            wording=("homeworking_advice_wording", "first"),
            n_events=("event_id", "size"),
            source_url=("source_url", "first"),
        )
        .reset_index(drop=True)
    )
    periods["end"] = periods["start"].shift(-1)
    return periods[
        ["start", "end", "advice", "wording", "first_event_id", "n_events", "source_url"]
    ]


def undated_events(timeline: pd.DataFrame) -> pd.DataFrame:
    """Timeline events whose calendar day the sources do not give, with the words they use
    ('november 2021'); they are listed beside a chart, never placed on its time axis."""
    rows = timeline[timeline["event_date"].isna()]
    return rows[
        ["event_id", "event_date_as_published", "event", "homeworking_advice", "source_url"]
    ].reset_index(drop=True)


# -- GP-registered prevalence ---------------------------------------------------------------

GP_DEFINITION = "vzinfo_gp_neck_back"


def gp_prevalence_persons(gp_totals: pd.DataFrame, sex: str = "total") -> pd.DataFrame:
    """People known to their GP with neck or back complaints per year (VZinfo definition, ICPC
    L01-L03, L83, L84, L86), one row per year as published; 2017 comes from secondary sources
    and keeps ``source_type`` so a chart can show it differently."""
    rows = gp_totals[
        (gp_totals["definition"] == GP_DEFINITION)
        & (gp_totals["measure"] == "persons")
        & (gp_totals["sex"] == sex)
    ]
    assert len(rows), f"gp_prevalence_totals: no persons rows for {GP_DEFINITION}, sex {sex!r}"
    assert rows["year"].notna().all(), "gp_prevalence_totals: a VZinfo row has no year"
    rows = _one_per_period(rows, ["year"], "gp_prevalence_totals")
    years = rows["year"].astype(int)
    start = pd.to_datetime(years.astype(str) + "-01-01")
    end = pd.to_datetime(years.astype(str) + "-12-31")
    out = pd.DataFrame(
        {
            "year": years,
            "sex": sex,
            "period_start": start,
            "period_end": end,
            "x": _midpoint(start, end),
            "persons": rows["value"],
            "value_qualifier": rows["value_qualifier"].astype("string"),
            "value_as_published": rows["value_as_published"],
            "source_type": rows["source_type"].astype("string"),
            "caveats": rows["caveats"],
            "figure_id": rows["figure_id"],
            "source_url": rows["source_url"],
        }
    )
    return out.sort_values("year").reset_index(drop=True)


# -- changes in GP and physiotherapy care ---------------------------------------------------

# The change measures drawn on the care panels, by kind of care. Left out on purpose: cancer and
# heart-disease consultations (not musculoskeletal), contacts with the GP alone (-3.5% in 2020:
# a narrower count than contacts with the whole practice, and nearly equal to the fall in
# recorded diagnoses, so the two marks would hide each other), and contacts per patient aged
# 5-17 (children only).
CARE_CHANGE_MEASURES = {
    "gp": (
        "practice_contacts_change_pct",
        "diagnoses_recorded_change_pct",
        "patients_with_contact_change_pct",
        "msk_consultations_change_pct",
    ),
    "physio": ("consultations_change_pct", "low_back_neck_consultations_change_pct"),
}


def _changes(table: pd.DataFrame, care: str) -> pd.DataFrame:
    rows = table[table["measure"].isin(CARE_CHANGE_MEASURES[care]) & table["value"].notna()]
    return pd.DataFrame(
        {
            "care": care,
            "measure": rows["measure"].astype("string"),
            "period": rows["period"],
            "start": rows["period_start"],
            "end": rows["period_end"],
            "change_pct": rows["value"],
            "compared_with": rows["compared_with"],
            "group": rows["group"],
            "coverage": (
                rows["care_coverage"].astype("string") if "care_coverage" in rows else pd.NA
            ),
            "value_qualifier": rows["value_qualifier"].astype("string"),
            "source_type": rows["source_type"].astype("string"),
            "caveats": rows["caveats"],
            "figure_id": rows["figure_id"],
            "source_url": rows["source_url"],
        }
    )


def _all_changes(gp_contacts: pd.DataFrame, physio: pd.DataFrame) -> pd.DataFrame:
    out = pd.concat([_changes(gp_contacts, "gp"), _changes(physio, "physio")])
    assert (out["change_pct"] >= -100).all(), "a care change below -100% is impossible"
    return out.reset_index(drop=True)


def care_changes(gp_contacts: pd.DataFrame, physio: pd.DataFrame) -> pd.DataFrame:
    """Published changes in GP-practice and physiotherapy care during the covid-19 period that
    have a dated period, for the care panels: ``x`` is the middle of the period, or its start
    when no end was published. The same figure from two sites is shown once."""
    out = _all_changes(gp_contacts, physio)
    out = out[out["start"].notna()]
    out = out.drop_duplicates(["measure", "start", "end", "change_pct"], keep="first")
    out = out.assign(x=_midpoint(out["start"], out["end"]).fillna(out["start"]))
    order = {m: i for i, m in enumerate(m for ms in CARE_CHANGE_MEASURES.values() for m in ms)}
    out = out.assign(_order=out["measure"].map(order)).sort_values(["_order", "start"])
    return out.drop(columns="_order").reset_index(drop=True)


def undated_care_changes(gp_contacts: pd.DataFrame, physio: pd.DataFrame) -> pd.DataFrame:
    """Published care changes whose sources name their period only in words ('2020 lockdown
    (mid-Mar to early May)'); they go in the text beside the panels, never on the time axis."""
    out = _all_changes(gp_contacts, physio)
    return out[out["start"].isna()].reset_index(drop=True)


# -- workers' musculoskeletal complaints ----------------------------------------------------

# Shares of all employees with complaints in the past 12 months (NEA). Left out: 56% in TNO's
# factsheet 2022, whose denominator is employees who had any complaint, and 43% among screen
# workers, another group.
COMPLAINT_MEASURES = (
    "msk_complaints_share_pct",
    "back_complaints_share_pct",
    "arm_neck_shoulder_complaints_share_pct",
    "lower_limb_complaints_share_pct",
)
WORKERS_GROUP = "all employees"


def workers_msk_complaints(msk_workers: pd.DataFrame) -> pd.DataFrame:
    """Shares of all employees with musculoskeletal complaints in the past 12 months, by body
    region and NEA edition, as published; a region an edition did not report stays absent."""
    rows = msk_workers[
        msk_workers["measure"].isin(COMPLAINT_MEASURES) & (msk_workers["group"] == WORKERS_GROUP)
    ]
    assert len(rows), "msk_workers: no complaint shares for all employees"
    rows = _one_per_period(rows, ["period", "measure"], "msk_workers")
    assert rows["value"].between(0, 100).all(), "msk_workers: a share lies outside 0-100"
    out = pd.DataFrame(
        {
            "edition": rows["period"],
            "period_start": rows["period_start"],
            "measure": rows["measure"].astype("string"),
            "share_pct": rows["value"],
            "value_qualifier": rows["value_qualifier"].astype("string"),
            "source_type": rows["source_type"].astype("string"),
            "caveats": rows["caveats"],
            "figure_id": rows["figure_id"],
            "source_url": rows["source_url"],
        }
    )
    # Editions in time order by the year in their label ("factsheet 2021" before "2022").
    edition_year = out["edition"].str.extract(r"([0-9]{4})", expand=False)
    assert edition_year.notna().all(), (
        f"msk_workers: an edition label has no year: {out['edition'].tolist()}"
    )
    measure_order = {m: i for i, m in enumerate(COMPLAINT_MEASURES)}
    out = out.assign(_y=edition_year.astype(int), _m=out["measure"].map(measure_order))
    return out.sort_values(["_y", "_m"]).drop(columns=["_y", "_m"]).reset_index(drop=True)


# -- home working and pain: odds ratios -----------------------------------------------------


def odds_ratios(studies: pd.DataFrame) -> pd.DataFrame:
    """Published odds ratios of musculoskeletal pain for home or hybrid workers against
    location workers, with their 95% confidence intervals, for a forest plot."""
    rows = studies[studies["measure"] == "odds_ratio"]
    assert len(rows), "msk_homeworking_studies: no odds ratios"
    assert rows[["value", "value_low", "value_high"]].notna().all().all(), (
        "msk_homeworking_studies: every odds ratio needs its interval; missing for "
        f"{rows.loc[rows[['value_low', 'value_high']].isna().any(axis=1), 'figure_id'].tolist()}"
    )
    inside = (rows["value_low"] <= rows["value"]) & (rows["value"] <= rows["value_high"])
    assert inside.all(), (
        "msk_homeworking_studies: an odds ratio lies outside its interval: "
        f"{rows.loc[~inside, 'figure_id'].tolist()}"
    )
    assert (rows["value_low"] > 0).all(), "msk_homeworking_studies: odds ratios must be > 0"
    out = pd.DataFrame(
        {
            "study": rows["msk_study"],
            "population": rows["msk_study_population"],
            "period": rows["period"],
            "exposure": rows["msk_study_exposure"],
            "reference": rows["msk_study_reference"],
            "outcome": rows["msk_study_outcome"],
            "adjustment": rows["msk_study_adjustment"].astype("string"),
            "odds_ratio": rows["value"],
            "ci_low": rows["value_low"],
            "ci_high": rows["value_high"],
            "source_type": rows["source_type"].astype("string"),
            "caveats": rows["caveats"],
            "figure_id": rows["figure_id"],
            "source_url": rows["source_url"],
        }
    )
    return out.reset_index(drop=True)


# -- facts: what the home-working words may say ---------------------------------------------


@dataclass(frozen=True)
class SeriesSpan:
    """The first and the last published value of one definition's series (never across a
    change of definition)."""

    definition: str
    producer: str
    first: Quantity
    first_year: int
    last: Quantity
    last_year: int
    points: int

    @property
    def change(self) -> Change:
        return Change(self.first, self.last, self.first_year, self.last_year)


def series_spans(shares: pd.DataFrame) -> list[SeriesSpan]:
    """One span per definition in `shares` (from `home_working_share`), in the table's order."""
    out = []
    for definition, rows in shares[shares["share_pct"].notna()].groupby("definition", sort=False):
        rows = rows.sort_values("year")
        first, last = rows.iloc[0], rows.iloc[-1]
        out.append(
            SeriesSpan(
                definition=str(definition),
                producer=str(first["producer"]),
                first=_share(first),
                first_year=int(first["year"]),
                last=_share(last),
                last_year=int(last["year"]),
                points=len(rows),
            )
        )
    return out


def _share(row: pd.Series) -> Quantity:
    value = float(row["share_pct"])
    return Quantity(value, "pct", decimals_of(value), qualifier_of(row["value_qualifier"]))


# Producers whose change of series is a change of *question* (CBS, 2021), as opposed to two
# series measured side by side.
QUESTION_CHANGED_BY = ("CBS",)


@dataclass(frozen=True)
class TrendFindings:
    """What the home-working title may say: the series whose latest definition is in view, and
    whether a change of question splits the producer's figures (then nothing is compared
    across it)."""

    spans: tuple[SeriesSpan, ...]
    headline: SeriesSpan
    question_break_year: int | None
    before_break: SeriesSpan | None


def trend_findings(shares: pd.DataFrame, breaks: pd.DataFrame) -> TrendFindings:
    """The headline series is the definition in use after a change of question when there is
    one in view (its first and last values, both on the new question), otherwise the longest
    series; the last value before the break is kept only to be named as not comparable."""
    spans = series_spans(shares)
    by_definition = {s.definition: s for s in spans}
    question = breaks[breaks["producer"].isin(QUESTION_CHANGED_BY)]
    if len(question):
        brk = question.iloc[0]
        return TrendFindings(
            spans=tuple(spans),
            headline=by_definition[brk["definition_after"]],
            question_break_year=int(brk["first_year_after"]),
            before_break=by_definition[brk["definition_before"]],
        )
    longest = max(spans, key=lambda s: s.points)
    return TrendFindings(tuple(spans), longest, None, None)


@dataclass(frozen=True)
class OddsFindings:
    """The odds ratios of pain for working from home against location work: their range, and
    whether every interval lies above 1 (only then may a title say 'higher odds')."""

    low: Quantity
    high: Quantity
    all_above_one: bool


HOME_EXPOSURE = "working from home"


def odds_findings(ors: pd.DataFrame) -> OddsFindings:
    """From `odds_ratios`: the working-from-home rows (all rows when the study has none)."""
    home = ors[ors["exposure"].astype(str).str.lower() == HOME_EXPOSURE]
    home = home if len(home) else ors
    return OddsFindings(
        low=Quantity(float(home["odds_ratio"].min()), "ratio", 2),
        high=Quantity(float(home["odds_ratio"].max()), "ratio", 2),
        all_above_one=bool((home["ci_low"] > 1).all()),
    )


# -- the website's covid sentence, checked against the national evidence ----------------------
#
# The clinic's website says that home working during covid-19 increased neck and back
# complaints, with a growing number of patients. `covid_claim_check` gathers what national
# registrations, a national survey and a cohort study say about that, one `ClaimEvidence` per
# source of evidence, and `claim_verdict` reads them by a fixed rule.

# What one piece of evidence shows about neck or back complaints in the covid-19 period.
READINGS = ("increase", "no_increase", "decrease", "mixed", "not_comparable")
# Where it comes from: national registrations or surveys, or one cohort study.
SCOPES = ("national", "cohort")
VERDICTS = ("supported", "mixed", "not_supported_nationally", "undetermined")

# Verbal findings as the sources publish them, and what they show; a phrase not listed here
# stops the check rather than being guessed at.
VERBAL_READINGS = {"geen significante toename": "no_increase"}

LDF_CHANGE = "neck_shoulder_patients_change_pct"
LDF_PATIENTS = "neck_shoulder_patients_persons"
LDF_PRACTICES = "registering_practices_average_count"
WORKERS_MSK = "msk_complaints_share_pct"
# The national care changes of the covid period the check counts: GP-practice contacts and
# physiotherapy consultations (regional GP databases are left out, as on the care panels).
CLAIM_CARE_MEASURES = (
    "practice_contacts_change_pct",
    "patients_with_contact_change_pct",
    "consultations_change_pct",
    "low_back_neck_consultations_change_pct",
)


@dataclass(frozen=True)
class ClaimEvidence:
    """One source of evidence on the website's covid sentence: what it shows (`reading`, one of
    `READINGS`), whether it is national or one cohort (`scope`), the values its words may print
    (`figures`: Quantities, years, labels and verbal values as published), the caveat keys of its
    rows, and the data-package table and source URL of each of its rows."""

    key: str
    scope: str
    reading: str
    figures: dict
    caveats: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]  # (data-package table, source_url) of its rows
    figure_ids: tuple[str, ...]
    is_preliminary: bool = False

    @property
    def source_urls(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(url for _, url in self.sources))

    def __post_init__(self) -> None:
        assert self.reading in READINGS, f"{self.key}: unknown reading {self.reading!r}"
        assert self.scope in SCOPES, f"{self.key}: unknown scope {self.scope!r}"


@dataclass(frozen=True)
class CovidClaimCheck:
    """The evidence on the website's covid sentence, in page order, and the verdict
    (`claim_verdict`)."""

    evidence: tuple[ClaimEvidence, ...]
    verdict: str

    def item(self, key: str) -> ClaimEvidence:
        for evidence in self.evidence:
            if evidence.key == key:
                return evidence
        raise KeyError(key)

    @property
    def cohort_association(self) -> bool:
        """A cohort study found higher odds of pain for home workers (every interval above 1)."""
        return any(e.scope == "cohort" and e.reading == "increase" for e in self.evidence)


def claim_verdict(evidence: tuple[ClaimEvidence, ...]) -> str:
    """The verdict on 'home working during covid increased neck and back complaints', from the
    national evidence only (a cohort's association is stated beside it, never as a national
    increase):

    - an item *supports* the claim when it reads 'increase' or 'mixed'; it *speaks against* the
      claim when it reads 'no_increase', 'decrease' or 'mixed'; 'not_comparable' says neither;
    - "supported": some national item supports it and none speaks against it;
    - "mixed": national items do both;
    - "not_supported_nationally": no national item supports it and at least one speaks
      against it (the national figures do not show the increase; this does not prove that
      there was none);
    - "undetermined": no national item can be read either way.
    """
    national = [e for e in evidence if e.scope == "national"]
    supports = any(e.reading in ("increase", "mixed") for e in national)
    against = any(e.reading in ("no_increase", "decrease", "mixed") for e in national)
    if supports and against:
        return "mixed"
    if supports:
        return "supported"
    if against:
        return "not_supported_nationally"
    return "undetermined"


def _keys(rows: pd.DataFrame) -> tuple[str, ...]:
    """The caveat keys the rows cite, in order of first appearance."""
    keys: dict[str, None] = {}
    for cell in rows["caveats"].dropna():
        keys.update(dict.fromkeys(k for k in str(cell).split(";") if k))
    return tuple(keys)


def _sources(table: str, rows: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    return tuple(dict.fromkeys((table, url) for url in rows["source_url"].astype(str)))


def _signs(values: pd.Series) -> str:
    """'decrease' when every change is a fall, 'increase' when every one is a rise, 'mixed'
    otherwise (a change of 0 is no increase)."""
    if (values < 0).all():
        return "decrease"
    if (values > 0).all():
        return "increase"
    if (values <= 0).all():
        return "no_increase"
    return "mixed"


def _pct(value: float, qualifier: object = None) -> Quantity:
    return Quantity(float(value), "pct", decimals_of(float(value)), qualifier_of(qualifier))


def _gp_registered(published: pd.DataFrame, gp_contacts: pd.DataFrame) -> ClaimEvidence:
    """Persons known to their GP with neck or back complaints, 2018 -> 2020 (VZinfo), with the
    GP contact falls that make 2020 a registration dip (`analysis.prevalence.covid_dip`)."""
    from analysis import prevalence

    dip = prevalence.covid_dip(published, gp_contacts)
    change = dip.change
    reading = {"rose": "increase", "fell": "decrease", "same": "no_increase"}[change.direction]
    years = published[
        published["year"].isin([change.start_year, change.end_year])
        & (published["sex"] == prevalence.BOTH_SEXES)
    ]
    contacts = prevalence.contact_rows(gp_contacts, dip)
    return ClaimEvidence(
        key="gp_registered",
        scope="national",
        reading=reading,
        figures={
            "before": change.start,
            "year_before": change.start_year,
            "after": change.end,
            "year_after": change.end_year,
            "first_wave": dip.first_wave_contacts,
            "full_year": dip.full_year_contacts,
            "reference_year": dip.reference_year,
        },
        caveats=tuple(dict.fromkeys(_keys(years) + _keys(contacts))),
        sources=_sources("gp_prevalence_totals", years) + _sources("gp_contacts_covid", contacts),
        figure_ids=dip.contact_figures,
    )


def _care_contacts(gp_contacts: pd.DataFrame, physio: pd.DataFrame) -> ClaimEvidence:
    """Every published national change in GP-practice and physiotherapy care in 2020-2021 that
    has a number (the care panels' measures; the same figure from two sites counted once): how
    many there are, whether all are falls, and the smallest and the largest."""
    changes = _all_changes(gp_contacts, physio)
    rows = changes[
        (changes["coverage"].isna() | (changes["coverage"] == "national"))
        & changes["change_pct"].notna()
    ]
    rows = rows.drop_duplicates(["measure", "period", "change_pct"])
    assert len(rows), "covid claim check: no national care changes for 2020-2021"
    years = rows["period"].str.extract(r"^([0-9]{4})", expand=False).astype(int)
    assert years.between(2020, 2021).all(), (
        f"covid claim check: care changes outside 2020-2021: {rows['figure_id'].tolist()}"
    )
    smallest = rows.loc[rows["change_pct"].abs().idxmin()]
    largest = rows.loc[rows["change_pct"].abs().idxmax()]
    return ClaimEvidence(
        key="care_contacts",
        scope="national",
        reading=_signs(rows["change_pct"]),
        figures={
            "count": len(rows),
            "first_year": int(years.min()),
            "last_year": int(years.max()),
            "smallest": _pct(smallest["change_pct"], smallest["value_qualifier"]),
            "smallest_measure": str(smallest["measure"]),
            "smallest_period": str(smallest["period"]),
            "largest": _pct(largest["change_pct"], largest["value_qualifier"]),
            "largest_measure": str(largest["measure"]),
            "largest_period": str(largest["period"]),
        },
        caveats=_keys(rows),
        sources=_sources("gp_contacts_covid", rows[rows["care"] == "gp"])
        + _sources("physio_use", rows[rows["care"] == "physio"]),
        figure_ids=tuple(rows["figure_id"].astype(str)),
    )


def _physio_ldf(physio: pd.DataFrame) -> ClaimEvidence:
    """The national physiotherapy database's (LDF) finding for neck and shoulder complaints,
    April-December 2020 against the same months of 2019, published in words only."""
    change = physio[physio["measure"] == LDF_CHANGE]
    assert len(change) == 1, f"physio_use: expected one {LDF_CHANGE} row, found {len(change)}"
    row = change.iloc[0]
    assert pd.isna(row["value"]), "physio_use: the LDF change was published in words only"
    published = str(row["value_as_published"])
    phrase = published.split(";")[0].strip()
    assert phrase in VERBAL_READINGS, (
        f"physio_use: no reading for the LDF words {published!r}; add it to VERBAL_READINGS"
    )
    basis = physio[physio["measure"] == LDF_PATIENTS].iloc[0]
    practices = physio[physio["measure"] == LDF_PRACTICES].iloc[0]
    rows = physio[physio["measure"].isin([LDF_CHANGE, LDF_PATIENTS, LDF_PRACTICES])]
    return ClaimEvidence(
        key="physio_ldf",
        scope="national",
        reading=VERBAL_READINGS[phrase],
        figures={
            "words": phrase,
            "words_also": published.split(";")[1].strip() if ";" in published else "",
            "start": row["period_start"],
            "end": row["period_end"],
            "compared_with": str(row["compared_with"]),
            "patients": Quantity(
                float(basis["value"]), "persons", 0, qualifier_of(basis["value_qualifier"])
            ),
            "practices": Quantity(float(practices["value"]), "count", 0),
        },
        caveats=_keys(rows),
        sources=_sources("physio_use", rows),
        figure_ids=tuple(rows["figure_id"].astype(str)),
        is_preliminary="preliminary" in _keys(change),
    )


def _workers(complaints: pd.DataFrame) -> ClaimEvidence:
    """Employees with any musculoskeletal complaint (NEA/TNO), first and latest edition; a
    series break between them makes the change unreadable."""
    rows = complaints[complaints["measure"] == WORKERS_MSK]
    assert len(rows) >= 1, "msk_workers: no shares of employees with musculoskeletal complaints"
    first, last = rows.iloc[0], rows.iloc[-1]
    broken = "series_break" in _keys(rows)
    if len(rows) == 1 or broken:
        reading = "not_comparable"
    else:
        reading = _signs(pd.Series([last["share_pct"] - first["share_pct"]]))
    return ClaimEvidence(
        key="workers",
        scope="national",
        reading=reading,
        figures={
            "first": _pct(first["share_pct"], first["value_qualifier"]),
            "first_edition": str(first["edition"]),
            "last": _pct(last["share_pct"], last["value_qualifier"]),
            "last_edition": str(last["edition"]),
        },
        caveats=_keys(rows),
        sources=_sources("msk_workers", rows),
        figure_ids=tuple(rows["figure_id"].astype(str)),
    )


def _cohort(ratios: pd.DataFrame) -> ClaimEvidence:
    """The cohort odds ratios of pain for working from home (`odds_findings`)."""
    found = odds_findings(ratios)
    return ClaimEvidence(
        key="cohort",
        scope="cohort",
        reading="increase" if found.all_above_one else "mixed",
        figures={
            "low": found.low,
            "high": found.high,
            "study": ", ".join(ratios["study"].astype(str).unique()),
        },
        caveats=_keys(ratios),
        sources=_sources("msk_homeworking_studies", ratios),
        figure_ids=tuple(ratios["figure_id"].astype(str)),
    )


def covid_claim_check(
    published: pd.DataFrame,
    gp_contacts: pd.DataFrame,
    physio: pd.DataFrame,
    complaints: pd.DataFrame,
    ratios: pd.DataFrame,
) -> CovidClaimCheck:
    """The national evidence on the website's covid sentence and its verdict.

    `published` is `analysis.prevalence.published_totals`; `gp_contacts` and `physio` are the
    data package's tables; `complaints` is `workers_msk_complaints` and `ratios` is
    `odds_ratios`. The evidence, in page order: persons known to the GP 2018 -> 2020 (with the
    GP contact falls of `covid_dip`), GP and physiotherapy care in 2020-2021, the national
    physiotherapy database (LDF), employees' complaints (NEA/TNO) and the cohort's odds ratios.
    The verdict follows `claim_verdict`.
    """
    evidence = (
        _gp_registered(published, gp_contacts),
        _care_contacts(gp_contacts, physio),
        _physio_ldf(physio),
        _workers(complaints),
        _cohort(ratios),
    )
    return CovidClaimCheck(evidence, claim_verdict(evidence))
