"""Outcome figures checked by their specification: traces, marks, suppression, words."""

import pytest

from analysis import clinic, clinic_view, data, demo, outcomes
from dashboard.charts import outcomes as charts
from dashboard.words import outcomes as words


@pytest.fixture(scope="module")
def demo_visits():
    result = clinic.read_export(demo.DEMO_PATH.read_bytes(), demo.DEMO_PATH.name)
    assert result.ok, result.problems
    return clinic.pseudonymise(result.visits, demo.DEMO_SECRET)


@pytest.fixture(scope="module")
def public(demo_visits):
    return clinic_view.public_outcomes(demo_visits, is_demo=True)


def test_km_chart_has_bands_curves_and_website_marks(public):
    chart = charts.km_chart(public.km, public.claims, "en", True, public.threshold)
    names = [trace.name for trace in chart.figure.data]
    assert names == [
        "acute: 95% band (low)",
        "acute: 95% band",
        "acute",
        "chronic: 95% band (low)",
        "chronic: 95% band",
        "chronic",
    ]
    marks = [s for s in chart.figure.layout.shapes if s.type == "line"]
    assert sorted(s.x0 for s in marks) == [5, 10]
    acute = chart.figure.data[2]
    assert list(acute.y) == pytest.approx(
        list(chart.data.loc[chart.data["group"] == "acute", "cum_response"] * 100), nan_ok=True
    )
    assert chart.title.startswith("Demo data:")
    assert "synthetic demo records" in chart.caption
    assert chart.figure.layout.yaxis.range == (0, 100)


def test_pain_trajectory_and_sentence_in_dutch(public):
    chart = charts.pain_trajectory(public.pain, "nl", True, public.threshold)
    assert chart.figure.layout.yaxis.title.text == "Pijn (0-10)"
    assert chart.sentence.startswith("Mediane pijn tot het punt van de website: acuut, daalde van")
    assert "sessie 5" in chart.sentence and "sessie 10" in chart.sentence
    assert chart.figure.layout.separators == ",."


def test_forest_puts_the_clinic_beside_trials_with_hollow_markers_for_other_definitions(public):
    raw = data.load("outcome_benchmarks")
    bench = outcomes.benchmarks_table(raw)
    gerac = outcomes.gerac_findings(raw)
    sentence = words.forest_sentence(gerac, "en")
    chart = charts.benchmark_forest(
        public.claims, bench, sentence, words.forest_caption(gerac, "en"), "en", True
    )
    trials = next(trace for trace in chart.figure.data if trace.name == "Trials")
    assert "circle-open" in trials.marker.symbol
    demo_trace = next(trace for trace in chart.figure.data if trace.name == "Demo clinic")
    assert len(demo_trace.x) == 2  # acute by session 5, chronic by session 10
    # GERAC (Haake 2007): 47.6% verum, 44.2% sham, 27.4% conventional care at 6 months.
    assert "47.6%" in chart.sentence and "44.2%" in chart.sentence and "27.4%" in chart.sentence
    # L8: GERAC gave 10 sessions and 5 more to partial responders (the overview's "10 to 15");
    # the old sentence said "10 sessions".
    assert "(10 to 15 sessions, at 6 months)" in chart.sentence
    assert "Haake" in chart.caption  # the trials' source line comes from the registry
    assert set(chart.data["source"]) == {"demo", "trial"}


def test_suppressed_cells_are_gaps_not_zeros(demo_visits):
    small = clinic_view.public_outcomes(
        demo_visits, sex="men", age_band="60+", period="2022", is_demo=True
    )
    chart = charts.km_chart(small.km, small.claims, "en", True, small.threshold)
    hidden = chart.data[chart.data["suppressed"].astype(bool)]
    assert len(hidden) > 0
    assert hidden[["cum_response", "ci_low", "ci_high"]].isna().all().all()
    assert chart.sentence.startswith("Too few patients")
    shown = small.km[~small.km["suppressed"]]
    assert (shown["n_at_risk"] >= small.threshold).all()


def test_response_definition_says_when_its_citation_is_unverified():
    """L8: 'Ostelo et al. 2008' was cited while its rows carry citation_unverified."""
    raw = data.load("outcome_benchmarks")
    citation = outcomes.response_citation(raw)
    assert (citation.study, citation.year, citation.verified) == ("Ostelo et al.", 2008, False)
    assert "Ostelo et al. 2008, citation not checked" in words.definition(citation, "en")
    checked = raw.assign(caveats=raw["caveats"].str.replace("citation_unverified", "", regex=False))
    verified = outcomes.response_citation(checked)
    assert verified.verified and "not checked" not in words.definition(verified, "en")


def test_website_claims_are_linked_only_when_the_owner_sets_the_address(monkeypatch):
    """L8: the website's claim had no source; it is linked when the owner names the page."""
    from dashboard.views import outcomes as page

    monkeypatch.delenv(page.WEBSITE_ENV, raising=False)
    assert "not set in this installation" in words.intro(page.clinic_website(), "en")
    monkeypatch.setenv(page.WEBSITE_ENV, "https://example.org/rugpijn")
    assert "(Source of these claims: https://example.org/rugpijn.)" in words.intro(
        page.clinic_website(), "en"
    )
    monkeypatch.setenv(page.WEBSITE_ENV, "javascript:alert(1)")
    assert page.clinic_website() is None


def test_natural_course_caveat_is_written_from_the_cohort_rows():
    course = outcomes.natural_course(data.load("outcome_benchmarks"))
    text = words.caveats(course, 10, "en")
    # Costa 2012: acute LBP mean pain 52 -> 23 (0-100) at 6 weeks; Pengel 2003: 58% in a month.
    assert "from 52 to 23 (on a scale of 0 to 100) within 6 weeks" in text
    assert "by 58% in the first month" in text
