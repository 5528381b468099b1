"""analysis.homeworking: golden numbers from the shipped tables, hand-worked frames, invariants."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis import data
from analysis import homeworking as hw


@pytest.fixture(scope="module")
def shares():
    return hw.home_working_share(data.load("homeworking"))


@pytest.fixture(scope="module")
def timeline():
    return data.load("covid_timeline")


@pytest.fixture(scope="module")
def periods(timeline):
    return hw.covid_periods(timeline)


@pytest.fixture(scope="module")
def care():
    gp, physio = data.load("gp_contacts_covid"), data.load("physio_use")
    return hw.care_changes(gp, physio), hw.undated_care_changes(gp, physio)


def share(frame: pd.DataFrame, definition: str, year: int) -> pd.Series:
    rows = frame[(frame["definition"] == definition) & (frame["year"] == year)]
    assert len(rows) == 1, (definition, year, len(rows))
    return rows.iloc[0]


# -- golden numbers --------------------------------------------------------------------------


def test_cbs_shares_before_and_after_the_change_of_question(shares):
    # CBS: "bijna vier op de tien" employed people worked at home in 2019, usually or
    # occasionally (CBS news 2020/15, figures via NU.nl 2020): 39%.
    assert share(shares, "cbs_ebb_usually_or_occasionally", 2019)["share_pct"] == 39
    # CBS news 2024/11 "Over half of Dutch people work from home sometimes": 54% in 2021 and
    # 52% in 2023, most of the time or sometimes.
    assert share(shares, "cbs_ebb_most_of_time_or_sometimes", 2021)["share_pct"] == 54
    assert share(shares, "cbs_ebb_most_of_time_or_sometimes", 2023)["share_pct"] == 52


def test_eurostat_usually_and_at_least_occasionally(shares):
    # Eurostat LFS, the Netherlands, usually working from home: 14.1% in 2019 (EP Think Tank)
    # and 17.8% in 2020 (OT.gr); usually or sometimes 51.9% in 2023 (Statista).
    assert share(shares, "eurostat_usually", 2019)["share_pct"] == 14.1
    assert share(shares, "eurostat_usually", 2020)["share_pct"] == 17.8
    assert share(shares, "eurostat_at_least_occasionally", 2023)["share_pct"] == 51.9


def test_headline_series_shape_and_published_qualifiers(shares):
    assert shares.groupby("definition", sort=False)["year"].apply(list).to_dict() == {
        "cbs_ebb_usually_or_occasionally": [2013, 2017, 2018, 2019],
        "cbs_ebb_most_of_time_or_sometimes": [2021, 2023],
        "eurostat_usually": [2017, 2018, 2019, 2020],
        "eurostat_at_least_occasionally": [2023],
    }
    # NU.nl (2018) quotes CBS: "bijna 37 procent" in 2017; the qualifier stays with the number.
    assert share(shares, "cbs_ebb_usually_or_occasionally", 2017)["value_qualifier"] == "almost"
    # 2013: NU.nl "34 procent" is preferred over Arbo-online's "ruim 34 procent".
    row = share(shares, "cbs_ebb_usually_or_occasionally", 2013)
    assert (row["share_pct"], row["figure_id"]) == (34, "2013_total_works_at_home_share_pct_nu")
    assert pd.isna(row["value_qualifier"])


def test_bosma_odds_ratios():
    # Bosma, Loef, van Oostrom, Proper, Int Arch Occup Environ Health 2023;96:521-535
    # (abstract): working from home vs location workers, lower back 1.05 (1.02-1.08), upper
    # back 1.24 (1.18-1.31), neck/shoulder/arm 1.18 (1.13-1.22).
    ors = hw.odds_ratios(data.load("msk_homeworking_studies"))
    home = ors[ors["exposure"] == "working from home"].set_index("outcome")
    assert home.loc["lower back pain", ["odds_ratio", "ci_low", "ci_high"]].tolist() == [
        1.05,
        1.02,
        1.08,
    ]
    assert home.loc["upper back pain", "odds_ratio"] == 1.24
    assert home.loc["neck, shoulder and/or arm pain", "odds_ratio"] == 1.18
    hybrid = ors[ors["exposure"] == "hybrid working"].set_index("outcome")["odds_ratio"]
    assert hybrid.to_dict() == {"upper back pain": 1.09, "neck, shoulder and/or arm pain": 1.14}
    assert len(ors) == 5  # ANP's rounded "1.2 times the chance" is not an odds ratio


def test_gp_prevalence_persons_2017_2018_2020():
    # VZinfo: 2,064,900 people known to their GP with neck or back complaints in 2018 and
    # 1,866,900 in 2020; 2017 "meer dan 2.028.000" from a practice website quoting RIVM.
    prev = hw.gp_prevalence_persons(data.load("gp_prevalence_totals")).set_index("year")
    assert prev["persons"].to_dict() == {2017: 2_028_000, 2018: 2_064_900, 2020: 1_866_900}
    assert prev["source_type"].to_dict() == {
        2017: "secondary",
        2018: "primary",
        2020: "primary",
    }
    assert prev.loc[2017, "value_qualifier"] == "more than"
    assert 2019 not in prev.index  # missing in the sources, and stays missing


def test_care_changes(care):
    dated, undated = care
    by_id = dated.set_index("figure_id")["change_pct"]
    # Nivel/RIVM via Skipr: GP-practice contacts 11% lower in March-June 2020 than in the same
    # months of 2019, and 2.7% lower over 2020 (shown once though two sites published it).
    assert by_id["2020_mar_jun_practice_contacts_change_pct_skipr"] == -11
    assert (dated["change_pct"] == -2.7).sum() == 1
    # Nivel: physiotherapy and exercise-therapy consultations fell 78% from week 11 of 2020;
    # no end was published, so none is given.
    physio = dated[dated["care"] == "physio"].iloc[0]
    assert (physio["change_pct"], physio["start"]) == (-78, pd.Timestamp("2020-03-09"))
    assert pd.isna(physio["end"]) and physio["x"] == physio["start"]
    # Nivel: physiotherapy for low back and neck complaints -90% in the 2020 lockdown, a period
    # given only in words: listed as undated, never placed on the time axis.
    low_back = undated[undated["measure"] == "low_back_neck_consultations_change_pct"]
    assert low_back["change_pct"].tolist() == [-90]
    assert undated["start"].isna().all()


def test_workers_msk_complaints():
    # TNO factsheet fysieke arbeidsbelasting 2021 (via ergonomiesite.be): 57% of employees had
    # musculoskeletal complaints, 36% back, 41% arm/neck/shoulder, 27% lower limbs; NEA 2022
    # (Rendement, April 2024): 60% and 44%.
    out = hw.workers_msk_complaints(data.load("msk_workers"))
    by_edition = {
        edition: dict(zip(rows["measure"], rows["share_pct"], strict=True))
        for edition, rows in out.groupby("edition", sort=False)
    }
    assert by_edition["factsheet 2021"] == {
        "arm_neck_shoulder_complaints_share_pct": 41,
        "back_complaints_share_pct": 36,
        "lower_limb_complaints_share_pct": 27,
        "msk_complaints_share_pct": 57,
    }
    assert by_edition["2022"] == {
        "arm_neck_shoulder_complaints_share_pct": 44,
        "msk_complaints_share_pct": 60,
    }
    assert out["edition"].unique().tolist() == ["factsheet 2021", "2022"]


def test_covid_periods_golden(periods, timeline):
    urgent = periods[periods["advice"] == "urgent_work_at_home"]
    # National press conference of 12 March 2020 until the relaxation of 26 June 2021.
    assert (urgent.iloc[0]["start"], urgent.iloc[0]["end"]) == (
        pd.Timestamp("2020-03-12"),
        pd.Timestamp("2021-06-26"),
    )
    # The advice was abolished on 15 March 2022; that last period has no end.
    last = periods.iloc[-1]
    assert (last["advice"], last["start"]) == ("none", pd.Timestamp("2022-03-15"))
    assert pd.isna(last["end"])
    assert periods["advice"].tolist() == [
        "none",
        "regional_advice_only",
        "urgent_work_at_home",
        "at_least_half_at_home",
        "urgent_work_at_home",
        "work_at_home_if_possible",
        "urgent_work_at_home",
        "at_least_half_at_home",
        "none",
    ]
    assert periods["n_events"].sum() == timeline["event_date"].notna().sum()
    undated = hw.undated_events(timeline)
    assert undated["event_id"].tolist() == [
        "2021_11_half_at_home_norm",
        "2021_11_evening_lockdown",
    ]


# -- invariants ------------------------------------------------------------------------------


def test_no_series_spans_two_definitions_and_values_are_copied(shares):
    source = data.load("homeworking").set_index("figure_id")
    assert not shares.duplicated(["definition", "year"]).any()
    assert shares.groupby("definition")["producer"].nunique().eq(1).all()
    for row in shares.itertuples():
        published = source.loc[row.figure_id]
        assert published["definition"] == row.definition
        assert published["value"] == row.share_pct
    assert shares["share_pct"].between(0, 100).all()


def test_breaks_lie_between_the_last_point_of_one_and_the_first_of_the_next(shares):
    breaks = hw.definition_breaks(shares)
    assert breaks[["producer", "definition_before", "definition_after"]].to_numpy().tolist() == [
        ["CBS", "cbs_ebb_usually_or_occasionally", "cbs_ebb_most_of_time_or_sometimes"],
        ["Eurostat", "eurostat_usually", "eurostat_at_least_occasionally"],
    ]
    assert breaks.iloc[0]["break_date"] == pd.Timestamp("2021-01-01")
    for brk in breaks.itertuples():
        before = shares[shares["definition"] == brk.definition_before]
        after = shares[shares["definition"] == brk.definition_after]
        assert before["period_end"].max() < brk.break_date <= after["period_start"].min()
        assert before["x"].max() < brk.break_date < after["x"].min()
        assert brk.last_year_before < brk.first_year_after


def test_definitions_measured_side_by_side_are_not_a_break():
    frame = pd.DataFrame(
        {
            "definition": ["a", "a", "b", "b"],
            "producer": "P",
            "year": [2019, 2020, 2020, 2021],
            "period_start": pd.to_datetime(["2019-01-01", "2020-01-01"] * 2),
            "period_end": pd.to_datetime(["2019-12-31", "2020-12-31"] * 2),
            "x": pd.to_datetime(["2019-07-02", "2020-07-01"] * 2),
        }
    )
    assert hw.definition_breaks(frame).empty


def test_covid_periods_are_contiguous_and_start_with_the_first_case(periods):
    assert periods["start"].min() >= pd.Timestamp("2020-02-27")
    assert periods["start"].is_monotonic_increasing
    inner = periods.iloc[:-1]
    assert (inner["end"] > inner["start"]).all()
    assert (inner["end"].to_numpy() == periods["start"].iloc[1:].to_numpy()).all()
    assert periods["end"].iloc[:-1].notna().all()
    assert (periods["advice"] != periods["advice"].shift()).all()  # one level per period


def test_odds_ratio_intervals_contain_the_estimate():
    ors = hw.odds_ratios(data.load("msk_homeworking_studies"))
    assert ((ors["ci_low"] <= ors["odds_ratio"]) & (ors["odds_ratio"] <= ors["ci_high"])).all()
    assert (ors["ci_low"] > 0).all()


def test_care_changes_are_dated_and_plausible(care):
    dated, _ = care
    assert dated["start"].notna().all()
    assert dated["change_pct"].between(-100, 100).all()
    spans = dated[dated["end"].notna()]
    assert ((spans["start"] < spans["x"]) & (spans["x"] < spans["end"])).all()


# -- hand-worked frames ----------------------------------------------------------------------


def _homeworking_rows(rows: list[dict]) -> pd.DataFrame:
    base = {
        "figure_producer": "CBS",
        "definition": "cbs_ebb_usually_or_occasionally",
        "homework_indicator": "works_at_home",
        "group": "total",
        "measure": "share_pct",
        "value_qualifier": None,
        "source_type": "secondary",
        "caveats": "series_break",
        "source_url": "https://example.org",
    }
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["period_start"] = pd.to_datetime(frame["period"] + "-01-01")
    frame["period_end"] = pd.to_datetime(frame["period"] + "-12-31")
    return frame


def _with_other_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Add one row for each headline series other than CBS 2013-2020 (they must exist)."""
    extra = [
        {
            "figure_id": f"x_{s.definition}",
            "period": "2022",
            "value": 10.0,
            "definition": s.definition,
            "homework_indicator": s.homework_indicator,
            "group": s.group,
            "figure_producer": "Eurostat" if s.definition.startswith("eurostat") else "CBS",
        }
        for s in hw.HEADLINE_SERIES[1:]
    ]
    return pd.concat([frame, _homeworking_rows(extra)], ignore_index=True)


