"""Sentences of the Treatment outcomes page and the Overview's clinic figures, from the
vocabulary (the website's claims, the response definition) and `analysis.outcomes`' facts."""

from __future__ import annotations

from analysis import natural_course, outcomes
from analysis.vocabulary import (
    CLAIM_SESSIONS,
    CONTROL_LEVELS_PCT,
    EPISODE_GAP_DAYS,
    RESPONSE_PCT,
    RESPONSE_POINTS,
    SUBSTANTIAL_PCT,
)
from dashboard.i18n import level, number, percent, t
from dashboard.words import say


def intro(website: str | None, lang: str) -> str:
    """The website's two claims, with the page they are quoted from when the owner set it."""
    source = (
        t("outcomes.website_linked", lang, url=website)
        if website
        else t("outcomes.website_unlinked", lang)
    )
    return t(
        "outcomes.intro",
        lang,
        acute=CLAIM_SESSIONS["acute"],
        chronic=CLAIM_SESSIONS["chronic"],
        website=source,
    )


def definition(citation: outcomes.ResponseCitation, lang: str) -> str:
    """The response definition, saying when its citation was not checked at the source."""
    return t(
        "outcomes.definition",
        lang,
        pct=number(RESPONSE_PCT, lang),
        points=number(RESPONSE_POINTS, lang),
        substantial=number(SUBSTANTIAL_PCT, lang),
        gap=EPISODE_GAP_DAYS,
        citation=citation.study,
        year=citation.year,
        unverified="" if citation.verified else t("outcomes.definition_unverified", lang),
    )


def caveats(course: outcomes.NaturalCourse, threshold: int, lang: str) -> str:
    """What the page cannot show, with the natural course as the cohorts publish it."""
    return t(
        "outcomes.caveats",
        lang,
        baseline=say(course.baseline, lang),
        later=say(course.later, lang),
        weeks=course.weeks,
        costa=course.costa,
        costa_year=course.costa_year,
        drop=say(course.first_month_drop, lang),
        pengel=course.pengel,
        pengel_year=course.pengel_year,
        low=course.scale[0],
        high=course.scale[1],
        threshold=threshold,
    )


def forest_sentence(found: outcomes.TrialComparison, lang: str) -> str:
    return t(
        "outcomes.forest_sentence",
        lang,
        verum=say(found.verum, lang),
        sham=say(found.sham, lang),
        usual=say(found.usual, lang),
        sessions_low=found.sessions_low,
        sessions_high=found.sessions_high,
        months=found.months,
    )


def forest_caption(found: outcomes.TrialComparison, lang: str) -> str:
    """How the forest plot's figures are defined, with GERAC's responder thresholds as published."""
    return t(
        "outcomes.caption_forest",
        lang,
        pain=found.pain_threshold_pct,
        function=found.function_threshold_pct,
        months=found.months,
    )


def group_name(group: str, lang: str) -> str:
    return t(f"outcomes.group.{group}", lang)


def month_year(when, lang: str) -> str:
    """'March 2020' / 'maart 2020'."""
    return f"{t(f'outcomes.month.{when.month}', lang)} {when.year}"


def _pct(value: float, lang: str) -> str:
    return percent(value, lang, 0)


def _verdict_head(found: outcomes.ClaimVerdict, lang: str) -> str:
    """'**Acute back pain, by the 5th treatment: supported.**'"""
    return t(
        "outcomes.verdict_head",
        lang,
        group=group_name(found.complaint_duration, lang).capitalize(),
        session=found.session,
        verdict=t(f"outcomes.verdict.{found.verdict}", lang),
    )


def _all_started(found: outcomes.ClaimVerdict, lang: str) -> dict[str, str | int]:
    """The conservative count's values as printed: responders of all episodes that started."""
    share = found.all_started
    return {
        "responders": number(found.n_responders, lang),
        "started": number(found.n_episodes - (found.n_ongoing or 0), lang),
        "group": group_name(found.complaint_duration, lang),
        "session": found.session,
        "share": _pct(share.pct, lang),
        "low": _pct(share.low, lang),
        "high": _pct(share.high, lang),
    }


def verdict_summary(found: outcomes.ClaimVerdict, threshold: int, lang: str) -> str:
    """The verdict in two plain sentences (a link preview's description): the verdict and the
    conservative figure it rests on, with its interval: the figure the page leads with."""
    head = _verdict_head(found, lang).replace("**", "")
    if found.all_started is None:
        return f"{head} {t('outcomes.verdict_too_few', lang, threshold=threshold)}"
    return f"{head} {t('outcomes.verdict_summary', lang, **_all_started(found, lang))}"


def page_summary(verdicts, threshold: int, is_demo: bool, lang: str) -> str:
    """The outcomes page in a sentence or two (its link preview's description): each claim's
    `verdict_summary`, labelled as demo data when it is."""
    summary = " ".join(verdict_summary(found, threshold, lang) for found in verdicts)
    return f"{t('outcomes.demo_prefix', lang)} {summary}" if is_demo else summary


