"""Outcome figures checked by their specification: traces, marks, suppression, words."""

import math

import pandas as pd
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
        "subacute: 95% band (low)",
        "subacute: 95% band",
        "subacute",
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
    # acute by session 5, chronic by session 10, everyone who started (drop-outs counted as not
    # responded, as GERAC counted them): 87 of 122 and 103 of 183.
    assert list(demo_trace.x) == pytest.approx([87 / 122 * 100, 103 / 183 * 100])
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


def test_intake_chart_shades_the_advice_and_leaves_hidden_quarters_as_gaps(public):
    from dashboard.views import outcomes as page

    periods = page.covid_periods()
    found = outcomes.intake_findings(
        public.intake, public.intake_resolution, public.pre_covid_year, page.advice_start(periods)
    )
    chart = charts.intake_chart(
        public.intake, public.intake_resolution, public.pre_covid_year, periods,
        words.intake_sentence(found, "en"), "en", True, public.threshold,
    )  # fmt: skip
    bars = chart.figure.data[0]
    # The demo clinic: 349 episodes in 15 quarters from 2022Q1; 2025Q3 (2 episodes) is hidden,
    # and so is a second quarter (2024Q2, 17), or 349 minus the shown quarters would give 2.
    assert public.intake_resolution == "quarter" and public.pre_covid_year is None
    hidden = chart.data.loc[chart.data["suppressed"].astype(bool), "bucket"].tolist()
    assert hidden == ["2024Q2", "2025Q3"]
    shown = sum(v for v in bars.y if v == v)
    assert len(bars.x) == 15 and 349 - shown == 17 + 2 >= public.threshold
    assert any(s.name.startswith("advice:") for s in chart.figure.layout.shapes)
    # The advice began on 12 March 2020, the records in January 2022: no before/after claim.
    assert found.advice_start == pd.Timestamp("2020-03-12") and found.starts_after_advice
    assert "cannot show whether more patients came" in chart.sentence


def test_intake_compared_with_the_same_months_before_covid():
    """A clinic whose records cover 2019: March-December 2020 against the same months of 2019,
    counted by hand; one hidden month in either year stops the comparison."""
    months = pd.period_range("2019-01", "2020-12", freq="M").astype(str)
    counts = [12] * 12 + [12, 12, 11] + [15] * 9
    intake = pd.DataFrame(
        {
            "group": "all",
            "bucket": ["all", *months],
            "start": [pd.NaT, *[pd.Period(m, freq="M").start_time for m in months]],
            "n_episodes": pd.array([sum(counts), *counts], dtype="Int64"),
        }
    )
    advice = pd.Timestamp("2020-03-12")
    found = outcomes.intake_findings(intake, "month", 2019, advice)
    assert found.covid_months[0] == "2020-03" and found.covid_months[-1] == "2020-12"
    assert (found.covid_count, found.reference_count) == (11 + 15 * 9, 12 * 10)
    sentence = words.intake_sentence(found, "en")
    assert "started 146 new episodes, against 120 in the same months of 2019" in sentence
    hidden = intake.copy()
    hidden.loc[hidden["bucket"] == "2019-07", "n_episodes"] = pd.NA
    assert outcomes.intake_findings(hidden, "month", 2019, advice).covid_count is None


def test_p_chart_limits_by_hand_and_the_sentence_names_no_rank():
    """Centre 0.6 over 100 episodes; a quarter of 25: 95% limits 0.6 ± 1.96·√(0.24/25)."""
    quarters = pd.DataFrame(
        {
            "group": "all",
            "quarter": ["all", "2023Q1", "2023Q2", "2023Q3"],
            "n_episodes": [100, 25, 25, 50],
            "n_responders": [60, 15, 5, 40],
            "share": [0.6, 0.6, 0.2, 0.8],
        }
    )
    limits = outcomes.control_limits(quarters).set_index("quarter")
    half95 = 1.959963984540054 * math.sqrt(0.24 / 25)
    half998 = 3.090232306167813 * math.sqrt(0.24 / 25)
    assert limits.loc["2023Q1", ["low_95", "high_95"]].tolist() == pytest.approx(
        [0.6 - half95, 0.6 + half95]
    )
    assert limits.loc["2023Q1", "low_998"] == pytest.approx(0.6 - half998)
    assert limits["signal"].tolist() == ["within", "outside_998", "outside_95"]
    found = outcomes.quarter_findings(limits.reset_index())
    assert found.outside_95 == (("2023Q2", "below"), ("2023Q3", "above"))
    assert found.outside_998 == (("2023Q2", "below"),)
    sentence = words.p_chart_sentence(found, "en", 10)
    assert "2023Q2 (below), 2023Q3 (above)" in sentence and "1 outside the 99.8%" in sentence
    assert "best" not in sentence and "worst" not in sentence and "rank" not in sentence


def test_verdict_words_in_both_languages(public):
    acute, chronic = public.verdicts
    en = words.verdict(acute, public.threshold, "en")
    assert en.startswith("**Acute back pain, by the 5th treatment: supported.**")
    assert "87 had responded by session 5 (71%, 95% CI 63% to 79%)" in en
    assert "the 13 who stopped earlier" in en and "not proof" in en
    nl = words.verdict(chronic, public.threshold, "nl")
    assert nl.startswith("**Chronische rugpijn, bij de 10e behandeling: nog niet te zeggen.**")
    assert "(49% tot 63%)" in nl


def test_the_three_ways_table_reads_each_count_across_a_row(public):
    """One row per group and session; each way's cell is its share, 95% interval and the
    episodes it counts (Kaplan-Meier: those still followed), exactly as `public.responses`
    holds them, and 'hidden' wherever the protected source hid the figure."""
    from dashboard.i18n import t
    from dashboard.views import outcomes as page

    table = page.responses_table(public.responses, "en")
    frame = table.frame
    assert list(frame.columns[2:5]) == list(outcomes.RESPONSE_METHODS)
    assert len(frame) == len(public.responses.groupby(["complaint_duration", "session"]))
    shown = 0
    for row in public.responses.itertuples():
        name = t(f"outcomes.group.{row.complaint_duration}", "en")
        line = frame[(frame["group"] == name) & (frame["session"] == row.session)]
        cell = line[row.method].item()
        if bool(row.suppressed):
            assert cell == "hidden"
            continue
        share, low, high = (round(v * 100) for v in (row.estimate, row.ci_low, row.ci_high))
        counted = "still followed" if row.method == "kaplan_meier" else "of"
        assert f"{share}% ({low}%–{high}%)" in cell and str(row.n_episodes) in cell
        assert counted in cell
        shown += 1
    assert shown >= 9  # the demo clinic shows most of the table
    # The demo clinic's acute episodes by session 5, as the verdict states them.
    acute = frame[(frame["group"] == "acute") & (frame["session"] == 5)].iloc[0]
    assert acute["all_started"] == "71% (63%–79%) of 122"
    assert acute["kaplan_meier"] == "78% (70%–85%), 27 still followed"
    assert (acute["stopped"], acute["ongoing"]) == ("13", "0")
    dutch = page.responses_table(public.responses, "nl").frame
    assert dutch.iloc[0]["all_started"] == "71% (63%–79%) van 122"