def test_one_figure_per_year_prefers_exact_primary_values_and_keeps_gaps():
    frame = _with_other_series(
        _homeworking_rows(
            [
                {"figure_id": "a", "period": "2013", "value": 34.0, "value_qualifier": "just over"},
                {"figure_id": "b", "period": "2013", "value": 34.0},
                {"figure_id": "c", "period": "2015", "value": 36.0},
                {"figure_id": "d", "period": "2015", "value": 35.0, "source_type": "primary"},
                {"figure_id": "e", "period": "2015", "value": None, "source_type": "primary"},
            ]
        )
    )
    out = hw.home_working_share(frame)
    cbs = out[out["definition"] == "cbs_ebb_usually_or_occasionally"]
    expected = pd.DataFrame(
        {"year": [2013, 2015], "share_pct": [34.0, 35.0], "figure_id": ["b", "d"]}
    )
    assert_frame_equal(
        cbs[["year", "share_pct", "figure_id"]].reset_index(drop=True),
        expected,
        check_dtype=False,
    )  # no 2014 row: a year without a figure is not filled in


def test_equally_good_sources_that_disagree_fail_loudly():
    frame = _with_other_series(
        _homeworking_rows(
            [
                {"figure_id": "a", "period": "2019", "value": 39.0},
                {"figure_id": "b", "period": "2019", "value": 38.0},
            ]
        )
    )
    with pytest.raises(AssertionError, match="equally good sources disagree"):
        hw.home_working_share(frame)


