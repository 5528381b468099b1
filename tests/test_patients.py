"""The page for patients: "of 10 patients like you, about N felt clearly better", its range, the
fallback to everyone with the same complaint duration, what happens without treatment, and that
no hidden cell ever reaches the page (demo clinic golden numbers, hand-made frames, random
clinics)."""

from __future__ import annotations

import io
import re
from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import clinic_view, data, outcomes
from analysis import outcomes_for_patients as pf
from analysis.vocabulary import ALL, COMPLAINT_DURATIONS, DEFINITION_NUMBERS, PATIENT_AGE_BANDS
from dashboard.charts import patients as charts
from dashboard.charts.patients import DATA_COLUMNS
from dashboard.export import chart_csv
from dashboard.i18n import t
from dashboard.views import demo_visits, every_view
from dashboard.views import patients as page
from dashboard.views.page import Text
from dashboard.words import patients as w
from tests.test_disclosure_lattice import clinics
from tests.test_words_from_facts import (
    WORDING_NUMBERS,
    fact_numbers,
    numbers_in,
    unfounded_numbers,
)


@cache
def demo_view(group: str = "acute", sex: str = ALL, age: str = ALL, lang: str = "en"):
    settings = page.Settings(group=group, sex=sex, age=age)
    chosen, everyone = page.public(settings, demo_visits(), is_demo=True)
    return page.view(settings, lang, chosen, everyone)


def answers_of(view) -> tuple[pf.PatientAnswer, ...]:
    return view.facts[0]


# ---------------------------------------------------------------- golden numbers (demo clinic)


def test_acute_by_session_5_is_about_7_of_10_between_6_and_8():
    # Demo clinic, acute, all started: 87 of 122 episodes (118 patients) had responded by
    # session 5 = 71.3%, Wilson 95% 62.7% to 78.6%; 13 stopped earlier (counted as not).
    found = {a.session: a for a in answers_of(demo_view("acute"))}
    five = found[5].figure
    assert found[5].scope == "chosen"
    assert (five.n_responders, five.n_episodes, five.n_patients) == (87, 122, 118)
    assert round(five.share.value, 1) == 71.3
    assert (round(five.low.value, 1), round(five.high.value, 1)) == (62.7, 78.6)
    assert (five.n_of_10, five.low_of_10, five.high_of_10) == (7, 6, 8)
    assert five.n_stopped_before == 13


def test_chronic_by_session_10_is_about_6_of_10():
    # Demo clinic, chronic, all started: 103 of 183 = 56.3% (95% 49.0% to 63.3%).
    ten = {a.session: a for a in answers_of(demo_view("chronic"))}[10].figure
    assert (ten.n_responders, ten.n_episodes) == (103, 183)
    assert (ten.n_of_10, ten.low_of_10, ten.high_of_10) == (6, 5, 6)
    assert ten.n_stopped_before == 47


def test_the_words_say_the_golden_numbers_in_both_languages():
    en = demo_view("acute", lang="en")
    five = en.charts[0]
    assert (
        five.title
        == "Demo data: Of 10 patients like you, about 7 felt clearly better by the 5th treatment"
    )
    assert "about 7 of 10" in five.sentence.lower() and "between 6 and 8 of 10" in five.sentence
    assert "(71%)" in five.sentence
    assert any("In 13 cases" in text for text in en.texts)
    nl = demo_view("acute", lang="nl")
    assert "Ongeveer 7 van de 10 patiënten zoals u" in nl.charts[0].title
    assert "tussen 6 en 8 van de 10" in nl.charts[0].sentence
    assert "(71%)" in nl.charts[0].sentence
    # The 10th treatment's answer is in the same chart, under its own heading.
    chronic = demo_view("chronic", lang="en").charts[0]
    assert chronic.headings == (
        "Of 10 patients like you, about 6 felt clearly better by the 10th treatment",
    )
    assert drawn_headings(chronic) == list(chronic.headings)
    assert "about 6 of 10" in chronic.sentence.lower() and "10th treatment" in chronic.sentence
    assert chronic.headings[0] in demo_view("chronic", lang="en").texts


def test_the_csv_and_the_name_of_the_chart_carry_both_answers():
    chart = demo_view("chronic", lang="en").charts[0]
    assert chart.label == f"{chart.title}. {chart.headings[0]}"
    lines = chart_csv(chart).decode("utf-8-sig").splitlines()
    assert lines[:2] == [f"# {chart.title}", f"# {chart.headings[0]}"]
    assert lines[2] == f"# {chart.sentence}"
    table = pd.read_csv(io.StringIO("\n".join(lines[4:])))
    assert list(table["session"]) == [5, 10] and list(table["n_of_10"]) == [3, 6]


