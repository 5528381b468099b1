"""The dashboard shell under Streamlit's AppTest: every page, both languages, bad URLs."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import data, outcomes
from analysis.catalogue import resource_title
from analysis.metadata import DATA_VERSION
from dashboard.i18n import t
from dashboard.site import PAGES

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
TIMEOUT = 60


def run_page(file: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if file != PAGES[0][0]:
        at.switch_page(file).run()
    return at


def open_outcomes(**params: str) -> AppTest:
    """The outcomes page opened by a link with `params`."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("streamlit_pages/outcomes.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("file", [p[0] for p in PAGES])
def test_every_page_runs_in_both_languages(file, lang):
    at = run_page(file, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lang"] == lang
    assert at.title, f"{file} shows no title"


def test_language_changes_the_page_text():
    assert run_page("streamlit_pages/overview.py", lang="en").title[0].value == t(
        "overview.title", "en"
    )
    assert run_page("streamlit_pages/overview.py", lang="nl").title[0].value == t(
        "overview.title", "nl"
    )
    assert t("overview.title", "en") != t("overview.title", "nl")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_sources_page_lists_every_resource_with_a_download(lang):
    at = run_page("streamlit_pages/sources.py", lang=lang)
    labels = [e.label for e in at.expander]
    package = data.descriptor()
    for resource in package["resources"]:
        title = resource_title(resource, lang)
        assert any(title in label and resource["name"] in label for label in labels), title
    # Each table's fold is drawn only once opened: closed, nothing of it is on the page.
    assert not at.get("download_button")
    for resource in package["resources"]:
        at.session_state[f"details_{resource['name']}"] = True
    at.run()
    downloads = at.get("download_button")
    assert len(downloads) == len(package["resources"])
    assert {d.proto.label for d in downloads} == {
        t("sources.download", lang, name=r["name"]) for r in package["resources"]
    }


def test_sources_page_shows_row_counts_and_version():
    at = run_page("streamlit_pages/sources.py")
    labels = " ".join(e.label for e in at.expander)
    assert "gp_prevalence_age_sex` · 36 rows" in labels
    assert any(DATA_VERSION in c.value for c in at.caption)


def test_links_carry_the_data_version():
    at = run_page("streamlit_pages/overview.py")
    assert at.query_params["v"] == [DATA_VERSION] or at.query_params["v"] == DATA_VERSION


def test_bad_parameters_fall_back_with_a_notice_and_no_exception():
    at = run_page(
        "streamlit_pages/overview.py", lang="xx", foo="<script>alert(1)</script>", v="2020.1.1"
    )
    assert not at.exception
    assert at.session_state["lang"] == "en"
    notices = " ".join(i.value for i in at.info)
    assert "ignored: foo" in notices
    assert "“lang” was not valid" in notices
    assert "data version 2020.1.1" in notices
    assert "foo" not in at.query_params


def test_clinic_page_offers_no_upload_or_patient_data():
    at = run_page("streamlit_pages/clinic_data.py")
    assert not at.get("file_uploader")
    assert not at.button
    assert not at.dataframe


def test_methods_show_both_denominators():
    at = run_page("streamlit_pages/sources.py")
    frames = [df.value for df in at.dataframe]
    methods = next(f for f in frames if "denominator" in f.columns)
    row = methods[(methods["year"] == 2020) & (methods["sex"] == "men")].set_index("denominator")
    mean_label = "mean of 1 January 2020 and 2021 (stand-in for the average population)"
    assert round(row.loc[mean_label, "rate_per_1000"], 2) == 91.59  # published 91.6
    assert round(row.loc["1 January 2020", "rate_per_1000"], 2) == 91.79
    assert methods.loc[methods["year"] == 2018, "published_rate_per_1000"].notna().all()
    # 2018 too, now that the 1 January 2019 population by sex is in the package.
    mean = methods[methods["denominator"].str.startswith("mean of")]
    assert len(mean) == 4 and mean["reproduces"].all()


def test_overview_headlines_carry_their_numbers_and_sources():
    at = run_page("streamlit_pages/overview.py", lang="nl")
    values = [m.value for m in at.metric]
    # VZinfo 2018: an estimated 2,064,900 people, women 137.6 per 1,000; 2020: 1,866,900;
    # CBS 2023 (the latest year of the question asked since 2021): 52%.
    assert values[:4] == ["naar schatting 2.064.900", "137,6", "naar schatting 1.866.900", "52%"]
    # Outcome headline from the demo clinic (no records imported): two shares with their CI.
    assert len(values) == 6 and all(v.endswith("%") for v in values[4:])
    assert any("Demogegevens" in w.value for w in at.warning)
    captions = " ".join(c.value for c in at.caption)
    assert "1 op de 8" in captions
    assert captions.count("Bron:") >= 4


@pytest.mark.parametrize(
    ("lang", "acute", "subacute", "chronic"),
    [("en", "acute", "subacute", "chronic"), ("nl", "acuut", "subacuut", "chronisch")],
)
def test_outcome_filters_speak_the_readers_language_and_keep_codes_in_the_url(
    lang, acute, subacute, chronic
):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("streamlit_pages/outcomes.py")
    at.query_params["lang"] = lang
    at.query_params["group"] = "chronic"
    at.run()
    box = at.segmented_control(key="group")
    assert box.value == "chronic"
    assert box.options == [t("outcomes.all", lang), acute, subacute, chronic]
    assert at.query_params["group"] == "chronic"


def test_outcome_sections_open_on_demand_and_the_link_says_which():
    """The page opens on its answers in words (the verdicts, the medians) and draws no chart or
    table; a link's `open` opens its sections, and opening one more writes it into the address
    (so a shared link opens the same ones)."""
    at = run_page("streamlit_pages/outcomes.py")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    assert len(at.table) == 0
    assert any(t("outcomes.verdict_heading", "en") in s.value for s in at.subheader)
    assert any(m.value.startswith(f"**{t('outcomes.medians_label', 'en')}") for m in at.markdown)
    labels = [e.label for e in at.expander]
    sessions = outcomes.REPORT_SESSIONS
    counts = t("outcomes.responses_heading", "en", first=sessions[0], last=sessions[-1])
    assert counts in labels
    assert t("outcomes.curve_heading", "en") in labels
    for name in ("pain", "course", "trials", "time"):
        assert t(f"outcomes.{name}_heading", "en") in labels
    assert t("outcomes.other_benchmarks", "en") in labels
    assert "open" not in at.query_params

    at = open_outcomes(open="curve")
    assert [c.key for c in at.get("plotly_chart")] == ["chart_outcomes_response_by_session"]

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("streamlit_pages/outcomes.py")
    at.query_params["open"] = "time"  # a link that opens the page with "time" open
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2  # the intake and the p-chart
    assert at.query_params["open"] in ("time", ["time"])
    at.session_state["open_pain"] = True
    at.run()
    assert len(at.get("plotly_chart")) == 3
    assert at.query_params["open"] in ("pain,time", ["pain,time"])


def test_a_table_of_words_is_drawn_as_plain_text():
    """The outcomes page's three-ways table is a static table whose cells show as typed."""
    import pandas as pd

    from dashboard.render import _is_static, _markdown_escaped
    from dashboard.views.page import Table

    assert _is_static(Table(pd.DataFrame({"a": ["x", None]})))
    assert _is_static(Table(pd.DataFrame({"a": ["x"], "n": [5]})))
    assert not _is_static(Table(pd.DataFrame({"a": [1.5]})))
    assert not _is_static(Table(pd.DataFrame({"u": ["https://x"]}), links=("u",)))
    assert _markdown_escaped("*bold* [link](x) <b>") == r"\*bold\* \[link\]\(x\) \<b\>"
    # Emoji shortcodes (an IPv6 address), entities and autolinks stay text.
    assert _markdown_escaped("2001:db8::1 &lt; www.x.nl") == r"2001\:db8\:\:1 \&lt; www\.x\.nl"

    at = open_outcomes(open="counts")
    assert len(at.table) == 1
    shown = at.table[0].value
    # The three ways of counting side by side, the conservative one first.
    ways = [t(f"outcomes.col_{way}", "en") for way in outcomes.RESPONSE_METHODS]
    assert [column for column in shown.columns if column in ways] == ways


def test_a_start_year_not_offered_falls_back_to_all_with_a_notice():
    """A link naming a valid year the records do not offer (or no longer show) opens the whole
    period, says so, and the address then says so too."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("streamlit_pages/outcomes.py")
    at.query_params["period"] = "2019"  # the demo clinic starts in 2022
    at.run()
    assert not at.exception
    assert at.segmented_control(key="period").value == "all"
    assert "period" not in at.query_params
    assert any("period" in i.value for i in at.info)
    assert any(t("outcomes.verdict_heading", "en") in s.value for s in at.subheader)


def test_open_sections_stay_open_when_the_language_changes():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("streamlit_pages/outcomes.py")
    at.query_params["open"] = "pain,time"
    at.run()
    assert len(at.get("plotly_chart")) == 3
    at.segmented_control(key="lang").set_value("nl").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3
    assert at.query_params["open"] in ("pain,time", ["pain,time"])
    assert t("outcomes.pain_heading", "nl") in [e.label for e in at.expander]