def test_a_headline_row_that_is_not_annual_fails_with_its_period():
    frame = _with_other_series(
        _homeworking_rows([{"figure_id": "a", "period": "2019", "value": 39.0}])
    )
    frame.loc[0, "period"] = "2019 Q2"
    with pytest.raises(AssertionError, match="not years: \\['2019 Q2'\\]"):
        hw.home_working_share(frame)


def test_covid_periods_by_hand():
    timeline = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4", "u1"],
            "event_date": pd.to_datetime(
                ["2020-03-12", "2020-05-11", "2021-06-26", "2022-03-15", None]
            ),
            "event_end_date": pd.to_datetime([None, None, "2022-03-15", None, None]),
            "homeworking_advice": [
                "urgent_work_at_home",
                "urgent_work_at_home",
                "at_least_half_at_home",
                "none",
                "urgent_work_at_home",
            ],
            "homeworking_advice_wording": ["w1", "w2", "w3", "w4", "w5"],
            "event_date_as_published": ["", "", "", "", "november 2021"],
            "event": ["", "", "", "", "undated"],
            "source_url": "https://example.org",
        }
    )
    expected = pd.DataFrame(
        {
            "start": pd.to_datetime(["2020-03-12", "2021-06-26", "2022-03-15"]),
            "end": pd.to_datetime(["2021-06-26", "2022-03-15", None]),
            "advice": ["urgent_work_at_home", "at_least_half_at_home", "none"],
            "wording": ["w1", "w3", "w4"],
            "first_event_id": ["e1", "e3", "e4"],
            "n_events": [2, 1, 1],
            "source_url": "https://example.org",
        }
    )
    assert_frame_equal(hw.covid_periods(timeline), expected, check_dtype=False)
    assert hw.undated_events(timeline)["event_id"].tolist() == ["u1"]


