"""dashboard.charts.homeworking: figure specs (traces, axes, breaks, shading), the data behind
them and the words, in English and Dutch. Figures are checked by their structure, not as images."""

import re

import pandas as pd
import pytest

from analysis import data
from analysis import homeworking as hw
from dashboard.charts.common import OKABE_ITO
from dashboard.i18n import t
from dashboard.views import home_working as page
from dashboard.views.page import Details
from dashboard.words.home_working import definition_label

LANGS = ["en", "nl"]
PALETTE = set(OKABE_ITO.values())


@pytest.fixture(scope="module")
def frames():
    timeline = data.load("covid_timeline")
    gp, physio = data.load("gp_contacts_covid"), data.load("physio_use")
    return {
        "shares": hw.home_working_share(data.load("homeworking")),
        "periods": hw.covid_periods(timeline),
        "undated": hw.undated_events(timeline),
        "prevalence": hw.gp_prevalence_persons(data.load("gp_prevalence_totals")),
        "changes": hw.care_changes(gp, physio),
        "undated_changes": hw.undated_care_changes(gp, physio),
        "complaints": hw.workers_msk_complaints(data.load("msk_workers")),
        "ors": hw.odds_ratios(data.load("msk_homeworking_studies")),
    }


def trend(frames, lang, view="all"):
    """The trend chart as the page view builds it (title and finding from the facts)."""
    return page.view(page.Settings(series=view), lang).section("trend").blocks[0]


def odds(frames, lang):
    """The forest plot as the page view builds it (title from the odds-ratio facts)."""
    return page.view(page.Settings(), lang).section("odds").blocks[0]


def care(frames, lang):
    return page.view(page.Settings(), lang).section("care").blocks[0]


def workers(frames, lang):
    return page.view(page.Settings(), lang).section("workers").blocks[0]


def about(section: str, lang: str, view: str = "all") -> Details:
    """The "About this data" expander under a section's chart."""
    details = page.view(page.Settings(series=view), lang).section(section).blocks[1]
    assert isinstance(details, Details)
    return details


def about_values(section: str, lang: str, view: str = "all") -> str:
    """The sentence with every plotted value, first in the expander."""
    return about(section, lang, view).blocks[0].text


def about_text(section: str, lang: str, view: str = "all") -> str:
    return " ".join(block.text for block in about(section, lang, view).blocks)


def all_charts(frames, lang):
    return [trend(frames, lang), care(frames, lang), workers(frames, lang), odds(frames, lang)]


SECTIONS = ("trend", "care", "workers", "odds")


def traces(chart, kind):
    return [tr for tr in chart.figure.data if tr.meta and tr.meta.get("kind") == kind]


def points(trace):
    """The (x, y) pairs a trace draws, without the gaps."""
    return [
        (pd.Timestamp(x) if isinstance(x, str) else x, y)
        for x, y in zip(trace.x, trace.y, strict=True)
        if x is not None and y is not None
    ]


# -- the home-working trend ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_trend_has_one_trace_per_definition_named_in_the_language(frames, lang):
    chart = trend(frames, lang)
    series = traces(chart, "series")
    assert [tr.meta["definition"] for tr in series] == list(hw.HEADLINE_DEFINITIONS)
    assert [tr.name for tr in series] == [
        definition_label(d, lang) for d in hw.HEADLINE_DEFINITIONS
    ]


def test_no_trace_mixes_definitions_or_bridges_a_missing_year(frames):
    chart = trend(frames, "en")
    for tr in traces(chart, "series"):
        rows = chart.data[chart.data["definition"] == tr.meta["definition"]]
        assert points(tr) == list(zip(rows["plotted_at"], rows["share_pct"], strict=True))
        # between two drawn points that are connected, the years are consecutive
        segment = []
        for x in tr.x:
            if x is None:
                segment = []
                continue
            year = pd.Timestamp(x).year
            if segment:
                assert year - segment[-1] == 1, (tr.name, segment, year)
            segment.append(year)


