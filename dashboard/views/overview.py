"""The Overview as a pure function: headline figures, each with its source and year, and where to
read more. Every figure is a fact from `analysis` printed with its qualifier."""

from __future__ import annotations

from analysis import clinic_view, data
from analysis import homeworking as hw
from analysis import prevalence as p
from analysis.vocabulary import CLAIM_SESSIONS, RESPONSE_PCT, RESPONSE_POINTS
from dashboard import words
from dashboard.i18n import number, percent, t
from dashboard.views.page import Figure, Figures, PageLink, PageView, Section, Text
from dashboard.words import prevalence as prevalence_words

PATH = "overview"
CONTROLS: dict[str, tuple[str, ...]] = {"national": (), "clinic": (), "more": ()}


def _national(lang: str) -> tuple[Figures, tuple]:
    totals = data.load("gp_prevalence_totals")
    published = p.published_totals(totals)
    head = p.headline(totals, data.load("population"), p.AGE_TABLE_YEAR)
    dip = p.covid_dip(published, data.load("gp_contacts_covid"))
    shares = hw.home_working_share(data.load("homeworking"))
    trend = hw.trend_findings(shares, hw.definition_breaks(shares))
    year = head["year"]
    rows = published[published["year"] == year]
    dip_rows = published[published["year"] == dip.change.end_year]
    contact_rows = p.contact_rows(data.load("gp_contacts_covid"), dip)
    persons = Figure(
        label=t("overview.persons_label", lang, year=year),
        value=words.say(head["persons"], lang),
        note=t(
            "overview.persons_note",
            lang,
            one_in=number(head["one_in"].value, lang),
            share=words.say(head["share_pct"], lang),
            year=year,
            next=year + 1,
        ),
        source=words.source_line([("gp_prevalence_totals", rows)], lang),
    )
    women = Figure(
        label=t("overview.women_label", lang, year=year),
        value=words.say(head["rate_women"], lang),
        note=t(
            "overview.women_note",
            lang,
            women=words.say(head["women"], lang),
            men=words.say(head["men"], lang),
            rate_men=words.say(head["rate_men"], lang),
        ),
        source=words.source_line([("gp_prevalence_totals", rows)], lang),
    )
    change = dip.change
    fell_contacts = prevalence_words.contacts_fell(dip)
    contact = words.say_abs if fell_contacts else words.say
    fell = Figure(
        label=t("overview.dip_label", lang, year=change.end_year),
        value=words.say(change.end, lang),
        delta=number(change.difference.value, lang),
        note=t(
            "overview.dip_note" if fell_contacts else "overview.dip_note_changed",
            lang,
            change=words.say_abs(change.difference, lang),
            start_year=change.start_year,
            year=change.end_year,
            full_year=contact(dip.full_year_contacts, lang),
            first_wave=contact(dip.first_wave_contacts, lang),
            reference_year=dip.reference_year,
        ),
        source=words.source_line(
            [("gp_prevalence_totals", dip_rows), ("gp_contacts_covid", contact_rows)], lang
        ),
    )
    span = trend.headline
    homework = Figure(
        label=t("overview.homework_label", lang, year=span.last_year),
        value=words.say(span.last, lang),
        note=_homework_note(trend, lang),
        source=words.source_line([("homeworking", _span_rows(shares, trend))], lang),
    )
    return Figures((persons, women, fell, homework)), (head, dip, trend)


def _span_rows(shares, trend: hw.TrendFindings):
    """The rows of the home-working values the note states (latest, and last before a break)."""
    spans = [trend.headline] + ([trend.before_break] if trend.before_break else [])
    keep = [(s.definition, s.last_year) for s in spans]
    return shares[
        [(d, y) in keep for d, y in zip(shares["definition"], shares["year"], strict=True)]
    ]


def _homework_note(trend: hw.TrendFindings, lang: str) -> str:
    span, before = trend.headline, trend.before_break
    if before is None:
        return ""
    return t(
        "overview.homework_note",
        lang,
        producer=span.producer,
        definition=t(f"home_working.short.{span.definition}", lang),
        break_year=trend.question_break_year,
        before_definition=t(f"home_working.short.{before.definition}", lang),
        before=words.say(before.last, lang),
        before_year=before.last_year,
    )


def _clinic(result: clinic_view.PublicOutcomes, lang: str) -> tuple:
    blocks: list = []
    if result.is_demo:
        blocks.append(Text(t("outcomes.demo_banner", lang), "warning"))
    # The conservative figure: every episode that started, those who stopped counted as not
    # responded (issue 13); the other two counts are on the outcomes page.
    claims = result.claims[result.claims["method"] == "all_started"].set_index("complaint_duration")
    items = []
    for group, session in CLAIM_SESSIONS.items():
        label = t(
            "overview.outcome_label",
            lang,
            group=t(f"outcomes.group.{group}", lang),
            session=session,
        ).capitalize()
        if group in claims.index and not claims.loc[group, "suppressed"]:
            row = claims.loc[group]
            note = t(
                "overview.outcome_note",
                lang,
                low=percent(row["ci_low"] * 100, lang, 0),
                high=percent(row["ci_high"] * 100, lang, 0),
                n=number(row["n_episodes"] - row["n_ongoing"], lang),
                stopped=number(row["n_stopped_before"], lang),
                pct=number(RESPONSE_PCT, lang),
                points=number(RESPONSE_POINTS, lang),
            )
            if result.is_demo:
                note += " " + t("outcomes.caption_demo", lang)
            items.append(Figure(label, percent(row["estimate"] * 100, lang, 0), note))
        else:
            items.append(
                Figure(label, "–", t("outcomes.too_few", lang, threshold=result.threshold))
            )
    blocks.append(Figures(tuple(items)))
    return tuple(blocks)


def view(lang: str, result: clinic_view.PublicOutcomes | None = None) -> PageView:
    """The Overview in `lang`; `result` is the clinic's protected aggregate for all patients
    (computed here when not given)."""
    if result is None:
        visits, is_demo = clinic_view.clinic_visits()
        result = clinic_view.public_outcomes(visits, is_demo=is_demo)
    national, facts = _national(lang)
    more = tuple(
        PageLink(path, f"{t('overview.more', lang)} → {t(nav, lang)}")
        for path, nav in (
            ("prevalence", "nav.prevalence"),
            ("home-working", "nav.home_working"),
            ("outcomes", "nav.outcomes"),
        )
    )
    return PageView(
        path=PATH,
        title=t("overview.title", lang),
        intro=t("overview.intro", lang),
        sections=(
            Section("national", (national,)),
            Section("clinic", _clinic(result, lang), heading=t("overview.outcomes_heading", lang)),
            Section("more", more),
        ),
        facts=(*facts, result),
    )