def test_an_end_date_that_is_no_event_is_refused():
    timeline = pd.DataFrame(
        {
            "event_id": ["e1"],
            "event_date": pd.to_datetime(["2020-03-12"]),
            "event_end_date": pd.to_datetime(["2020-04-01"]),
            "homeworking_advice": ["urgent_work_at_home"],
            "homeworking_advice_wording": ["w"],
        }
    )
    with pytest.raises(AssertionError, match="must itself be a dated event"):
        hw.covid_periods(timeline)


def test_an_odds_ratio_outside_its_interval_is_refused():
    studies = data.load("msk_homeworking_studies")
    broken = studies.copy()
    broken.loc[broken["measure"] == "odds_ratio", "value_high"] = 1.0
    with pytest.raises(AssertionError, match="outside its interval"):
        hw.odds_ratios(broken)


def test_series_views():
    shares = hw.home_working_share(data.load("homeworking"))
    assert set(hw.select_series(shares, "cbs")["producer"]) == {"CBS"}
    assert set(hw.select_series(shares, "eurostat")["producer"]) == {"Eurostat"}
    assert len(hw.select_series(shares, "all")) == len(shares)
    with pytest.raises(AssertionError, match="unknown series view"):
        hw.select_series(shares, "kim")


def test_odds_title_says_higher_only_when_every_home_interval_is_above_one():
    ors = hw.odds_ratios(data.load("msk_homeworking_studies"))
    found = hw.odds_findings(ors)
    # Bosma et al. 2023: working from home 1.05 to 1.24, every interval above 1.
    assert (found.low.value, found.high.value, found.all_above_one) == (1.05, 1.24, True)
    straddling = ors.assign(ci_low=ors["ci_low"].where(ors["odds_ratio"] != 1.05, 0.98))
    assert not hw.odds_findings(straddling).all_above_one


