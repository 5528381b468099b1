"""Titles and sentences of the Home working & covid page, filled from `analysis.homeworking`'s
facts. Nothing is compared across a change of question: a title follows the series in use."""

from __future__ import annotations

import pandas as pd

from analysis import homeworking as hw
from dashboard.i18n import t
from dashboard.words import say, say_date


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
        series = t(f"home_working.definition.{span.definition}", lang)
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