def test_trend_data_is_exactly_what_is_plotted(frames):
    chart = trend(frames, "en")
    plotted = [p for tr in traces(chart, "series") for p in points(tr)]
    assert plotted == list(zip(chart.data["plotted_at"], chart.data["share_pct"], strict=True))
    assert chart.data["share_pct"].notna().all()
    assert len(chart.data) == len(frames["shares"])


@pytest.mark.parametrize("lang", LANGS)
def test_breaks_are_marked_with_a_line_and_a_label(frames, lang):
    chart = trend(frames, lang)
    lines = [s for s in chart.figure.layout.shapes if (s.name or "").startswith("break:")]
    labels = [a for a in chart.figure.layout.annotations if (a.name or "").startswith("break:")]
    assert [s.name for s in lines] == [
        "break:cbs_ebb_most_of_time_or_sometimes",
        "break:eurostat_at_least_occasionally",
    ]
    assert pd.Timestamp(lines[0].x0) == pd.Timestamp("2021-01-01") == pd.Timestamp(lines[0].x1)
    assert labels[0].text == t("home_working.trend.break_label", lang, producer="CBS", year=2021)
    assert len(labels) == len(lines)


def test_covid_advice_is_shaded_darker_when_stricter(frames):
    chart = trend(frames, "en")
    shades = [s for s in chart.figure.layout.shapes if (s.name or "").startswith("advice:")]
    advised = frames["periods"][frames["periods"]["advice"] != "none"]
    assert len(shades) == len(advised)
    first_urgent = next(s for s in shades if s.name == "advice:urgent_work_at_home")
    assert pd.Timestamp(first_urgent.x0) == pd.Timestamp("2020-03-12")
    assert pd.Timestamp(first_urgent.x1) == pd.Timestamp("2021-06-26")
    alpha = {s.name: float(s.fillcolor.rsplit(",", 1)[1].rstrip(")")) for s in shades}
    assert (
        alpha["advice:urgent_work_at_home"]
        > alpha["advice:at_least_half_at_home"]
        > alpha["advice:work_at_home_if_possible"]
    )
    assert all(s.opacity == 1 for s in shades)  # the template's 0.3 would wash them out
    legend = [tr.name for tr in traces(chart, "advice")]
    assert legend[0] == t("home_working.advice.urgent_work_at_home", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_trend_axis_titles_and_title(frames, lang):
    chart = trend(frames, lang)
    layout = chart.figure.layout
    assert layout.xaxis.title.text == t("home_working.trend.x_axis", lang)
    assert layout.yaxis.title.text == t("home_working.trend.y_axis", lang)
    expected = {
        "en": "Home working rose from 39% (2019) to 54% (2021), "
        "partly because CBS changed its question",
        "nl": "Thuiswerken steeg van 39% (2019) naar 54% (2021), "
        "deels doordat CBS de vraag veranderde",
    }
    # M6: the old title compared 39% (2019) with 54% (2021) across CBS's change of question
    # and stopped at 2021; the title now stays on the question in use, up to its latest year.
    assert chart.title != expected[lang]
    assert (
        chart.title
        == {
            "en": "Home working was 54% in 2021 and 52% in 2023 on the question CBS has asked "
            "since 2021; earlier years asked another question, so they are not compared",
            "nl": "Thuiswerken was 54% in 2021 en 52% in 2023 met de vraag die CBS sinds "
            "2021 stelt; eerdere jaren stelden een andere vraag en worden niet vergeleken",
        }[lang]
    )
    assert "39%" not in chart.title
    assert layout.separators == (",." if lang == "nl" else ".,")


def test_eurostat_view_states_its_own_finding(frames):
    chart = trend(frames, "en", view="eurostat")
    assert {tr.meta["definition"] for tr in traces(chart, "series")} == {
        "eurostat_usually",
        "eurostat_at_least_occasionally",
    }
    assert (
        chart.title == "Usually working at home rose from 13.7% (2017) to 17.8% (2020) (Eurostat)"
    )
    assert "CBS" not in chart.sentence
    assert "CBS" not in about_values("trend", "en", view="eurostat")


@pytest.mark.parametrize(
    ("lang", "numbers"),
    [
        ("en", ["34%", "39%", "54%", "52%", "13.7%", "17.8%", "51.9%", "12 March 2020"]),
        ("nl", ["34%", "39%", "54%", "52%", "13,7%", "17,8%", "51,9%", "12 maart 2020"]),
    ],
)
def test_trend_values_sentence_carries_the_formatted_numbers(frames, lang, numbers):
    sentence = about_values("trend", lang)
    for text in numbers:
        assert text in sentence, text
    assert sentence.endswith(".") and not re.search(r"\.\s+[A-Z]", sentence)  # one sentence


def test_trend_caption_names_sources_and_about_gives_definitions_and_caveats(frames):
    package = data.descriptor()
    for lang in LANGS:
        caption = trend(frames, lang).caption
        assert "CBS" in caption and "Eurostat" in caption
        text = about_text("trend", lang)
        assert package["caveats"]["series_break"][lang] in text
        assert package["caveats"]["secondary_source"][lang] in text
        assert definition_label("eurostat_usually", lang, "definition_text") in text


# -- GP prevalence and care panels -----------------------------------------------------------


def test_care_panels_share_the_x_axis_without_a_secondary_y_axis(frames):
    fig = care(frames, "en").figure
    layout = fig.layout
    xaxes = [k for k in layout.to_plotly_json() if k.startswith("xaxis")]
    yaxes = [k for k in layout.to_plotly_json() if k.startswith("yaxis")]
    assert len(xaxes) == len(yaxes) == 3
    matches = {layout[k].matches for k in xaxes}
    assert len(matches - {None}) == 1  # every panel follows the same x axis
    assert all(layout[k].overlaying is None for k in yaxes)
    assert all(layout[k].side in (None, "left") for k in yaxes)
    rows = {tr.yaxis for tr in fig.data}
    assert rows == {"y", "y2", "y3"}


@pytest.mark.parametrize("lang", LANGS)
def test_care_panels_axes_and_panel_titles(frames, lang):
    chart = care(frames, lang)
    layout = chart.figure.layout
    assert layout.yaxis.title.text == t("home_working.care.y_persons", lang)
    assert layout.yaxis2.title.text == t("home_working.care.y_change", lang)
    assert layout.yaxis3.title.text == t("home_working.care.y_change", lang)
    assert layout.xaxis3.title.text == t("home_working.care.x_axis", lang)
    panel_titles = {a.text for a in layout.annotations}
    for key in ("panel_prevalence", "panel_gp", "panel_physio"):
        assert t(f"home_working.care.{key}", lang) in panel_titles
    advice = [s for s in layout.shapes if (s.name or "").startswith("advice:")]
    assert {s.yref for s in advice} == {"y domain", "y2 domain", "y3 domain"}


def test_care_data_is_exactly_what_is_plotted(frames):
    chart = care(frames, "en")
    bars = traces(chart, "prevalence")
    assert [tr.meta["source_type"] for tr in bars] == ["secondary", "primary"]
    prev = chart.data[chart.data["panel"] == "gp_prevalence"]
    drawn = sorted(p for tr in bars for p in points(tr))
    assert drawn == sorted(zip(prev["plotted_at"], prev["value"], strict=True))
    assert prev["value"].tolist() == [2_028_000, 2_064_900, 1_866_900]
    for tr in traces(chart, "change"):
        rows = chart.data[chart.data["measure"] == tr.meta["measure"]]
        assert points(tr) == list(zip(rows["plotted_at"], rows["value"], strict=True))
    changes = chart.data[chart.data["panel"] != "gp_prevalence"]
    assert changes["start"].notna().all()  # undated changes stay off the time axis
    assert -90 not in changes["value"].tolist()


@pytest.mark.parametrize("lang", LANGS)
def test_gaps_and_open_ends_are_labelled_not_filled(frames, lang):
    chart = care(frames, lang)
    missing = [a for a in chart.figure.layout.annotations if a.name == "missing:2019"]
    assert len(missing) == 1
    assert t("home_working.care.no_figure", lang) in missing[0].text.replace("<br>", " ")
    physio = next(tr for tr in traces(chart, "change") if tr.meta["care"] == "physio")
    date = {"en": "9 March 2020", "nl": "9 maart 2020"}[lang]
    assert physio.text == (f"-78% ({t('home_working.period_from', lang, date=date)})",)
    spans = traces(chart, "change_span")
    assert all(not tr.showlegend for tr in spans)
    assert "physio" not in {tr.meta["care"] for tr in spans}  # no end published, no span


def test_undated_advice_changes_are_named_in_the_about_expander(frames):
    text = about_text("trend", "en")
    assert "Not shaded because the sources give no calendar day: 2 later" in text


def test_secondary_2017_is_drawn_differently(frames):
    bars = traces(care(frames, "en"), "prevalence")
    secondary, primary = bars
    assert secondary.marker.pattern.shape == "/" and primary.marker.pattern.shape == ""
    assert secondary.text == ("more than 2,028,000",)


@pytest.mark.parametrize(
    ("lang", "numbers"),
    [
        ("en", ["1,866,900", "2,064,900", "-11%", "-2.7%", "-78%", "-90%", "9 March 2020"]),
        ("nl", ["1.866.900", "2.064.900", "-11%", "-2,7%", "-78%", "-90%", "9 maart 2020"]),
    ],
)
def test_care_values_title_and_finding(frames, lang, numbers):
    chart = care(frames, lang)
    values = about_values("care", lang)
    for text in numbers:
        assert text in values, text
    assert numbers[0] in chart.title and numbers[1] in chart.title
    assert numbers[0] in chart.sentence and numbers[1] in chart.sentence
    caveat = data.descriptor()["caveats"]["covid_registration_dip"][lang]
    assert caveat in about_text("care", lang) and caveat not in chart.caption


# -- workers' complaints ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_workers_chart(frames, lang):
    chart = workers(frames, lang)
    bars = traces(chart, "edition")
    assert {tr.meta["edition"] for tr in bars} == {"factsheet 2021", "2022"}
    for tr in bars:
        rows = chart.data[chart.data["edition"] == tr.meta["edition"]]
        # Row labels are wrapped for phones; the words are the data's.
        labels = [y.replace("<br>", " ") for y in tr.y]
        assert list(zip(labels, tr.x, strict=True)) == list(
            zip(rows["region"], rows["share_pct"], strict=True)
        )
    x_title = chart.figure.layout.xaxis.title.text.replace("<br>", " ")
    assert x_title == t("home_working.workers.x_axis", lang)
    expected = {"en": ("60%", "36%", "not published"), "nl": ("60%", "36%", "niet gepubliceerd")}
    for text in expected[lang]:
        assert text in about_values("workers", lang)
    assert chart.title.startswith("60%") and chart.sentence.startswith("60%")


# -- odds ratios -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_forest_plot(frames, lang):
    chart = odds(frames, lang)
    fig = chart.figure
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.xaxis.title.text.replace("<br>", " ") == t("home_working.odds.x_axis", lang)
    reference = [s for s in fig.layout.shapes if s.name == "reference:1"]
    assert len(reference) == 1 and reference[0].x0 == 1 == reference[0].x1
    drawn = []
    for tr in traces(chart, "odds_ratio"):
        assert tr.error_x.type == "data" and tr.error_x.symmetric is False
        for y, x, plus, minus in zip(
            tr.y, tr.x, tr.error_x.array, tr.error_x.arrayminus, strict=True
        ):
            # Row labels are wrapped for phones; the words are the data's.
            label = y.replace("<br>", " ")
            drawn.append((label, x, round(x - minus, 6), round(x + plus, 6)))
    expected = list(
        zip(
            chart.data["label"],
            chart.data["odds_ratio"],
            chart.data["ci_low"],
            chart.data["ci_high"],
            strict=True,
        )
    )
    assert sorted(drawn) == sorted(expected)
    names = {tr.name for tr in traces(chart, "odds_ratio")}
    assert names == {
        t(f"home_working.odds.exposure.{e}", lang) for e in ("working_from_home", "hybrid_working")
    }
    # every row is labelled by outcome and exposure
    assert any(
        t("home_working.odds.outcome.upper_back_pain", lang) in label.lower()
        for label in chart.data["label"]
    )


@pytest.mark.parametrize(
    ("lang", "numbers"),
    [
        ("en", ["1.05", "1.24", "1.18", "1.02 to 1.08"]),
        ("nl", ["1,05", "1,24", "1,18", "1,02 tot 1,08"]),
    ],
)
def test_forest_words(frames, lang, numbers):
    chart = odds(frames, lang)
    for text in numbers:
        assert text in about_values("odds", lang), text
    assert numbers[0] in chart.title and numbers[1] in chart.title
    assert numbers[0] in chart.sentence and numbers[1] in chart.sentence
    assert "Bosma" in chart.caption


# -- every chart -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_is_complete_small_and_colour_blind_safe(frames, lang):
    names = set()
    for chart in all_charts(frames, lang):
        names.add(chart.name)
        assert chart.title and chart.sentence and chart.caption
        assert len(chart.data) > 0
        assert len(chart.figure.to_json()) < 1_000_000
        for tr in chart.figure.data:
            colour = getattr(getattr(tr, "marker", None), "color", None)
            if isinstance(colour, str) and not colour.startswith("rgba"):
                assert colour in PALETTE or colour == "white", (chart.name, tr.name, colour)
    assert len(names) == 4


def test_no_english_left_in_dutch_words(frames):
    english = ["the ", " and ", "from ", "Share of", "employees", "odds ratio was"]
    for chart, section in zip(all_charts(frames, "nl"), SECTIONS, strict=True):
        for text in (chart.title, chart.sentence, about_values(section, "nl")):
            for word in english:
                assert word not in text, (chart.name, word, text)


# -- one message per chart, everything else one click away -----------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_each_chart_has_one_short_finding_and_a_source_line(frames, lang):
    for chart, section in zip(all_charts(frames, lang), SECTIONS, strict=True):
        finding = chart.sentence
        assert finding.endswith(".") and not re.search(r"[.:;]\s+[A-Z]", finding), finding
        assert len(finding) < len(about_values(section, lang)) or section == "care", section
        # the caption is the source line only; definitions and caveats are in the expander
        assert chart.caption.startswith(t("words.source_one", lang, sources="")[:3])
        assert t("words.caveats", lang) not in chart.caption


@pytest.mark.parametrize("lang", LANGS)
def test_about_expanders_hold_every_caveat_of_the_plotted_rows(frames, lang):
    package = data.descriptor()
    tables = {
        "trend": ["homeworking"],
        "care": ["gp_prevalence_totals", "gp_contacts_covid", "physio_use"],
        "workers": ["msk_workers"],
        "odds": ["msk_homeworking_studies"],
    }
    for chart, section in zip(all_charts(frames, lang), SECTIONS, strict=True):
        details = about(section, lang)
        assert details.title == t("home_working.about_title", lang)
        text = about_text(section, lang)
        assert t("words.caveats", lang) in text
        # every caveat key the plotted rows cite is spelled out
        ids = set(chart.data["figure_id"].dropna())
        cited = 0
        for table in tables[section]:
            rows = data.load(table)
            for cell in rows.loc[rows["figure_id"].isin(ids), "caveats"].dropna():
                for key in filter(None, str(cell).split(";")):
                    assert package["caveats"][key][lang] in text, (section, key)
                    cited += 1
        assert cited, section


def test_the_old_caption_text_is_all_still_on_the_page(frames):
    """Moved, not deleted: the definitions that were in the captions are in the expanders."""
    for lang in LANGS:
        assert t("home_working.care.definition", lang) in about_text("care", lang)
        assert t("home_working.workers.definition", lang) in about_text("workers", lang)
        assert t("home_working.odds.definition", lang) in about_text("odds", lang)
        assert t("home_working.trend.lines_note", lang) in about_text("trend", lang)