def verdict(found: outcomes.ClaimVerdict, threshold: int, lang: str) -> str:
    """'Does the website's claim hold?' for one claim: the verdict, the conservative figure
    with its interval and how it was counted, the other two counts, and the reading of the
    claim's words."""
    head = _verdict_head(found, lang)
    if found.all_started is None:
        return f"{head} {t('outcomes.verdict_too_few', lang, threshold=threshold)}"
    share = found.all_started
    body = t(
        "outcomes.verdict_all_started",
        lang,
        **_all_started(found, lang),
        stopped=number(found.n_stopped_before, lang),
    )
    if found.n_ongoing:
        body += " " + t("outcomes.verdict_ongoing", lang, ongoing=number(found.n_ongoing, lang))
    others = [
        t(f"outcomes.verdict_other.{s.method}", lang, share=_pct(s.pct, lang))
        for s in (found.complete_case, found.kaplan_meier)
        if s is not None
    ]
    if others:
        body += " " + t("outcomes.verdict_others", lang, others="; ".join(others))
    reading = t(
        f"outcomes.verdict_reading.{found.verdict}",
        lang,
        bar=_pct(found.bar_pct, lang),
        word=t(f"outcomes.claim_word.{found.complaint_duration}", lang),
        low=_pct(share.low, lang),
        high=_pct(share.high, lang),
    )
    return f"{head} {body} {reading} {t('outcomes.verdict_caveat', lang)}"


def intake_sentence(found: outcomes.IntakeFindings, lang: str) -> str:
    """One message for the intake chart: what it can and cannot say about the covid years."""
    if found.first is None:
        return t("outcomes.intake_none", lang)
    span = t(
        "outcomes.intake_span",
        lang,
        first=month_year(found.first, lang),
        last=month_year(found.last, lang),
    )
    if found.starts_after_advice or found.pre_covid_year is None:
        advice = month_year(found.advice_start, lang)
        return f"{span} {t('outcomes.intake_no_reference', lang, advice=advice)}"
    if found.covid_count is None:
        return f"{span} {t('outcomes.intake_reference_hidden', lang, year=found.pre_covid_year)}"
    return f"{span} " + t(
        "outcomes.intake_compared",
        lang,
        covid=number(found.covid_count, lang),
        reference=number(found.reference_count, lang),
        first=found.covid_months[0],
        last=found.covid_months[-1],
        year=found.pre_covid_year,
    )


def p_chart_sentence(found: outcomes.QuarterFindings, lang: str, threshold: int) -> str:
    """One message for the p-chart: the clinic's mean and the quarters outside the limits."""
    if found.centre_pct is None or found.n_shown == 0:
        return t("outcomes.too_few", lang, threshold=threshold)
    if not found.outside_95:
        return t(
            "outcomes.p_chart_within",
            lang,
            n=found.n_shown,
            centre=_pct(found.centre_pct, lang),
            low_level=level(CONTROL_LEVELS_PCT[0], lang),
        )
    listed = ", ".join(
        f"{quarter} ({t(f'outcomes.direction.{direction}', lang)})"
        for quarter, direction in found.outside_95
    )
    return t(
        "outcomes.p_chart_outside",
        lang,
        n=found.n_shown,
        centre=_pct(found.centre_pct, lang),
        outside=listed,
        n_998=len(found.outside_998),
        low_level=level(CONTROL_LEVELS_PCT[0], lang),
        high_level=level(CONTROL_LEVELS_PCT[1], lang),
    )


def course_sentence(found, groups: tuple[str, ...], lang: str, threshold: int) -> str:
    """One message for the natural-course chart: at the headline week, observed minus expected
    per group with its interval and what it means (never 'caused')."""
    parts = []
    by_group = {f.group: f for f in found}
    for group in groups:
        f = by_group.get(group)
        if f is None or f.difference is None or f.difference_low is None:
            parts.append(t("outcomes.course_part_hidden", lang, group=group_name(group, lang)))
            continue
        parts.append(
            t(
                f"outcomes.course_part.{f.verdict}",
                lang,
                group=group_name(group, lang),
                observed=number(f.observed.value, lang, 1),
                expected=number(f.expected.value, lang, 1),
                difference=signed(f.difference.value, lang),
                low=signed(f.difference_low.value, lang),
                high=signed(f.difference_high.value, lang),
                level=natural_course.LEVEL_PCT,
            )
        )
    week = found[0].week if found else natural_course.HEADLINE_WEEK
    return t("outcomes.course_sentence", lang, week=week, parts="; ".join(parts))


def signed(value: float, lang: str) -> str:
    """A difference with its sign (+0.6, -0.3; one decimal)."""
    shown = round(value, 1)
    text = number(abs(shown), lang, 1)
    return f"+{text}" if shown > 0 else f"−{text}" if shown < 0 else text
