"""Sentences of the Treatment outcomes page and the Overview's clinic figures, from the
vocabulary (the website's claims, the response definition) and `analysis.outcomes`' facts."""

from __future__ import annotations

from analysis import outcomes
from analysis.vocabulary import (
    CLAIM_SESSIONS,
    EPISODE_GAP_DAYS,
    RESPONSE_PCT,
    RESPONSE_POINTS,
    SUBSTANTIAL_PCT,
)
from dashboard.i18n import number, t
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
