"""The Home working & covid page under AppTest: both languages, its charts, and its link."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from dashboard.words.home_working import definition_label

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
TIMEOUT = 60
CHARTS = 4
# Drawn when the page opens: the trend; the GP figures and the studies of workers are folded.
AT_OPEN = 1


def open_link(**params: str) -> AppTest:
    """Open /home-working?<params> in a new session, as a shared link would.

    AppTest starts on the app's first page; the page's own parameters are set again after
    switching, because the first page drops parameters it does not know.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if "lang" in params:
        at.query_params["lang"] = params["lang"]
    at.run()
    at.switch_page("streamlit_pages/home_working.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def figure(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def series_names(at: AppTest) -> list[str]:
    return [
        trace["name"]
        for trace in figure(at, 0)["data"]
        if trace.get("meta", {}).get("kind") == "series"
    ]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_runs_and_shows_every_chart(lang):
    at = open_link(lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lang"] == lang
    assert at.title[0].value == t("nav.home_working", lang)
    assert len(at.get("plotly_chart")) == AT_OPEN
    assert [s.value for s in at.subheader] == [
        t(f"home_working.heading_{part}", lang) for part in ("trend", "claim")
    ]
    folded = [t(f"home_working.heading_{part}", lang) for part in ("care", "workers", "odds")]
    assert [e.label for e in at.expander if e.label in folded] == folded
    assert "open" not in at.query_params
    # A link that opens the evidence in detail shows every chart, in page order.
    at = open_link(lang=lang, open="care,workers,odds")
    assert not at.exception, [e.value for e in at.exception]
    assert [c.key for c in at.get("plotly_chart")] == [
        f"chart_{name}"
        for name in (
            "home_working_trend",
            "care_during_covid",
            "workers_msk_complaints",
            "home_working_odds_ratios",
        )
    ]
    downloads = [b.key for b in at.get("download_button")]
    assert len([k for k in downloads if k.startswith("csv_")]) == CHARTS
    assert "export_html" in downloads
    # every chart's values, definitions and caveats are one click away, in the page's language
    expanders = [e for e in at.expander if e.label == t("home_working.about_title", lang)]
    assert len(expanders) == CHARTS
    assert not any(e.markdown for e in expanders)  # drawn once opened
    for name in ("home_working_trend", "care_during_covid"):
        at.session_state[f"details_about_{name}"] = True
    at.run()
    expanders = [e for e in at.expander if e.label == t("home_working.about_title", lang)]
    inside = " ".join(m.value for m in expanders[0].markdown)
    assert t("home_working.trend.sentence", lang, parts="", start="", end="")[:20] in inside
    assert t("home_working.trend.lines_note", lang) in inside
    assert t("words.caveats", lang) in " ".join(m.value for m in expanders[1].markdown)
    # the claim check ends with its verdict, in the page's language
    text = " ".join(m.value for m in at.markdown)
    assert t("home_working.claim.intro", lang) in text
    verdict = t("home_working.claim.verdict.not_supported_nationally", lang, cohort="")
    assert verdict.split(".")[0] in text
    assert figure(at, 0)["layout"]["separators"] == (",." if lang == "nl" else ".,")
    assert series_names(at)[0] == definition_label("cbs_ebb_usually_or_occasionally", lang)


def test_default_view_shows_every_definition_and_keeps_the_url_short():
    at = open_link()
    assert at.segmented_control(key="series").value == "all"
    assert len(series_names(at)) == 4
    assert "series" not in at.query_params


@pytest.mark.parametrize(
    ("code", "definitions"),
    [
        ("cbs", ["cbs_ebb_usually_or_occasionally", "cbs_ebb_most_of_time_or_sometimes"]),
        ("eurostat", ["eurostat_usually", "eurostat_at_least_occasionally"]),
    ],
)
def test_series_parameter_restores_the_view(code, definitions):
    at = open_link(series=code, lang="nl")
    assert not at.exception
    assert at.segmented_control(key="series").value == code
    assert series_names(at) == [definition_label(d, "nl") for d in definitions]
    assert at.query_params["series"] in (code, [code])
    assert not at.info  # a valid link gives no notice


def test_choosing_a_series_writes_it_to_the_url():
    at = open_link()
    at.segmented_control(key="series").set_value("cbs").run()
    assert at.query_params["series"] in ("cbs", ["cbs"])
    assert len(series_names(at)) == 2
    at.segmented_control(key="series").set_value("all").run()
    assert "series" not in at.query_params


@pytest.mark.parametrize("bad", ["foo", "CBS", "Alleen CBS", "<script>"])
def test_invalid_series_falls_back_with_a_notice(bad):
    at = open_link(series=bad)
    assert not at.exception
    assert at.segmented_control(key="series").value == "all"
    assert len(series_names(at)) == 4
    notices = " ".join(i.value for i in at.info)
    assert "“series” was not valid" in notices
    assert "series" not in at.query_params
    assert len(at.get("plotly_chart")) == AT_OPEN