# -- the website's covid sentence --------------------------------------------------------------

RESEARCH_ADDITIONS = "homework/covid_msk_care_use_additions.csv"
LDF_URL = (
    "https://www.perssupport.nl/persbericht/e7b0106d-0b59-4b3e-a1d5-2ebde872f606/analyse-"
    "landelijke-database-fysiotherapie-geen-grote-toename-nek-en-schouderklachten"
)


@pytest.fixture(scope="module")
def physio():
    return data.load("physio_use")


@pytest.fixture(scope="module")
def claim():
    from analysis import prevalence as p

    return hw.covid_claim_check(
        p.published_totals(data.load("gp_prevalence_totals")),
        data.load("gp_contacts_covid"),
        data.load("physio_use"),
        hw.workers_msk_complaints(data.load("msk_workers")),
        hw.odds_ratios(data.load("msk_homeworking_studies")),
    )


def _row(physio: pd.DataFrame, figure_id: str) -> pd.Series:
    rows = physio[physio["figure_id"] == figure_id]
    assert len(rows) == 1, figure_id
    return rows.iloc[0]


def test_golden_ldf_rows_as_published(physio):
    """KNGF/Mediquest press release on the Landelijke Database Fysiotherapie (LDF_URL): for
    April-December 2020 against 2019 'geen significante toename' and 'een verwaarloosbare
    toename' (no figure given), 'ruim 500.000 patiënten', 'gemiddeld 1800 praktijken'."""
    change = _row(physio, "2020_apr_dec_neck_shoulder_patients_change_pct_ldf")
    assert pd.isna(change["value"])  # words only: never a number
    assert change["value_as_published"] == "geen significante toename; een verwaarloosbare toename"
    assert change["period_start"] == pd.Timestamp("2020-04-01")
    assert change["period_end"] == pd.Timestamp("2020-12-31")
    assert change["compared_with"] == "same period 2019"
    assert change["caveats"] == "preliminary;verbal_quantity"
    assert "no conclusive proof" in change["note"] and "not back" in change["note"]
    assert "direct access" in change["note"] and "PRELIMINARY" in change["note"]
    basis = _row(physio, "2019_2020_neck_shoulder_patients_persons_ldf")
    assert (basis["value"], basis["value_qualifier"]) == (500000, "just over")
    assert basis["value_as_published"] == "ruim 500.000 patiënten"
    practices = _row(physio, "2019_2020_registering_practices_average_count_ldf")
    assert practices["value"] == 1800 and pd.isna(practices["value_qualifier"])
    for row in (change, basis, practices):
        assert row["source_url"] == LDF_URL and row["source_type"] == "primary"
        assert "preliminary" in row["caveats"]