def drawn_headings(chart) -> list[str]:
    """The headings drawn in `chart`'s figure, as one line each."""
    return [a.text.replace("<br>", " ") for a in chart.figure.layout.annotations]


def test_the_icon_arrays_fill_n_people_each_and_the_csv_is_the_figures():
    (chart,) = demo_view("acute").charts  # both answers in one chart
    assert chart.name == "patients_out_of_10"
    assert list(chart.data.columns) == DATA_COLUMNS
    assert chart.data.to_dict("records") == [
        {"complaint_duration": "acute", "sex": "all", "age_band": "all", "session": 5,
         "n_of_10": 7, "low_of_10": 6, "high_of_10": 8},
        {"complaint_duration": "acute", "sex": "all", "age_band": "all", "session": 10,
         "n_of_10": 8, "low_of_10": 7, "high_of_10": 8},
    ]  # fmt: skip
    shapes = chart.figure.layout.shapes
    assert len(shapes) == 2 * 20  # a body and a head for each of 10 people, per answer
    first, second = shapes[:20], shapes[20:]
    assert sum(s.fillcolor != "white" for s in first) == 2 * 7
    assert sum(s.fillcolor != "white" for s in second) == 2 * 8
    # Read top to bottom: the first answer's people above the heading of the second, which
    # stands above its own people, and all of them inside the plotted range.
    (heading,) = chart.figure.layout.annotations
    low, high = chart.figure.layout.yaxis.range
    assert min(_top(s) for s in first) > heading.y > max(_top(s) for s in second)
    # (With room for the 2 px outlines, about 0.03 units: the plot clips what is outside.)
    assert min(_bottom(s) for s in shapes) - low >= 0.03
    assert high - max(_top(s) for s in shapes) >= 0.03
    # Legend entries only: no points, so no patient-level data in the figure.
    assert all(list(trace.x) == [None] for trace in chart.figure.data)
    assert [trace.name for trace in chart.figure.data] == [
        t("patients.legend_better", "en"),
        t("patients.legend_not", "en"),
    ]


def _top(shape) -> float:
    if shape.type == "circle":
        return shape.y1
    return max(float(n) for n in re.findall(r"[\d.]+,([\d.]+)", shape.path))


def _bottom(shape) -> float:
    if shape.type == "circle":
        return shape.y0
    return min(float(n) for n in re.findall(r"[\d.]+,([\d.]+)", shape.path))


def test_one_shown_answer_is_one_icon_array_without_a_heading():
    chosen = _responses({("acute", 5): (5, 20)})
    found = pf.answers(chosen, chosen, group="acute", sex=ALL, age_band=ALL, threshold=10)
    chart = charts.icon_arrays([(found[0].figure, "Title")], "Sentence.", "Caption.", "en")
    assert len(chart.figure.layout.shapes) == 20 and not chart.figure.layout.annotations
    assert chart.headings == () and len(chart.data) == 1
    with pytest.raises(ValueError, match="at least one"):
        charts.icon_arrays([], "", "", "en")


def test_no_patient_level_column_reaches_the_page():
    private = {"patient_key", "episode_key", "episode_id", "visit_date", "pain_nrs", "age"}
    for group in COMPLAINT_DURATIONS:
        for chart in demo_view(group).charts:
            assert not private & set(chart.data.columns)
            assert list(chart.data["session"]) == [5, 10]  # one row per shown answer


# ---------------------------------------------------------------- fallback and too few


def test_a_hidden_sex_and_age_view_falls_back_to_everyone_with_the_same_duration():
    # Subacute men aged 60+ in the demo: too few, so the page shows every subacute patient
    # instead, saying so.
    view = demo_view("subacute", "men", "60+")
    found = answers_of(view)
    assert [a.scope for a in found] == ["everyone", "everyone"]
    whole = answers_of(demo_view("subacute"))
    assert [a.figure for a in found] == [a.figure for a in whole]
    assert all((a.figure.sex, a.figure.age_band) == (ALL, ALL) for a in found)
    info = [
        b.text for b in view.section("answer").blocks if isinstance(b, Text) and b.kind == "info"
    ]
    assert info == [
        "There are too few men aged 60 or over with this pain to show them on their own. "
        "So here you see everyone with pain for 6 to 12 weeks."
    ]
    for chart in view.charts:
        for title in (chart.title, *chart.headings):
            assert "patients like you" not in title
            assert "Of 10 patients with pain for 6 to 12 weeks" in title


