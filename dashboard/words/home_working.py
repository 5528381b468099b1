"""Titles and sentences of the Home working & covid page, filled from `analysis.homeworking`'s
facts. Nothing is compared across a change of question: a title follows the series in use.

Each chart has one short finding above it (`*_finding`); the sentence that gives every value
goes into its "About this data" expander. The check of the website's covid sentence is worded
here too (`claim_*`): one paragraph per piece of evidence, with its limits and its sources, and
a verdict chosen by `analysis.homeworking.claim_verdict`.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from analysis import homeworking as hw
from analysis import provenance
from analysis.facts import Quantity, decimals_of, qualifier_of
from analysis.prevalence import CovidDip
from dashboard.i18n import messages, t
from dashboard.words import say, say_abs, say_date


@cache
def statements() -> dict[str, dict[str, str]]:
    """Each home-working definition's stated years, table and ages (see
    `analysis.homeworking.definition_statements`)."""
    from analysis.data import load

    return hw.definition_statements(load("homeworking_definitions"))


def definition_label(definition: str, lang: str, kind: str = "definition") -> str:
    """A home-working definition's label ('definition') or its explanation ('definition_text'),
    its years, table and ages filled from the data package."""
    text = messages(lang)[f"home_working.{kind}.{definition}"]
    return text.format(**statements().get(definition, {}))  # a value not stated: KeyError


def _verb(change, lang: str) -> str:
    return t(f"home_working.verb.{change.direction}", lang)


def short_series(definition: str, lang: str) -> str:
    text = t(f"home_working.short.{definition}", lang)
    return text[:1].upper() + text[1:]


def trend_title(found: hw.TrendFindings, lang: str) -> str:
    """Within the series in use: its change from first to last year; after a change of
    question, only the new question's years, and the title says earlier years asked another."""
    span = found.headline
    values = {
        "first": say(span.first, lang),
        "first_year": span.first_year,
        "last": say(span.last, lang),
        "last_year": span.last_year,
        "producer": span.producer,
    }
    if found.question_break_year is not None:
        key = (
            "home_working.trend.title_break"
            if span.points > 1
            else "home_working.trend.title_break_one"
        )
        return t(key, lang, verb=_verb(span.change, lang), year=found.question_break_year, **values)
    return t(
        "home_working.trend.title_trend",
        lang,
        series=short_series(span.definition, lang),
        verb=_verb(span.change, lang),
        **values,
    )


def trend_sentence(found: hw.TrendFindings, advice: pd.DataFrame, lang: str) -> str:
    """Each definition's first and last value, and the span of the national advice."""
    parts = []
    for span in found.spans:
        series = definition_label(span.definition, lang)
        if span.points == 1:
            parts.append(f"{series}: {say(span.last, lang)} ({span.last_year})")
        else:
            parts.append(
                t(
                    "home_working.trend.part_range",
                    lang,
                    series=series,
                    first=say(span.first, lang),
                    first_year=span.first_year,
                    last=say(span.last, lang),
                    last_year=span.last_year,
                )
            )
    return t(
        "home_working.trend.sentence",
        lang,
        parts="; ".join(parts),
        start=say_date(advice["start"].min(), lang),
        end=say_date(advice["end"].max(), lang),
    )


def odds_title(found: hw.OddsFindings, lang: str) -> str:
    """'Higher odds' only when every working-from-home interval lies above 1."""
    key = (
        "home_working.odds.title_higher" if found.all_above_one else "home_working.odds.title_mixed"
    )
    return t(key, lang, low=say(found.low, lang), high=say(found.high, lang))


def odds_finding(found: hw.OddsFindings, lang: str) -> str:
    """The forest plot's one message: higher odds only when every interval lies above 1."""
    key = "home_working.odds.finding_higher" if found.all_above_one else "home_working.odds.finding"
    return t(key, lang, low=say(found.low, lang), high=say(found.high, lang))


def trend_finding(found: hw.TrendFindings, advice: pd.DataFrame, lang: str) -> str:
    """The trend chart's one message: the latest value of the series in use, and when the
    national home-working advice ran."""
    span = found.headline
    return t(
        "home_working.trend.finding",
        lang,
        series=short_series(span.definition, lang),
        last=say(span.last, lang),
        last_year=span.last_year,
        producer=span.producer,
        start=say_date(advice["start"].min(), lang),
        end=say_date(advice["end"].max(), lang),
    )


def care_finding(dip: CovidDip, lang: str) -> str:
    """The care panels' one message: a fall in persons known to the GP in a year when GP
    contacts fell too is a registration dip; otherwise the two years' figures plainly."""
    change = dip.change
    values = {
        "before": say(change.start, lang),
        "year_before": change.start_year,
        "after": say(change.end, lang),
        "year_after": change.end_year,
        "full_year": say_abs(dip.full_year_contacts, lang),
        "reference_year": dip.reference_year,
    }
    dipped = change.direction == "fell" and dip.full_year_contacts.value < 0
    key = "home_working.care.finding_dip" if dipped else "home_working.care.finding_plain"
    return t(key, lang, **values)


def edition_label(label: str, lang: str) -> str:
    """'factsheet 2021' -> 'TNO factsheet 2021'; '2022' -> 'NEA 2022'."""
    factsheet = re.fullmatch(r"factsheet ([0-9]{4})", label)
    if factsheet:
        return t("home_working.workers.edition_factsheet", lang, year=factsheet.group(1))
    if re.fullmatch(r"[0-9]{4}", label):
        return t("home_working.workers.edition_year", lang, year=label)
    return label


