"""The Prevalence page view: figures checked by their specification (traces, axes), and words
checked against the facts that allow them, for the findings the audit of issue 11 listed."""

import json

import pytest

from analysis import data
from analysis import prevalence as p
from analysis.facts import Quantity
from dashboard.charts.common import OKABE_ITO, SEX_COLOURS
from dashboard.i18n import messages
from dashboard.views import prevalence as page
from dashboard.words import prevalence as w


def charts(**settings):
    lang = settings.pop("lang", "en")
    view = page.view(page.Settings(**settings), lang)
    return {chart.name.split("_2018")[0]: chart for chart in view.charts}, view


def test_age_profile_traces_axes_and_data():
    chart = charts(sex="women")[0]["prevalence_by_age"]
    names = [trace.name for trace in chart.figure.data]
    assert names == ["men", "women"]  # the selected sex is drawn last, on top
    assert chart.figure.layout.xaxis.title.text == "Age group (years)"
    assert chart.figure.layout.yaxis.title.text == "Per 1,000 people"
    women = chart.figure.data[1]
    assert list(women.y) == list(chart.data.loc[chart.data["sex"] == "women", "rate_per_1000"])
    assert women.line.color == SEX_COLOURS["women"]
    # VZinfo 2018: women 85+ 285.57 per 1,000, the highest group.
    assert "285.6 per 1,000 women aged 85 and over" in chart.sentence


def test_age_title_claims_no_rise_with_age_because_mens_rates_fall():
    """L7: men's rates fall at 65-69 and 85+; the old title said complaints 'rise with age'."""
    chart = charts(sex="men")[0]["prevalence_by_age"]
    assert chart.title == (
        "Neck and back complaints are more common in women than in men in every age group (2018)"
    )
    assert "rise" not in chart.title


def test_persons_use_the_2018_mean_population_rounded_as_published():
    """M7: counts of people by age are the 2018 rates x the mean of 1 January 2018 and 2019,
    rounded to hundreds; the old sentence gave 1,211,730 and 886,154 on the 2020 population."""
    built, _ = charts(measure="persons", sex="total")
    pyramid = built["prevalence_pyramid"]
    assert "about 1,193,800 women and about 871,200 men" in pyramid.sentence
    assert "VZinfo published 1,193,800 and 871,200" in pyramid.sentence
    assert "1,211,730" not in pyramid.sentence and "886,154" not in pyramid.sentence
    assert "1 January 2018 and 2019" in pyramid.caption
    assert (pyramid.data["persons"] % 100 == 0).all()


def test_pyramid_title_counts_the_groups_where_women_outnumber_men():
    """M2: with counts of people, more boys than girls at 0-4 and 5-9; the old title said
    'Women outnumber men in every age group' whatever was shown."""
    built, _ = charts(measure="persons")
    assert built["prevalence_pyramid"].title == "More women than men in 16 of 18 age groups (2018)"
    rates, _ = charts(measure="rate")
    assert rates["prevalence_pyramid"].title == (
        "Women's rate is higher than men's in every age group (2018)"
    )
    men, women = rates["prevalence_pyramid"].figure.data
    assert max(men.x) <= 0 and min(women.x) >= 0


def test_rate_sentence_gives_the_published_crude_rates_not_an_unweighted_mean():
    """M3: 'the average rate is 145.4 per 1,000 for women' was a mean of 18 group rates."""
    built, _ = charts(measure="rate")
    sentence = built["prevalence_pyramid"].sentence
    assert (
        sentence
        == "In 2018, VZinfo's crude rate was 137.6 per 1,000 women and 101.8 per 1,000 men."
    )
    assert "145.4" not in sentence


def test_ratio_chart_has_reference_line_and_range_title():
    chart = charts()[0]["prevalence_ratio"]
    lines = [s for s in chart.figure.layout.shapes if s.type == "line"]
    assert lines and lines[0].y0 == 1 == lines[0].y1
    assert chart.title.startswith("Women's rate is 1.02 to 1.57 times men's")


def test_standardised_chart_offers_the_2018_dutch_standard():
    chart = charts(standard="nl2018")[0]["prevalence_standardised"]
    opacity = {trace.name: trace.opacity for trace in chart.figure.data}
    assert opacity["Dutch population 1 Jan 2018"] == 1.0
    assert opacity["Crude (published)"] < 1.0
    crude = charts(standard="crude", lang="nl")[0]["prevalence_standardised"]
    assert "ruwe cijfer 137,6 per 1.000" in crude.sentence


def test_totals_axis_keeps_the_missing_2019_and_2017_apart():
    """L1: 2017/2018/2020 were spaced evenly on a category axis, hiding the missing 2019.
    M1: 2017 (secondary, definition assumed) was drawn as the same series as 2018/2020."""
    chart = charts(year=2020)[0]["prevalence_by_year"]
    assert chart.figure.layout.xaxis.type != "category"
    assert list(chart.figure.layout.xaxis.tickvals) == [2017, 2018, 2019, 2020]
    notes = {note.x: note.text for note in chart.figure.layout.annotations}
    assert notes[2019] == "no figure"
    for trace in chart.figure.data:
        years = set(trace.x)
        assert years in ({2017}, {2018, 2020}), (trace.name, years)
        assumed = years == {2017}
        assert ("definition assumed" in trace.name) == assumed
        assert (trace.marker.pattern.shape == "/") == assumed