def test_when_one_answer_is_the_readers_own_the_notice_names_the_other_treatment():
    """Fewer patients reach the 10th treatment: the reader's own group may be shown at the 5th
    and hidden at the 10th, where everyone with the same pain is shown instead. The notice then
    says it is about the 10th treatment only: the chart's first answer is the reader's own."""

    def public(responses: pd.DataFrame) -> clinic_view.PublicOutcomes:
        """Aggregates holding only `responses`: all the page for patients reads."""
        empty = pd.DataFrame()
        return clinic_view.PublicOutcomes(
            pain=empty, km=empty, claims=empty, medians=empty, n_patients=40, n_episodes=40,
            threshold=10, is_demo=False, responses=responses,
        )  # fmt: skip

    chosen = _responses({("acute", 5): (5, 20)})
    everyone = _responses({("acute", 5): (30, 40), ("acute", 10): (36, 40)})
    settings = page.Settings(group="acute", sex="women")
    for lang in ("en", "nl"):
        view = page.view(settings, lang, public(chosen), public(everyone))
        blocks = view.section("answer").blocks
        info = [b.text for b in blocks if isinstance(b, Text) and b.kind == "info"]
        ten = answers_of(view)[1]
        assert info == [w.fallback(ten, lang, for_treatment=True)]
        assert ("10th treatment" if lang == "en" else "10e behandeling") in info[0]
        (chart,) = view.charts
        assert "like you" in chart.title or "zoals u" in chart.title  # the 5th: their own
        assert "like you" not in chart.headings[0] and "zoals u" not in chart.headings[0]
        # Said before the chart it explains.
        assert blocks.index(chart) > next(i for i, b in enumerate(blocks) if b.text == info[0])
    # Every answer everyone's: the notice once, without a treatment.
    view = page.view(settings, "en", public(_responses({})), public(everyone))
    info = [b.text for b in view.section("answer").blocks if getattr(b, "kind", "") == "info"]
    assert info == [w.fallback(answers_of(view)[0], "en")]


def test_a_shown_sex_view_is_the_readers_own():
    found = answers_of(demo_view("acute", "women"))
    assert [a.scope for a in found] == ["chosen", "chosen"]
    assert found[0].figure.sex == "women"


def _responses(shown: dict[tuple[str, int], tuple[int, int]]) -> pd.DataFrame:
    """All-started rows of a hand-made responses frame: (group, session) -> (responders,
    episodes) for the shown rows; every other row hidden."""
    rows = []
    for group in COMPLAINT_DURATIONS:
        for session in outcomes.REPORT_SESSIONS:
            hit = shown.get((group, session))
            low, high = outcomes.wilson_interval(hit[0], hit[1]) if hit else (None, None)
            rows.append(
                {
                    "complaint_duration": group,
                    "session": session,
                    "method": "all_started",
                    "n_patients": hit[1] if hit else pd.NA,
                    "n_episodes": hit[1] if hit else pd.NA,
                    "n_responders": hit[0] if hit else pd.NA,
                    "estimate": hit[0] / hit[1] if hit else float("nan"),
                    "ci_low": float(low) if hit else float("nan"),
                    "ci_high": float(high) if hit else float("nan"),
                    "n_stopped_before": 1 if hit else pd.NA,
                    "n_ongoing": 0 if hit else pd.NA,
                    "suppressed": not hit,
                }
            )
    return pd.DataFrame(rows)


def test_answers_on_hand_made_frames():
    chosen = _responses({("acute", 5): (5, 20)})  # session 10 hidden for the reader's group
    everyone = _responses({("acute", 5): (30, 40), ("acute", 10): (36, 40)})
    found = pf.answers(chosen, everyone, group="acute", sex="women", age_band=ALL, threshold=10)
    assert [a.scope for a in found] == ["chosen", "everyone"]
    assert found[0].figure.n_of_10 == 3  # 5 of 20 = 2.5 of 10: halves round up
    assert found[1].figure.n_of_10 == 9 and found[1].figure.sex == ALL
    # Not narrowed: no other view to fall back to.
    alone = pf.answers(chosen, chosen, group="acute", sex=ALL, age_band=ALL, threshold=10)
    assert [a.scope for a in alone] == ["chosen", "too_few"]
    assert alone[1].figure is None
    hidden = _responses({})
    none = pf.answers(hidden, hidden, group="chronic", sex="men", age_band="<40", threshold=10)
    assert [a.scope for a in none] == ["too_few", "too_few"]


