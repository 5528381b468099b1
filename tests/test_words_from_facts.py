"""Every number a page states comes from a fact made in `analysis`.

Walks every view a link can ask for (`dashboard.views.every_view`), in both languages, and
checks that each number in a title, sentence, headline figure or notice equals a number of the
facts the view was built from (formatting aside: separators, rounding to the printed decimals,
scale, sign), or is one of the definitions declared once in `analysis.vocabulary`.
"""

from __future__ import annotations

import dataclasses
import math
import re
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis.facts import Quantity
from analysis.vocabulary import DEFINITION_NUMBERS
from dashboard.charts.common import Chart
from dashboard.views import every_view
from dashboard.views.page import PageView, Section
from dashboard.words import say

# Numbers that are part of fixed wording, not findings: the 0-10 pain scale, "1 in N", and the
# NEA's "past 12 months".
WORDING_NUMBERS = frozenset({0, 1, 10, 12})

_NUMBER = {
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
    "nl": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"),
}


def numbers_in(text: str, lang: str) -> list[float]:
    """The numbers a reader sees in `text`, parsed with the language's separators."""
    text = re.sub(r"https?://\S+", "", text)
    out = []
    for match in _NUMBER[lang].findall(text):
        raw = match.replace(",", "") if lang == "en" else match.replace(".", "").replace(",", ".")
        out.append(float(raw))
    return out


def _add(out: set[float], value: float) -> None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return
    value = abs(float(value))
    for decimals in range(4):
        out.add(round(value, decimals))


def fact_numbers(fact: object, out: set[float] | None = None) -> set[float]:
    """Every number a fact record holds, as it may be printed."""
    out = set() if out is None else out
    if isinstance(fact, Quantity):
        _add(out, fact.shown)
    elif isinstance(fact, bool) or fact is None:
        pass
    elif isinstance(fact, int | float):
        _add(out, fact)
    elif isinstance(fact, str):
        for number in re.findall(r"\d+", fact):  # age groups such as "20-24", "85+"
            _add(out, float(number))
    elif isinstance(fact, pd.Timestamp):
        _add(out, fact.day)
        _add(out, fact.year)
    elif isinstance(fact, pd.DataFrame):
        for column in fact.columns:
            values = fact[column]
            if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                for value in values.dropna():
                    _add(out, value)
                    if 0 <= value <= 1:  # shares printed as percentages
                        _add(out, value * 100)
            elif pd.api.types.is_datetime64_any_dtype(values):
                for value in values.dropna():
                    fact_numbers(value, out)
            elif not pd.api.types.is_bool_dtype(values):  # labels such as "NEA 2022"
                for value in values.dropna().astype(str).unique():
                    fact_numbers(value, out)
    elif isinstance(fact, dict):
        for key, value in fact.items():
            fact_numbers(key, out)
            fact_numbers(value, out)
    elif isinstance(fact, list | tuple | set | frozenset):
        for value in fact:
            fact_numbers(value, out)
    elif dataclasses.is_dataclass(fact):
        for field in dataclasses.fields(fact):
            fact_numbers(getattr(fact, field.name), out)
        for name in dir(type(fact)):  # derived properties (a change's difference)
            if isinstance(getattr(type(fact), name), property):
                fact_numbers(getattr(fact, name), out)
    return out


@cache
def _views() -> list:
    return list(every_view())


def test_every_view_is_walked():
    names = [name for name, _ in _views()]
    for page in ("overview", "prevalence", "home-working", "outcomes", "patients", "sources"):
        for lang in ("en", "nl"):
            assert any(n.startswith(f"{lang}/{page}") for n in names), (lang, page)


def _always_allowed() -> set[float]:
    out: set[float] = set()
    for number in DEFINITION_NUMBERS | WORDING_NUMBERS:
        _add(out, number)
    return out


def unfounded_numbers(view: PageView, lang: str) -> list[str]:
    """Each number in the view's words that no fact of the view holds, with its sentence."""
    allowed = fact_numbers(view.facts) | _always_allowed()
    return [
        f"{number:g} in “{text}”"
        for text in view.texts
        for number in numbers_in(text, lang)
        if number not in allowed
    ]


