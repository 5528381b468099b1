"""No interface text types a number that could silently go wrong.

A number in a text of `dashboard/locales` is one of:
- a placeholder filled from a fact (`{share}`) or from a definition declared once in
  `analysis.vocabulary` (`{CI_LEVEL}`, filled by `dashboard.i18n`);
- a number of the text's own key, for labels keyed by a data code (DATA_CODE_KEYS:
  `compared.2015_2019_average`, the age band `40-59`);
- 0 or 1 as wording ("1 in {n}", "a ratio of 1 means equal rates", "above 0");
- a phrase in TYPED below, each with a check against the data package or the code that fails
  when the data stop saying it.
Anything else fails, naming the key and the number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from scipy.stats import norm

from analysis import natural_course as nc
from analysis import prevalence
from analysis.data import load, resource_descriptor
from analysis.vocabulary import CONTROL_LEVELS_PCT, PAIN_BAND_PCT
from dashboard.i18n import LANGS, constants, messages, templates

# Labels keyed by a code of the data or the link parameters, whose numbers the key carries.
DATA_CODE_KEYS = (
    "home_working.care.compared.",
    "home_working.care.period.",
    "patients.age_option.",
    "patients.age_phrase.",
    "standard.",
    "words.licence.",
)


@dataclass(frozen=True)
class Typed:
    """A phrase that may type numbers, in the keys it may appear in, and why it is true."""

    phrase: str  # a regular expression; English and Dutch forms as alternatives
    keys: str  # a regular expression the key must match
    why: str
    holds: Callable[[], bool]


def _gp_years(source_type: str) -> set[int]:
    totals = load("gp_prevalence_totals")
    return set(totals.loc[totals["source_type"] == source_type, "year"].dropna().astype(int))


def _costa() -> object:
    benchmarks = load("outcome_benchmarks")
    return benchmarks[benchmarks["figure_id"].str.startswith(nc.COSTA_PREFIX)]


def _all(values, pattern: str) -> bool:
    """Whether there are values and each matches `pattern` (an empty selection is no proof)."""
    return len(values) > 0 and bool(values.astype(str).str.contains(pattern, regex=True).all())


def _odds_rows() -> object:
    studies = load("msk_homeworking_studies")
    return studies[studies["measure"] == "odds_ratio"]


TYPED = (
    Typed(
        r"covid-19",
        r".",
        "the disease's name",
        lambda: "covid-19" in resource_descriptor("covid_timeline")["title"].lower(),
    ),
    Typed(
        r"ICPC L01-L03, L83, L84, L86",
        r"(prevalence\.intro|home_working\.care\.definition)$",
        "the ICPC codes VZinfo counts",
        lambda: (
            sorted(load("icpc_categories")["icpc_code"])
            == ["L01", "L02", "L03", "L83", "L84", "L86"]
        ),
    ),
    Typed(
        r"2017: (secondary sources|secundaire bronnen)|The 2017 counts|De aantallen over 2017",
        r"(home_working\.care\.secondary_trace|methods\.breaks)$",
        "the GP counts of 2017 come only from secondary sources",
        lambda: 2017 in _gp_years("secondary") and 2017 not in _gp_years("primary"),
    ),
    Typed(
        r"VZinfo's 2018 and 2020|VZinfo over 2018 en 2020|\(2018 (and|en) 2020\)",
        r"methods\.(breaks|denominators)$",
        "VZinfo's own figures are those of 2018 and 2020",
        lambda: _gp_years("primary") == {2018, 2020},
    ),
    Typed(
        r"(European Standard Population|Europese standaardbevolking) 2013",
        r"methods\.standardisation$",
        "the standard's name; the package holds it as esp2013",
        lambda: set(load("standard_population")["standard"]) == {"esp2013"},
    ),
    Typed(
        r"85\+ .{0,30}85-89, 90-94 (and|en) 95\+",
        r"methods\.standardisation$",
        "ESP 2013's oldest groups, summed into 85+ in the package",
        lambda: _all(
            load("standard_population").query("age_group == '85+'")["derivation"],
            "85-89 .* 90-94 .* 95\\+",
        ),
    ),
    Typed(
        r"1 (January|januari) 2018 (or|of) 2020",
        r"methods\.standardisation$",
        "the Dutch standard populations on offer",
        lambda: (
            {"nl2018", "nl2020"} <= set(prevalence.STANDARDS)
            and {"2018-01-01", "2020-01-01"}
            <= set(load("population")["reference_date"].astype(str))
        ),
    ),
    Typed(
        r"patients over 45|patiënten ouder dan 45",
        r"home_working\.care\.measure\.msk_consultations_change_pct$",
        "the Rijnmond databases' population, as published",
        lambda: _all(
            load("gp_contacts_covid").query("measure == 'msk_consultations_change_pct'")["group"],
            "^patients over 45,",
        ),
    ),
    Typed(
        r"past 12 months|afgelopen 12 maanden",
        r"home_working\.(workers|claim\.workers)\.",
        "the NEA's question period",
        lambda: (
            "complaints in the past 12 months" in resource_descriptor("msk_workers")["description"]
        ),
    ),
    Typed(
        r"factsheet 2021|in 2022",
        r"home_working\.workers\.definition$",
        "the edition that prints no survey year, and the NEA's change of method",
        lambda: (
            "factsheet 2021" in set(load("msk_workers")["period"])
            and "The NEA changed its data collection in 2022"
            in resource_descriptor("msk_workers")["description"]
        ),
    ),
    Typed(
        r"95(%|%-)",
        r"home_working\.(odds\.(part|x_axis|hover)|claim\.cohort\.(increase|neutral))$",
        "the cohort study publishes 95% confidence intervals",
        lambda: _all(_odds_rows()["note"], "Interval: 95% confidence interval"),
    ),
    Typed(
        r"\(0-100\)",
        r"sources\.col\.mean$",
        "the scale Costa's mean pain is published on",
        lambda: set(_costa()["outcome_scale"]) == {"0-100"},
    ),
)

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_URL = re.compile(r"https?://\S+")


def typed_numbers(key: str, text: str) -> list[str]:
    """The numbers `text` types that none of the rules in the module doc accounts for."""
    text = _URL.sub(" ", _PLACEHOLDER.sub(" ", text))
    for typed in TYPED:
        if re.search(typed.keys, key):
            text = re.sub(typed.phrase, " ", text)
    own = set(re.findall(r"\d+", key)) if key.startswith(DATA_CODE_KEYS) else set()
    return [n for n in re.findall(r"\d+", text) if n not in {"0", "1"} | own]


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_types_a_number_of_its_own(lang):
    found = {
        key: numbers
        for key, text in templates(lang).items()
        if isinstance(text, str) and (numbers := typed_numbers(key, text))
    }
    assert not found, f"{lang}: numbers typed into interface text: {found}"


@pytest.mark.parametrize("typed", TYPED, ids=lambda typed: typed.phrase[:30])
def test_every_typed_phrase_still_holds_and_is_used(typed):
    assert typed.holds(), f"no longer true: {typed.phrase!r} ({typed.why})"
    used = [
        key
        for lang in LANGS
        for key, text in templates(lang).items()
        if isinstance(text, str) and re.search(typed.keys, key) and re.search(typed.phrase, text)
    ]
    assert used, f"{typed.phrase!r} appears in no text: remove it from TYPED"


def test_the_rules_catch_a_typed_number():
    assert typed_numbers("outcomes.km_part", "{share} of episodes (95% CI {low} to {high})") == [
        "95"
    ]
    assert typed_numbers("home_working.odds.part", "{value} (95% CI {low} to {high})") == []
    compared = "home_working.care.compared."
    assert typed_numbers(compared + "2015_2019", "against 2015-2019") == []
    assert typed_numbers(compared + "2019", "against 2015-2019") == ["2015"]
    # a key that names a definition does not license typing it
    assert typed_numbers("outcomes.limits_95", "95% limits") == ["95"]
    assert typed_numbers("methods.course_interval", "given with a 95% interval") == ["95"]


@pytest.mark.parametrize("lang", LANGS)
def test_named_definitions_are_filled_and_only_known_ones_are_named(lang):
    named = {
        name
        for text in templates(lang).values()
        if isinstance(text, str)
        for name in re.findall(r"\{([A-Z_]+)\}", text)
    }
    assert named <= set(constants(lang)), named - set(constants(lang))
    assert {"CI_LEVEL", "PER_PEOPLE", "PAIN_SCALE", "OUT_OF"} <= named
    left = [key for key, text in messages(lang).items() if re.search(r"\{[A-Z_]+\}", str(text))]
    assert not left, left


def test_named_definitions_read_as_declared():
    assert constants("en")["PER_PEOPLE"] == "1,000"
    assert constants("nl")["PER_PEOPLE"] == "1.000"
    assert messages("en")["outcomes.ci_band"] == "{group}: 95% band"
    assert messages("nl")["outcomes.axis_pain"] == "Pijn (0-10)"
    assert messages("en")["outcomes.caption_pain"].count("(25th to 75th percentile)") == 1


def test_the_natural_course_is_at_costas_level():
    """Every natural-course interval is at the level Costa publishes (its texts say {level},
    filled from nc.LEVEL_PCT), not at the dashboard's own CI_LEVEL_PCT."""
    assert _all(_costa()["benchmark_interval_kind"], "^ci95$")
    assert nc.LEVEL_PCT == 95
    assert float(norm.ppf(0.5 + nc.LEVEL_PCT / 200)) == nc.Z95


# Words that restate a definition (no digits for the rules above to see), and whether the
# definition still makes them true.
RESTATED = (
    ("outcomes.caption_pain", r"middle half|middelste helft", PAIN_BAND_PCT == (25, 75)),
    (
        "outcomes.p_chart_outside",
        r"one quarter in twenty|één op de twintig",
        100 / (100 - CONTROL_LEVELS_PCT[0]) == 20,
    ),
)


@pytest.mark.parametrize(("key", "words", "true"), RESTATED, ids=[k for k, _, _ in RESTATED])
def test_words_that_restate_a_definition_still_match_it(key, words, true):
    for lang in LANGS:
        assert re.search(words, templates(lang)[key]), (lang, key)
    assert true, f"{key} says {words!r}, which the definition no longer makes true"
