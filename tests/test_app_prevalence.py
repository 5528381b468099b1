"""The Prevalence page under AppTest: links restore the view, bad links fall back with a notice."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def open_link(**params: str) -> AppTest:
    """Open /prevalence with query parameters, as a browser opening a shared link would."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("streamlit_pages/prevalence.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def sentences(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**")]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_default_view_shows_two_charts_and_the_rest_on_demand(lang):
    at = open_link(lang=lang)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    downloads = [b.key for b in at.get("download_button")]
    assert len([k for k in downloads if k.startswith("csv_")]) == 2
    assert "export_html" in downloads
    assert len(sentences(at)) == 2
    names = ("compared", "standardised", "catchment")
    folded = [t(f"prevalence.{name}_heading", lang) for name in names]
    assert [e.label for e in at.expander if e.label in folded] == folded
    # The standard population and the catchment are chosen inside their folded sections: not
    # shown until opened.
    assert "standard" not in at.session_state and "catchment" not in at.session_state
    assert not at.number_input and not at.metric
    # Opened (or by a link with open=compared,standardised): the pyramid, the ratio and the
    # standardised rates too, with the choice of standard.
    at = open_link(lang=lang, open="compared,standardised")
    assert len(at.get("plotly_chart")) == 5
    assert len(sentences(at)) == 5
    assert at.session_state["standard"] == "crude"
    assert at.query_params["open"] in ("compared,standardised", ["compared,standardised"])


def test_a_folded_setting_holds_and_comes_back_when_opened():
    """A link's standard population holds while its section is folded (the chart's words use
    it, the link keeps it) and the widget shows it once the section is opened."""
    at = open_link(standard="esp2013", open="standardised")
    assert at.session_state["standard"] == "esp2013"
    from dashboard.views import prevalence

    chosen = prevalence.view(prevalence.Settings(standard="esp2013"), "en")
    assert f"**{chosen.section('standardised').blocks[0].sentence}**" in sentences(at)
    at.session_state["open_standardised"] = False
    at.run()
    assert not at.exception
    assert "standard" not in at.session_state
    assert at.query_params["standard"] in ("esp2013", ["esp2013"])
    assert "open" not in at.query_params
    # Folded, the view (what the share panel exports) still has the link's standard.
    shown = at.session_state["_view_this_run"].section("standardised").blocks[0]
    assert shown.sentence == chosen.section("standardised").blocks[0].sentence
    at.session_state["open_standardised"] = True
    at.run()
    assert at.session_state["standard"] == "esp2013"


def test_a_link_that_sets_a_folded_setting_opens_its_section():
    """Links made before a section was folded name its setting but not `open`: the reader
    sees the setting's result all the same, and the link then says the section is open."""
    at = open_link(catchment="25000")
    assert not at.exception
    assert at.session_state["catchment"] == 25000 and at.metric[0].value == "about 3,050"
    assert at.session_state["open_catchment"] and not at.session_state["open_standardised"]
    assert at.query_params["open"] in ("catchment", ["catchment"])
    # Also when the link opens other sections: its setting still needs its section.
    at = open_link(standard="esp2013", catchment="25000", open="compared")
    assert not at.exception
    assert at.session_state["standard"] == "esp2013" and at.session_state["catchment"] == 25000
    opened = ("compared,standardised,catchment", ["compared,standardised,catchment"])
    assert at.query_params["open"] in opened
    # The reader may fold it again: it stays folded, and its setting stays in the link.
    at.session_state["open_catchment"] = False
    at.run()
    assert not at.exception and not at.metric
    assert at.query_params["catchment"] in ("25000", ["25000"])
    at.run()
    assert not at.session_state["open_catchment"]


def test_a_link_restores_every_setting():
    at = open_link(
        lang="nl",
        year="2020",
        sex="men",
        measure="persons",
        standard="esp2013",
        catchment="25000",
        open="standardised",
    )
    assert not at.exception
    assert at.session_state["year"] == 2020
    assert at.session_state["sex"] == "men"
    assert at.session_state["measure"] == "persons"
    assert at.session_state["standard"] == "esp2013"
    assert at.session_state["catchment"] == 25000
    assert sentences(at)[0].startswith("**In 2020 waren 793.800 mannen")
    # With the age mix of 1 January 2025 (the default year).
    assert at.metric[0].value == "ongeveer 3.050"
    assert any("ook een leeftijdstabel over 2020" in i.value for i in at.info)
    assert at.query_params["sex"] == ["men"] or at.query_params["sex"] == "men"


def test_invalid_values_fall_back_with_notices():
    at = open_link(sex="vrouwen", measure="<script>", catchment="-5", foo="1")
    assert not at.exception
    assert at.session_state["sex"] == "women" and at.session_state["measure"] == "rate"
    notices = " ".join(i.value for i in at.info)
    assert "ignored: foo" in notices
    for key in ("sex", "measure", "catchment"):
        assert f"“{key}” was not valid" in notices
    assert "sex" not in at.query_params and "foo" not in at.query_params


def test_changing_a_widget_updates_the_link():
    at = open_link()
    at.get("button_group")[1].set_value("men").run()
    assert at.session_state["sex"] == "men"
    assert sentences(at)[0].startswith("**In 2018, 871,200 men")
    assert dict(at.query_params)["sex"] in ("men", ["men"])
    at.get("button_group")[1].set_value("women").run()  # back to the default: left out
    assert "sex" not in dict(at.query_params)