def unqualified_values(view: PageView, lang: str) -> list[str]:
    """Each place where a value that was published with a qualifier ('more than', 'about') is
    printed without it."""
    quantities = list(_quantities(view.facts))
    # A value that is also a fact without qualifier (VZinfo's 1,193,800 beside our estimate
    # 'about 1,193,800') may be printed bare.
    exact = {say(q, lang) for q in quantities if not q.qualifier}
    problems = []
    for quantity in quantities:
        bare = say(dataclasses.replace(quantity, qualifier=""), lang)
        if not quantity.qualifier or bare in exact:
            continue
        whole = say(quantity, lang)
        prefix = whole[: whole.index(bare)].lower()
        for text in view.texts:
            for match in re.finditer(r"(?<![\d.,])" + re.escape(bare) + r"(?![\d.,]?\d)", text):
                if not text[: match.start()].lower().endswith(prefix):
                    problems.append(f"{bare} without “{prefix.strip()}” in “{text}”")
    return problems


def _quantities(fact: object):
    if isinstance(fact, Quantity):
        yield fact
    elif isinstance(fact, dict):
        for value in fact.values():
            yield from _quantities(value)
    elif isinstance(fact, list | tuple):
        for value in fact:
            yield from _quantities(value)
    elif dataclasses.is_dataclass(fact) and not isinstance(fact, type):
        for field in dataclasses.fields(fact):
            yield from _quantities(getattr(fact, field.name))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_number_in_the_words_is_a_fact(lang):
    problems = [
        f"{name}: {problem}"
        for name, view in _views()
        if name.startswith(f"{lang}/")
        for problem in unfounded_numbers(view, lang)
    ]
    assert not problems, f"{len(problems)} numbers without a fact:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_qualified_value_is_printed_with_its_qualifier(lang):
    problems = [
        f"{name}: {problem}"
        for name, view in _views()
        if name.startswith(f"{lang}/")
        for problem in unqualified_values(view, lang)
    ]
    assert not problems, "\n".join(problems[:40])


def _old_sentence_view(sentence: str, facts: tuple) -> PageView:
    chart = Chart("old", go.Figure(), pd.DataFrame(), "A title", sentence, "")
    return PageView("prevalence", "t", "i", (Section("s", (chart,)),), facts)


def test_the_checks_catch_the_old_misstatements():
    """The checks can fail: sentences the audit found (M3's unweighted mean, H2's lower bound
    printed as exact) are caught against the facts the page now has."""
    from analysis import data
    from analysis import prevalence as p

    published = p.published_totals(data.load("gp_prevalence_totals"))
    rates = p.age_rates(data.load("gp_prevalence_age_sex"))
    by_age = p.estimated_persons_by_age(rates, data.load("population"))
    found = p.age_findings(by_age, published, "rate")
    old_m3 = "Across the 18 age groups of 2018, the average rate is 145.4 per 1,000 for women."
    assert unfounded_numbers(_old_sentence_view(old_m3, (found,)), "en") == [f"145.4 in “{old_m3}”"]
    figures = p.year_figures(published)
    old_h2 = "In 2017, 2,028,000 people were known to their GP with neck or back complaints."
    view = _old_sentence_view(old_h2, (figures[(2017, "total")],))
    assert unfounded_numbers(view, "en") == []
    assert len(unqualified_values(view, "en")) == 1
    new = "In 2017, more than 2,028,000 people were known to their GP."
    assert unqualified_values(_old_sentence_view(new, (figures[(2017, "total")],)), "en") == []


def test_numbers_in_parses_both_languages():
    assert numbers_in("an estimated 2,064,900 (2018), 137.6 per 1,000", "en") == [
        2064900.0,
        2018.0,
        137.6,
        1000.0,
    ]
    assert numbers_in("naar schatting 2.064.900 (2018), 137,6 per 1.000", "nl") == [
        2064900.0,
        2018.0,
        137.6,
        1000.0,
    ]