def test_of_ten_rounds_halves_up_and_keeps_the_range_around_n():
    assert [pf.of_ten(x) for x in (0, 0.04, 0.05, 0.25, 0.649, 0.65, 1)] == [0, 0, 1, 3, 6, 7, 10]
    with pytest.raises(ValueError):
        pf.of_ten(1.2)


@given(
    responders=st.integers(0, 200),
    extra=st.integers(0, 200),
)
def test_the_range_always_holds_n(responders, extra):
    episodes = max(responders + extra, 1)
    low, high = outcomes.wilson_interval(responders, episodes)
    n = pf.of_ten(responders / episodes)
    assert pf.of_ten(float(low)) <= n <= pf.of_ten(float(high))


def test_a_clinic_with_too_few_patients_says_so_and_shows_no_figure():
    few = demo_visits()
    keep = few["patient_key"].drop_duplicates().iloc[:8]
    visits = few[few["patient_key"].isin(keep)].reset_index(drop=True)
    settings = page.Settings(group="chronic", sex="women")
    chosen, everyone = page.public(settings, visits, is_demo=True)
    for lang in ("en", "nl"):
        view = page.view(settings, lang, chosen, everyone)
        assert view.charts == ()
        found = answers_of(view)
        assert [a.scope for a in found] == ["too_few", "too_few"]
        info = [b.text for b in view.section("answer").blocks if isinstance(b, Text)]
        assert [w.too_few(a, lang) for a in found] == [
            x for x in info if x in {w.too_few(a, lang) for a in found}
        ]
        assert unfounded_numbers(view, lang) == []


# ---------------------------------------------------------------- without treatment


def test_without_treatment_takes_the_acute_cohort_for_acute_and_subacute():
    raw = data.load("outcome_benchmarks")
    course = outcomes.natural_course(raw)
    for group in ("acute", "subacute"):
        found = pf.without_treatment(raw, group)
        # The same published means the outcomes page states (Costa 2012: 52 -> 23 of 100).
        assert (found.baseline, found.later, found.weeks) == (
            course.baseline,
            course.later,
            course.weeks,
        )
        assert (found.baseline.value, found.later.value) == (52, 23)
        assert found.first_month_drop == course.first_month_drop  # Pengel 2003: 58%
        assert [name for name, _ in found.sources] == [
            "da C Menezes Costa et al. (2012)",
            "Pengel et al. (2003)",
        ]
    chronic = pf.without_treatment(raw, "chronic")
    assert chronic.cohort == "persistent"
    assert (chronic.baseline.value, chronic.later.value, chronic.weeks) == (51, 33, 6)
    assert chronic.first_month_drop is None and len(chronic.sources) == 1


def test_the_page_cites_the_cohorts_with_a_link():
    for group, urls in (("acute", 2), ("chronic", 1)):
        captions = [
            b.text for b in demo_view(group).section("without").blocks if b.kind == "caption"
        ]
        assert len(captions) == 1 and captions[0].count("](http") == urls
        assert "Costa" in captions[0]


# ---------------------------------------------------------------- the page as a whole


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_both_languages_render_with_the_demo_label(lang):
    view = demo_view("acute", lang=lang)
    blocks = view.section("answer").blocks
    assert blocks[0] == Text(t("patients.demo_banner", lang), "warning")
    assert all(c.title.startswith(t("patients.demo_prefix", lang)) for c in view.charts)
    assert all(c.caption.startswith(t("patients.caption_demo", lang)) for c in view.charts)
    assert [s.name for s in view.sections] == list(page.CONTROLS)
    assert view.section("limits").heading == t("patients.limits_heading", lang)
    assert unfounded_numbers(view, lang) == []


def test_real_records_carry_no_demo_label():
    settings = page.Settings()
    chosen, everyone = page.public(settings, demo_visits(), is_demo=False)
    view = page.view(settings, "en", chosen, everyone)
    assert not any(
        b.kind == "warning" for b in view.section("answer").blocks if isinstance(b, Text)
    )
    assert not any("Demo" in c.title or "demo" in c.caption for c in view.charts)


def test_the_dashboard_walks_the_patient_views():
    names = [name for name, _ in every_view(("en",))]
    walked = [n for n in names if n.startswith("en/patients/")]
    assert len(walked) == len(page.link_settings()) == 3 * (1 + 2 + 3)


# ---------------------------------------------------------------- random clinics


