"""Sentences of the page for patients, from `analysis.outcomes_for_patients`' facts and the
vocabulary (the response definition, the complaint durations' weeks). Plain words: the templates
are in `dashboard/locales/<lang>.patients.toml`."""

from __future__ import annotations

import pandas as pd

from analysis.outcomes_for_patients import OutOfTen, PatientAnswer, WithoutTreatment
from analysis.vocabulary import ALL, COMPLAINT_WEEKS, RESPONSE_PCT, RESPONSE_POINTS
from dashboard.i18n import number, percent, t
from dashboard.words import say, source_line


def ordinal(n: int, lang: str) -> str:
    """'5th' / '5e'."""
    if lang == "nl":
        return f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _weeks(group: str) -> dict[str, int | None]:
    low, high = COMPLAINT_WEEKS[group]
    return {"low": low, "high": high}


def duration(group: str, lang: str) -> str:
    """'less than 6 weeks', '6 to 12 weeks', 'more than 12 weeks'."""
    return t(f"patients.duration.{group}", lang, **_weeks(group))


def group_option(group: str, lang: str) -> str:
    """The complaint duration as an option of the page's first question."""
    return t(f"patients.group_option.{group}", lang, **_weeks(group))


def option(key: str, value: str, lang: str) -> str:
    """A filter option in the reader's language (the URL keeps the code)."""
    if key == "group":
        return group_option(value, lang)
    return t(f"patients.{key}_option.{value}", lang)


def _people(sex: str, age_band: str, lang: str) -> dict[str, str]:
    age = "" if age_band == ALL else t(f"patients.age_phrase.{age_band}", lang)
    return {"people": t(f"patients.people.{sex}", lang), "age": age}


def you_chose(group: str, sex: str, age_band: str, lang: str) -> str:
    return t(
        "patients.you_chose", lang, duration=duration(group, lang), **_people(sex, age_band, lang)
    )


def definition(lang: str) -> str:
    """What 'clearly better' means (the response definition)."""
    return t(
        "patients.definition",
        lang,
        pct=number(RESPONSE_PCT, lang),
        points=number(RESPONSE_POINTS, lang),
    )


def title(answer: PatientAnswer, is_demo: bool, lang: str) -> str:
    """'Of 10 patients like you, about 7 felt clearly better by the 5th treatment'."""
    figure = answer.figure
    assert figure is not None, "a hidden figure has no title"
    key = "patients.title_everyone" if answer.is_fallback else "patients.title_chosen"
    text = t(
        key,
        lang,
        n=figure.n_of_10,
        nth=ordinal(figure.session, lang),
        duration=duration(figure.complaint_duration, lang),
    )
    return f"{t('patients.demo_prefix', lang)} {text}" if is_demo else text


def range_text(figure: OutOfTen, lang: str) -> str:
    if figure.low_of_10 == figure.high_of_10:
        return t("patients.range_one", lang, n=figure.n_of_10)
    return t("patients.range", lang, low=figure.low_of_10, high=figure.high_of_10)


def sentence(figure: OutOfTen, lang: str) -> str:
    """'About 7 of 10 patients (71%) felt clearly better by their 5th treatment. The true
    number is probably between 6 and 8 of 10.'"""
    return t(
        "patients.sentence",
        lang,
        n=figure.n_of_10,
        share=percent(figure.share.value, lang, figure.share.decimals),
        nth=ordinal(figure.session, lang),
        range=range_text(figure, lang),
    )


def counts(figure: OutOfTen, lang: str, lead: bool = False) -> str:
    """How many patients lie behind the figure, how many stopped early (counted as not better)
    and how many are still being treated (not counted); with `lead`, led by the treatment it is
    about (when one chart shows several)."""
    parts = [f"**{t('patients.counts_lead', lang, nth=ordinal(figure.session, lang))}**"] * lead
    if figure.n_episodes == figure.n_patients:
        parts.append(t("patients.based_on", lang, patients=number(figure.n_patients, lang)))
    else:
        parts.append(
            t(
                "patients.based_on_courses",
                lang,
                episodes=number(figure.n_episodes, lang),
                patients=number(figure.n_patients, lang),
            )
        )
    if figure.n_stopped_before:
        parts.append(
            t(
                "patients.stopped",
                lang,
                stopped=number(figure.n_stopped_before, lang),
                nth=ordinal(figure.session, lang),
            )
        )
    if figure.n_ongoing:
        parts.append(t("patients.ongoing", lang, ongoing=number(figure.n_ongoing, lang)))
    return " ".join(parts)


def fallback(answer: PatientAnswer, lang: str, for_treatment: bool = False) -> str:
    """Why the figure shown is everyone's with the same complaint duration; `for_treatment`
    names the treatment it is about (when the other answers shown are the reader's own)."""
    return t(
        "patients.fallback_nth" if for_treatment else "patients.fallback",
        lang,
        duration=duration(answer.complaint_duration, lang),
        nth=ordinal(answer.session, lang),
        **_people(answer.sex, answer.age_band, lang),
    )


def too_few(answer: PatientAnswer, lang: str) -> str:
    return t(
        "patients.too_few",
        lang,
        duration=duration(answer.complaint_duration, lang),
        nth=ordinal(answer.session, lang),
        threshold=answer.threshold,
    )


def caption(is_demo: bool, threshold: int, lang: str) -> str:
    lead = t("patients.caption_demo" if is_demo else "patients.caption_clinic", lang)
    return f"{lead} {t('patients.caption', lang, threshold=threshold)}"


def without_treatment(course: WithoutTreatment, lang: str) -> str:
    """How pain went in the cohort the reader's complaint duration is compared with."""
    common = {
        "low": course.scale[0],
        "high": course.scale[1],
        "baseline": say(course.baseline, lang),
        "later": say(course.later, lang),
        "weeks": course.weeks,
    }
    if course.cohort == "acute":
        return t(
            "patients.without_acute",
            lang,
            pengel=course.pengel,
            pengel_year=course.pengel_year,
            drop=say(course.first_month_drop, lang),
            **common,
        )
    return t("patients.without_persistent", lang, chronic=COMPLAINT_WEEKS["chronic"][0], **common)


def without_source(course: WithoutTreatment, lang: str) -> str:
    """The registered sources of the cohort figures, with a link to each."""
    rows = pd.DataFrame({"source_url": [url for _, url in course.sources]})
    links = " · ".join(f"[{name}]({url})" for name, url in course.sources)
    return f"{source_line([('outcome_benchmarks', rows)], lang)} {links}"


def limits(threshold: int, lang: str) -> str:
    return t("patients.limits", lang, threshold=threshold).strip()


def label(key: str, lang: str) -> str:
    """The question a filter asks ("How long have you had the pain?")."""
    return t(f"patients.{key}_label", lang)