def test_the_totals_chart_is_the_same_whatever_sex_the_page_shows():
    """The sex filter changes the sentence above the chart, not the chart (all three drawn
    alike), so changing it does not make the browser redraw the chart; every label is white
    on its full-colour bar."""
    figures = {
        sex: charts(sex=sex)[0]["prevalence_by_year"].figure.to_json()
        for sex in ("women", "men", "total")
    }
    assert len(set(figures.values())) == 1
    chart = charts(sex="men")[0]["prevalence_by_year"]
    assert {trace.textfont.color for trace in chart.figure.data} == {"white"}
    assert {trace.opacity for trace in chart.figure.data} == {None}
    sentences = {sex: charts(sex=sex)[0]["prevalence_by_year"].sentence for sex in ("women", "men")}
    assert "women" in sentences["women"] and "men" in sentences["men"]
    assert sentences["women"] != sentences["men"]


def test_2017_women_bar_is_the_published_1_17_million():
    """H1: the caption said no 2017 bar for women because only 'just over 1.1 million' was
    published; the press release gives '1,17 miljoen'."""
    built, _ = charts(year=2017, sex="women")
    chart = built["prevalence_by_year"]
    women = next(t for t in chart.figure.data if t.name.startswith("women, 2017"))
    assert list(women.y) == [1_170_000]
    assert chart.sentence.startswith("In 2017, 1.17 million women were known to their GP")
    assert "just over 1.1 million" not in chart.caption


def test_2017_total_is_said_as_a_lower_bound_from_its_real_source():
    """H2: 'more than 2,028,000' from an exercise-therapy practice's website citing Nivel was
    shown as exact and attributed to news items quoting RIVM; with sex=women the sentence
    switched to the total without saying so."""
    total = charts(year=2017, sex="total")[0]["prevalence_by_year"]
    assert total.sentence.startswith("In 2017, more than 2,028,000 people were known")
    assert "practice" in total.sentence
    assert "news items quoting RIVM" not in total.sentence + total.caption
    women = charts(year=2017, sex="women")[0]["prevalence_by_year"]
    assert "2,028,000" not in women.sentence


def test_dip_caption_says_not_necessarily_and_gives_both_contact_figures():
    """M5: the dip was explained as 'not fewer back problems' from the first wave alone."""
    chart = charts(year=2020)[0]["prevalence_by_year"]
    assert "fell by 11% in March-June and by 2.7% over the whole year" in chart.caption
    assert "not necessarily fewer back problems" in chart.caption
    assert chart.title == (
        "In 2020, a year with fewer GP contacts, 198,000 fewer people were known to their GP "
        "than in 2018"
    )


def test_no_age_detail_notice_says_what_is_true():
    """M4: 'age detail is only published for 2018' is false; VZinfo publishes 2020 too."""
    _, view = charts(year=2020)
    notices = [b.text for b in view.section("by_age").blocks if getattr(b, "kind", "") == "info"]
    assert len(notices) == 1
    assert "also publishes an age table for 2020" in notices[0]
    assert "only published for 2018" not in notices[0]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_captions_name_registered_sources_with_licences(lang):
    """Item 3: a chart's source line comes from the registry of the plotted rows."""
    view = page.view(page.Settings(year=2017, measure="persons"), lang)
    package = data.descriptor()
    vzinfo = next(r for r in package["resources"] if r["name"] == "gp_prevalence_totals")
    titles = {s["path"]: s["title"] for s in vzinfo["sources"]}
    by_year = next(c for c in view.charts if c.name == "prevalence_by_year")
    for url in set(by_year.data["source_url"]):
        assert titles[url] in by_year.caption
    assert "prevalence.source" not in messages(lang)  # no hand-written source prose


def test_catchment_uses_the_population_year_the_reader_picks():
    early = page.view(page.Settings(catchment=25_000, catchment_year=2014), "en")
    late = page.view(page.Settings(catchment=25_000, catchment_year=2025), "en")
    early_text = early.section("catchment").blocks[1].text
    late_text = late.section("catchment").blocks[1].text
    assert "25,000 inhabitants" in early_text and "1 January 2014" in early_text
    assert "1 January 2025" in late_text and early_text != late_text
    dutch = page.view(page.Settings(catchment=25_000), "nl").section("catchment").blocks[1]
    assert "25.000 inwoners" in dutch.text


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_prevalence_figure_is_small_and_colour_blind_safe(lang):
    allowed = {c.upper() for c in OKABE_ITO.values()}
    for settings in page.link_settings()[::7]:
        for chart in page.view(settings, lang).charts:
            spec = json.loads(chart.figure.to_json())
            assert len(chart.figure.to_json()) < 1_000_000
            for trace in spec["data"]:
                colour = (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get(
                    "color"
                )
                assert colour is None or colour.upper() in allowed, (chart.name, colour)
            assert chart.title and chart.sentence and chart.caption
            assert "VZinfo" in chart.caption


def _findings(women_higher: int, rises: dict) -> p.AgeFindings:
    rate = Quantity(100.0, "per_1000", 1)
    return p.AgeFindings(
        year=2018,
        measure="rate",
        peak_group={"men": "85+", "women": "85+"},
        peak_rate={"men": rate, "women": rate},
        groups=18,
        women_higher_groups=women_higher,
        rises_with_age=rises,
        totals={"men": rate, "women": rate},
        unrounded={},
        population_years=(2018, 2019),
    )


def test_age_title_is_chosen_by_the_facts():
    both_rise = {"men": True, "women": True}
    assert w.age_title(_findings(18, both_rise), "en").startswith(
        "Neck and back complaints rise with age and are more common in women"
    )
    men_fall = {"men": False, "women": True}
    assert "rise" not in w.age_title(_findings(18, men_fall), "en")
    assert w.age_title(_findings(12, both_rise), "en") == (
        "Women's rate is higher than men's in 12 of 18 age groups (2018)"
    )