def _allowed(view, shown: list[pd.Series]) -> set[float]:
    """Numbers the page may print: the shown rows' figures, the facts that are not clinic
    figures (the cohorts, the weeks, the threshold), definitions and fixed wording."""
    allowed = fact_numbers([view.facts[1], view.facts[2], view.facts[3]])
    allowed |= fact_numbers(list(DEFINITION_NUMBERS | WORDING_NUMBERS))
    for row in shown:
        figure = pf.out_of_ten(pd.DataFrame([row]), row["complaint_duration"], row["session"])
        allowed |= fact_numbers(figure)
    allowed |= fact_numbers([a.age_band for a in answers_of(view)])
    return allowed


def _shown_rows(result: clinic_view.PublicOutcomes) -> list[pd.Series]:
    rows = result.responses
    rows = rows[(rows["method"] == pf.METHOD) & ~rows["suppressed"].astype(bool)]
    return [row for _, row in rows.iterrows()]


def random_clinic(seed: int, n_patients: int) -> pd.DataFrame:
    """A clinic made from a seed: weekly visits, pain falling at a random pace, some sex or age
    unknown."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n_patients):
        sex = rng.choice(np.array(["men", "women", None], dtype=object), p=[0.45, 0.45, 0.1])
        age = rng.choice(np.array([25, 45, 70, None], dtype=object), p=[0.3, 0.35, 0.3, 0.05])
        duration = rng.choice(COMPLAINT_DURATIONS, p=[0.4, 0.2, 0.4])
        start = pd.Timestamp("2022-01-03") + pd.Timedelta(days=int(rng.integers(0, 700)))
        pain, pace = float(rng.integers(3, 11)), float(rng.uniform(0, 1.2))
        for v in range(int(rng.integers(1, 13))):
            rows.append(
                {
                    "patient_key": f"p{p:03d}",
                    "visit_date": start + pd.Timedelta(weeks=v),
                    "pain_nrs": float(max(0, round(pain - pace * v))),
                    "complaint_duration": duration,
                    "sex": sex,
                    "age": age,
                }
            )
    frame = pd.DataFrame(rows)
    frame["age"] = frame["age"].astype("Int64")
    return frame


# Clinics of 30-120 patients, big enough that some views are shown and others hidden.
random_clinics = st.builds(random_clinic, st.integers(0, 2**32 - 1), st.integers(30, 120))


@pytest.mark.timeout(300)  # a protected lattice per random clinic
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    visits=st.one_of(clinics(), random_clinics),
    threshold=st.sampled_from([3, 5, 10]),
    group=st.sampled_from(COMPLAINT_DURATIONS),
    sex=st.sampled_from((ALL, "men", "women")),
    age=st.sampled_from((ALL, *PATIENT_AGE_BANDS)),
    lang=st.sampled_from(("en", "nl")),
)
def test_random_clinics_never_show_a_number_for_a_hidden_cell(
    visits, threshold, group, sex, age, lang
):
    chosen = clinic_view.public_outcomes(
        visits, group=group, sex=sex, age_band=age, threshold=threshold
    )
    everyone = clinic_view.public_outcomes(visits, group=group, threshold=threshold)
    settings_ = page.Settings(group=group, sex=sex, age=age)
    view = page.view(settings_, lang, chosen, everyone)
    # Each answer drawn is a shown all-started cell of the view it names, as that cell says.
    for row in (row for chart in view.charts for _, row in chart.data.iterrows()):
        cut = clinic_view.public_outcomes(
            visits, group=group, sex=row["sex"], age_band=row["age_band"], threshold=threshold
        )
        figure = pf.out_of_ten(
            cut.responses, group, int(row["session"]), row["sex"], row["age_band"]
        )
        assert figure is not None, "a chart of a hidden cell"
        assert (figure.n_of_10, figure.low_of_10, figure.high_of_10) == tuple(
            row[["n_of_10", "low_of_10", "high_of_10"]]
        )
        assert (row["sex"], row["age_band"]) in {(sex, age), (ALL, ALL)}
    # A hidden cell of the reader's own view is never presented as theirs.
    for answer in answers_of(view):
        own = pf.out_of_ten(chosen.responses, group, answer.session, sex, age)
        assert (answer.scope == "chosen") == (own is not None)
    # Every number on the page is a shown cell's figure or a fact that is no clinic figure.
    allowed = _allowed(view, _shown_rows(chosen) + _shown_rows(everyone))
    stray = [
        (number, text)
        for text in view.texts
        for number in numbers_in(text, lang)
        if number not in allowed
    ]
    assert stray == []
    assert unfounded_numbers(view, lang) == []
