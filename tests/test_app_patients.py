"""The page for patients under AppTest: both languages, the questions in plain words with the
codes in the link, the fallback notice, and the demo label."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from dashboard.words import patients as w

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
TIMEOUT = 60


def open_link(**params: str) -> AppTest:
    """Open /patients?<params> in a new session, as a shared link would (AppTest starts on the
    first page, which drops parameters it does not know, so they are set again after)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if "lang" in params:
        at.query_params["lang"] = params["lang"]
    at.run()
    at.switch_page("streamlit_pages/patients.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def people_filled(at: AppTest) -> list[int]:
    """How many of the 10 people are filled in each icon array of the page's one chart."""
    (chart,) = at.get("plotly_chart")
    shapes = json.loads(chart.proto.spec)["layout"]["shapes"]
    answers = [shapes[start : start + 20] for start in range(0, len(shapes), 20)]
    return [sum(1 for s in answer if s["fillcolor"] != "white") // 2 for answer in answers]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_runs_with_two_icon_arrays_in_one_chart_and_the_demo_label(lang):
    at = open_link(lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("patients.title", lang)
    questions = [b.label for b in at.segmented_control if b.key != "lang"]
    assert questions == [w.label(k, lang) for k in ("group", "sex", "age")]
    assert at.segmented_control(key="group").options == [
        w.group_option(g, lang) for g in ("acute", "subacute", "chronic")
    ]
    assert people_filled(at) == [7, 8]  # demo acute: 7 and 8 of 10
    assert any(t("patients.demo_banner", lang) == x.value for x in at.warning)
    subheaders = [s.value for s in at.subheader]
    assert t("patients.without_heading", lang) in subheaders
    assert t("patients.limits_heading", lang) in subheaders


def test_a_link_sets_the_questions_and_a_change_reaches_the_link():
    at = open_link(group="subacute", sex="men", age="60+")
    assert not at.exception
    assert at.segmented_control(key="group").value == "subacute"
    assert at.segmented_control(key="age").value == "60+"
    # Too few subacute men aged 60+ in the demo: everyone with subacute pain, said once.
    assert [i.value for i in at.info] == [
        "There are too few men aged 60 or over with this pain to show them on their own. "
        "So here you see everyone with pain for 6 to 12 weeks."
    ]
    at.segmented_control(key="group").set_value("acute").run()
    assert "group" not in at.query_params  # the default is left out of the link
    assert at.query_params["age"] in ("60+", ["60+"])
    at.segmented_control(key="sex").set_value("women").run()
    assert not at.exception
    assert at.query_params["sex"] in ("women", ["women"])
    at.segmented_control(key="age").set_value("all").run()
    assert "age" not in at.query_params
    assert not at.info  # acute women are shown on their own
    assert "patients like you" in at.get("plotly_chart")[0].proto.spec


def test_an_invalid_group_falls_back_to_the_default_with_a_notice():
    at = open_link(group="forever")
    assert not at.exception
    assert at.segmented_control(key="group").value == "acute"
    assert any("“group”" in i.value for i in at.info)