def test_golden_nivel_rows_as_published(physio):
    """Nivel: new physiotherapy episodes 2021 ('16,4 procent' recurrent, 66% full recovery
    expected, 'bijna een derde' waited over three months); exercise therapy 2018, 8% lumbar."""
    assert _row(physio, "2021_recurrent_complaint_episodes_share_pct_nivel")["value"] == 16.4
    assert _row(physio, "2021_full_recovery_expected_episodes_share_pct_nivel")["value"] == 66
    third = _row(physio, "2021_onset_to_first_visit_over_3_months_share_pct_nivel")
    assert pd.isna(third["value"]) and third["value_qualifier"] == "almost"
    assert third["value_as_published"] == "bijna een derde"
    assert _row(physio, "2018_exercise_lumbar_disorder_patients_share_pct_nivel")["value"] == 8


def test_every_new_research_row_is_curated_or_named_in_a_note(physio):
    """The additions extract (data/sources snapshot): its LDF and Nivel figures are in
    physio_use with the extract's own value and URL; the one rank in words is in a note."""
    from analysis.curation import DEFAULT_RESEARCH, read_extract

    extract = read_extract(DEFAULT_RESEARCH, RESEARCH_ADDITIONS)
    assert len(extract) == 8
    shipped = physio[physio["source_url"].isin(set(extract["source_url"]))]
    assert len(shipped) == 7
    numbers = sorted(float(v) for v in extract["value"] if v)
    assert sorted(shipped["value"].dropna().tolist()) == numbers
    assert "DCSPH 3426" in _row(physio, "2021_recurrent_complaint_episodes_share_pct_nivel")["note"]


def test_claim_check_evidence_from_the_tables(claim):
    assert [e.key for e in claim.evidence] == [
        "gp_registered",
        "care_contacts",
        "physio_ldf",
        "workers",
        "cohort",
    ]
    gp = claim.item("gp_registered")
    # VZinfo: 2,064,900 (2018) and 1,866,900 (2020) persons; Nivel/RIVM via Skipr: -11% and -2.7%
    assert (gp.figures["before"].value, gp.figures["after"].value) == (2064900, 1866900)
    assert (gp.figures["first_wave"].value, gp.figures["full_year"].value) == (-11, -2.7)
    assert gp.reading == "decrease" and "covid_registration_dip" in gp.caveats
    care = claim.item("care_contacts")
    # every national change with a number: -11, -2.7, -3.6 (GP, 2020), -2.1 (2021), -78, -90
    assert care.figures["count"] == 6 and care.reading == "decrease"
    assert (care.figures["smallest"].value, care.figures["largest"].value) == (-2.1, -90)
    ldf = claim.item("physio_ldf")
    assert ldf.reading == "no_increase" and ldf.is_preliminary
    assert ldf.figures["words"] == "geen significante toename"
    assert ldf.figures["patients"].qualifier == "just over"
    assert ldf.source_urls == (LDF_URL,)
    workers = claim.item("workers")
    # TNO factsheet 2021: 57%; NEA 2022: 60%; the NEA changed method in 2022
    assert (workers.figures["first"].value, workers.figures["last"].value) == (57, 60)
    assert workers.reading == "not_comparable"
    cohort = claim.item("cohort")
    # Bosma et al. 2023: working-from-home odds ratios 1.05 (lower back) to 1.24 (upper back)
    assert (cohort.figures["low"].value, cohort.figures["high"].value) == (1.05, 1.24)
    assert cohort.scope == "cohort" and cohort.reading == "increase"


def test_claim_verdict_on_the_shipped_evidence(claim):
    assert claim.verdict == "not_supported_nationally"
    assert claim.cohort_association


def _evidence(*readings: tuple[str, str]) -> tuple[hw.ClaimEvidence, ...]:
    return tuple(
        hw.ClaimEvidence(f"item{i}", scope, reading, {}, (), (), ())
        for i, (scope, reading) in enumerate(readings)
    )


