"""Prevalence figures checked by their specification (traces, axes, words), never as images."""

import json

import pytest

from analysis import data
from analysis import prevalence as p
from dashboard.charts import prevalence as charts
from dashboard.charts.common import OKABE_ITO, SEX_COLOURS


@pytest.fixture(scope="module")
def frames():
    totals = data.load("gp_prevalence_totals")
    population = data.load("population")
    rates = p.age_rates(data.load("gp_prevalence_age_sex"))
    by_age = p.persons_by_age(rates, p.population_by_age(population, 2020))
    table = p.standardisation_table(totals, rates, data.load("standard_population"), population)
    return {
        "published": p.published_totals(totals),
        "rates": rates,
        "by_age": by_age,
        "table": table,
    }


def test_age_profile_traces_axes_and_data(frames):
    chart = charts.age_profile(frames["by_age"], "rate", "women", 2018, "en")
    names = [trace.name for trace in chart.figure.data]
    assert names == ["men", "women"]  # the selected sex is drawn last, on top
    assert chart.figure.layout.xaxis.title.text == "Age group (years)"
    assert chart.figure.layout.yaxis.title.text == "Per 1,000 people"
    women = chart.figure.data[1]
    assert list(women.x) == list(frames["rates"]["age_group"].astype(str).unique())
    assert list(women.y) == list(chart.data.loc[chart.data["sex"] == "women", "rate_per_1000"])
    assert "more common in women at every age" in chart.title
    # VZinfo 2018: women 85+ 285.57 per 1,000 = 28.6%.
    assert "28.6% of women aged 85 and over" in chart.sentence
    assert women.line.color == SEX_COLOURS["women"]


def test_age_profile_in_dutch_uses_decimal_commas(frames):
    chart = charts.age_profile(frames["by_age"], "persons", "men", 2018, "nl")
    assert chart.figure.layout.yaxis.title.text == "Aantal personen"
    assert chart.figure.layout.separators == ",."
    # VZinfo 2018: men 80-84 205.19 per 1,000 = 20.5%.
    assert "20,5% van de mannen van 80-84 jaar" in chart.sentence
    assert "1 januari 2020" in chart.caption  # the proxy population is stated
    assert set(chart.data.columns) == {"sex", "age_group", "rate_per_1000", "population", "persons"}


def test_pyramid_mirrors_men_to_the_left(frames):
    chart = charts.pyramid(frames["by_age"], "rate", 2018, "en")
    men, women = chart.figure.data
    assert men.name == "men" and women.name == "women"
    assert max(men.x) <= 0 and min(women.x) >= 0
    assert all(
        text.lstrip("-").replace(",", "").isdigit() for text in chart.figure.layout.xaxis.ticktext
    )
    assert chart.figure.layout.barmode == "relative"


def test_ratio_chart_has_reference_line_and_range_title(frames):
    chart = charts.ratio_chart(p.rate_ratio(frames["rates"]), 2018, "en")
    lines = [s for s in chart.figure.layout.shapes if s.type == "line"]
    assert lines and lines[0].y0 == 1 == lines[0].y1
    assert chart.title.startswith("Women's rate is 1.02 to 1.57 times men's")


def test_standardised_chart_highlights_the_selected_standard(frames):
    chart = charts.standardised_chart(frames["table"], "esp2013", "women", "en")
    opacity = {trace.name: trace.opacity for trace in chart.figure.data}
    assert opacity["European Standard Population 2013"] == 1.0
    assert opacity["Crude (published)"] < 1.0
    crude = charts.standardised_chart(frames["table"], "crude", "women", "nl")
    assert "ruwe cijfer 137,6 per 1.000" in crude.sentence


def test_totals_chart_marks_secondary_2017_and_covid_2020(frames):
    chart = charts.totals_chart(frames["published"], 2020, "women", "en")
    men = next(trace for trace in chart.figure.data if trace.name == "men")
    assert list(men.x) == ["2017", "2018", "2020"]
    assert list(men.marker.pattern.shape) == ["/", "", ""]
    assert chart.title.startswith("198,000 fewer people were registered in 2020")
    assert chart.sentence.startswith("In 2020, 1,073,100 women were known")
    # Annotations on a category axis must use positions, not number-like labels.
    categories = sorted({x for trace in chart.figure.data for x in trace.x})
    for note in chart.figure.layout.annotations:
        assert isinstance(note.x, int | float) and 0 <= note.x < len(categories)
    total = next(trace for trace in chart.figure.data if trace.name == "men and women")
    assert "more than" in total.customdata[0]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_prevalence_figure_is_small_and_colour_blind_safe(frames, lang):
    built = [
        charts.age_profile(frames["by_age"], "rate", "total", 2018, lang),
        charts.pyramid(frames["by_age"], "persons", 2018, lang),
        charts.ratio_chart(p.rate_ratio(frames["rates"]), 2018, lang),
        charts.standardised_chart(frames["table"], "nl2020", "men", lang),
        charts.totals_chart(frames["published"], 2018, "total", lang),
    ]
    allowed = {c.upper() for c in OKABE_ITO.values()}
    for chart in built:
        assert len(chart.figure.to_json()) < 1_000_000
        spec = json.loads(chart.figure.to_json())
        for trace in spec["data"]:
            colour = (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get(
                "color"
            )
            assert colour is None or colour.upper() in allowed, (chart.name, colour)
        assert chart.title and chart.sentence and chart.caption
        assert "VZinfo" in chart.caption


def test_catchment_sentence_names_its_numbers(frames):
    population = data.load("population")
    estimate = p.catchment_estimate(frames["rates"], p.population_by_age(population, 2020), 25_000)
    assert "25,000 inhabitants" in charts.catchment_sentence(estimate, 25_000, "en")
    assert "25.000 inwoners" in charts.catchment_sentence(estimate, 25_000, "nl")