def workers_finding(complaints: pd.DataFrame, lang: str) -> str:
    """The workers chart's one message: the latest share of employees with any musculoskeletal
    complaint, and, when a series break lies among the editions, that they are no trend."""
    msk = complaints[complaints["measure"] == hw.WORKERS_MSK]
    latest = msk.iloc[-1]
    value = float(latest["share_pct"])
    share = say(
        Quantity(value, "pct", decimals_of(value), qualifier_of(latest["value_qualifier"])), lang
    )
    broken = "series_break" in provenance.caveat_keys(complaints)
    key = "home_working.workers.finding_break" if broken else "home_working.workers.finding"
    return t(key, lang, msk=share, edition=edition_label(str(latest["edition"]), lang))


# -- the website's covid sentence -------------------------------------------------------------


def _say_value(value: object, lang: str) -> object:
    return say(value, lang) if isinstance(value, Quantity) else value


def _period_key(period: str) -> str:
    return "home_working.care.period." + re.sub(r"[^a-z0-9]+", "_", period.lower()).strip("_")


def _care_what(measure: str, period: str, lang: str) -> str:
    """'patients with a GP-practice contact, 2021'."""
    label = t(f"home_working.care.measure.{measure}", lang)
    label = label if label.split(" ", 1)[0].isupper() else label[:1].lower() + label[1:]
    key = _period_key(period)
    return f"{label}, {t(key, lang) if key in messages(lang) else period}"


def _months(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> str:
    months = t("home_working.months", lang).split(",")
    if start.year == end.year:
        return f"{months[start.month - 1]}–{months[end.month - 1]} {end.year}"
    return f"{months[start.month - 1]} {start.year}–{months[end.month - 1]} {end.year}"


def _claim_values(item: hw.ClaimEvidence, lang: str) -> dict[str, object]:
    """The item's values as a sentence prints them."""
    values = {k: _say_value(v, lang) for k, v in item.figures.items()}
    if item.key == "gp_registered":
        values["first_wave"] = say_abs(item.figures["first_wave"], lang)
        values["full_year"] = say_abs(item.figures["full_year"], lang)
    elif item.key == "care_contacts":
        for end in ("smallest", "largest"):
            values[f"{end}_what"] = _care_what(
                item.figures[f"{end}_measure"], item.figures[f"{end}_period"], lang
            )
    elif item.key == "physio_ldf":
        values["period"] = _months(item.figures["start"], item.figures["end"], lang)
        slug = re.sub(r"[^a-z0-9]+", "_", item.figures["compared_with"].lower()).strip("_")
        values["compared"] = t(f"home_working.care.compared.{slug}", lang)
        for name in ("words", "words_also"):  # as published, with a translation if it differs
            phrase = item.figures[name]
            key = "home_working.claim.words." + re.sub(r"[^a-z]+", "_", phrase.lower()).strip("_")
            meaning = t(key, lang)
            values[name] = f"‘{phrase}’" + (f" ({meaning})" if meaning != phrase else "")
        values["analysis"] = t(
            "home_working.claim.physio_ldf.preliminary"
            if item.is_preliminary
            else "home_working.claim.physio_ldf.final",
            lang,
        )
    elif item.key == "workers":
        values["first_edition"] = edition_label(item.figures["first_edition"], lang)
        values["last_edition"] = edition_label(item.figures["last_edition"], lang)
    return values


def claim_finding(item: hw.ClaimEvidence, lang: str) -> str:
    """What one piece of evidence shows, worded for its reading (a neutral wording when its
    reading has none of its own)."""
    key = f"home_working.claim.{item.key}.{item.reading}"
    if key not in messages(lang):
        key = f"home_working.claim.{item.key}.neutral"
    return t(key, lang, **_claim_values(item, lang))


def claim_item(item: hw.ClaimEvidence, lang: str) -> str:
    """'**Label.** Finding *Limits:* ...' for one piece of evidence."""
    values = _claim_values(item, lang)
    return t(
        "home_working.claim.item",
        lang,
        label=t(f"home_working.claim.{item.key}.label", lang, **values),
        finding=claim_finding(item, lang),
        limits=t(f"home_working.claim.{item.key}.limits", lang, **values),
    )


def claim_sources(item: hw.ClaimEvidence, lang: str) -> str:
    """'Sources: [producer, title](url); ...' from the source registry, each publication once."""
    links = []
    for table, url in item.sources:
        entry = provenance.registry(table)[url]
        link = f"[{entry.producer_in(lang)}, “{entry.title}”]({url})"
        if link not in links:
            links.append(link)
    key = "words.source_one" if len(links) == 1 else "words.sources_many"
    return t(key, lang, sources="; ".join(links))


def claim_verdict(check: hw.CovidClaimCheck, lang: str) -> str:
    """The verdict in one or two sentences: the national reading, and the cohort's association
    beside it when there is one (never as a national increase)."""
    cohort = ""
    if check.cohort_association:
        item = check.item("cohort")
        cohort = t(
            "home_working.claim.verdict_cohort",
            lang,
            low=say(item.figures["low"], lang),
            high=say(item.figures["high"], lang),
        )
    return t(f"home_working.claim.verdict.{check.verdict}", lang, cohort=cohort)