@pytest.mark.parametrize(
    ("readings", "verdict"),
    [
        ([("national", "decrease"), ("national", "no_increase")], "not_supported_nationally"),
        ([("national", "increase"), ("national", "not_comparable")], "supported"),
        ([("national", "increase"), ("national", "decrease")], "mixed"),
        ([("national", "mixed")], "mixed"),
        ([("national", "not_comparable")], "undetermined"),
        ([], "undetermined"),
        # a cohort's association never counts as a national increase
        ([("national", "no_increase"), ("cohort", "increase")], "not_supported_nationally"),
        ([("national", "not_comparable"), ("cohort", "increase")], "undetermined"),
    ],
)
def test_claim_verdict_rule(readings, verdict):
    assert hw.claim_verdict(_evidence(*readings)) == verdict


def test_the_verdict_follows_the_evidence(claim):
    """Changed facts give another verdict: were the LDF to find an increase, the national
    evidence would point both ways; were every national figure an increase, it would hold."""
    import dataclasses

    def changed(**readings: str) -> str:
        items = tuple(
            dataclasses.replace(e, reading=readings.get(e.key, e.reading)) for e in claim.evidence
        )
        return hw.claim_verdict(items)

    assert changed() == "not_supported_nationally"
    assert changed(physio_ldf="increase") == "mixed"
    assert (
        changed(gp_registered="increase", care_contacts="increase", physio_ldf="increase")
        == "supported"
    )
    assert (
        changed(
            gp_registered="not_comparable",
            care_contacts="not_comparable",
            physio_ldf="not_comparable",
        )
        == "undetermined"
    )


def test_ldf_words_without_a_known_reading_stop_the_check(physio):
    odd = physio.copy()
    rows = odd["measure"] == hw.LDF_CHANGE
    odd.loc[rows, "value_as_published"] = "een lichte toename"
    with pytest.raises(AssertionError, match="VERBAL_READINGS"):
        hw._physio_ldf(odd)


def test_a_series_break_makes_the_workers_change_unreadable():
    frame = pd.DataFrame(
        {
            "edition": ["2019", "2021"],
            "measure": [hw.WORKERS_MSK] * 2,
            "share_pct": [50.0, 55.0],
            "value_qualifier": [pd.NA, pd.NA],
            "caveats": ["self_reported", "self_reported"],
            "figure_id": ["a", "b"],
            "source_url": ["https://x", "https://x"],
        }
    )
    assert hw._workers(frame).reading == "increase"
    frame.loc[1, "caveats"] = "self_reported;series_break"
    assert hw._workers(frame).reading == "not_comparable"


def test_definition_years_table_and_ages_come_from_the_data_package(monkeypatch):
    """Golden values of `homeworking_definitions` (the extracts' 'EBB definition 2013-2020
    (table 83258NED)', 'from 2021', 'employed aged 15-64'), and the labels print them."""
    from analysis.data import load as load_table
    from dashboard.words import home_working as words

    stated = hw.definition_statements(load_table("homeworking_definitions"))
    assert stated["cbs_ebb_usually_or_occasionally"] == {
        "asked_from": "2013",
        "asked_until": "2020",
        "cbs_table_id": "83258NED",
    }
    assert stated["cbs_ebb_most_of_time_or_sometimes"] == {"asked_from": "2021"}
    assert stated["eurostat_usually"] == {"age_min": "15", "age_max": "64"}
    assert words.definition_label("cbs_ebb_usually_or_occasionally", "en") == (
        "CBS 2013-2020, usually or occasionally"
    )
    assert words.definition_label("cbs_ebb_most_of_time_or_sometimes", "nl") == (
        "CBS vanaf 2021, meestal of soms"
    )
    assert "(StatLine 83258NED)" in words.definition_label(
        "cbs_ebb_usually_or_occasionally", "en", "definition_text"
    )
    assert "aged 15-64" in words.definition_label("eurostat_usually", "en", "definition_text")
    # A change in the data changes the words; a value no source states is never guessed.
    moved = {**stated, "cbs_ebb_most_of_time_or_sometimes": {"asked_from": "2022"}}
    monkeypatch.setattr(words, "statements", lambda: moved)
    assert words.definition_label("cbs_ebb_most_of_time_or_sometimes", "en").startswith(
        "CBS from 2022,"
    )
    monkeypatch.setattr(words, "statements", lambda: {**stated, "eurostat_usually": {}})
    with pytest.raises(KeyError):
        words.definition_label("eurostat_usually", "en", "definition_text")
