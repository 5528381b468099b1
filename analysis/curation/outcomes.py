"""Treatment-outcome benchmarks (trials, reviews, natural course, thresholds, guidelines) from
``outcomes/benchmarks.csv``; the research notes are in ``outcomes/SOURCES.md``.

All 91 rows are kept (none is an exact duplicate) and every number is copied as published:
nothing is recomputed. Changes to the extract, in the open:
- Columns are renamed to the package's dictionary: year -> publication_year (a publication year,
  not the year a figure describes, so the common `year` is not reused), population ->
  study_population, design -> study_design, arm -> trial_arm, comparator -> trial_comparator,
  scale -> outcome_scale, timepoint -> outcome_timepoint, n -> study_participants.
- `value_kind` becomes a snake_case `benchmark_value_kind`. What its parenthesis said moves to a
  column of its own: 'approximately', 'close to' and 'at least' to `value_qualifier` (the printed
  form, where the research quoted it, to `value_as_published`); 'range across arms' and
  'maximum' to `benchmark_interval_kind` = range; '(decrease)' and '(improvement)' were already
  in `outcome_measure`; 'uncontrolled' to `benchmark_group` = observational. The three IMMPACT
  rows put their level (minimally / moderately important, substantial) in `outcome_measure`, and
  Kamper's '<=' is spelled out in the note.
- Costa 2012: the research gave n = 11,166 on every row, but that is the total of all 33
  cohorts, acute and persistent together, and the abstract does not split it. `n` is left empty
  on these rows (the total stays in the note), because n holds a row's own participants only.
- `benchmark_interval_kind` comes from the research notes: ci95 where they call the interval a
  (95%) confidence interval, range where `value_low`/`value_high` bound a published range and
  `value` is empty, and 'unlabelled' where an interval was printed beside the estimate but the
  excerpt did not say what kind it is (we do not assume a 95% CI). For 15 rows (Vickers 2012,
  Acuback, Lin 2024, Costa 2012, Trinh 2016) the research left the interval unnamed but the
  abstract at the cited page prints '95% CI'; checked during curation, marked ci95 and said so
  in the note. For 5 more (Vickers 2018 Table 7, four rows; Mu 2020 function against usual
  care) the table at the cited page heads its intervals '(95% CI)'; checked during curation,
  marked ci95 and said so in the note. Still unlabelled: the Sydney cohort's median time to pain
  recovery (its abstract prints '58 days, 52 to 63 days' without a name, and names only the
  first interval of the same sentence a 95% confidence interval).
- Mean differences published in words keep the sign the research gave them ('10.26 points
  lower' is -10.26); the words are in `value_as_published` and the note.
- Sentences appended to a note come from SOURCES.md (contradictions, where a copy was read) or
  from the curation steps above; the research note itself is kept whole, first.

Each row's figure id, printed form and appended sentences are data: the curation spec
``data/sources/specs/outcome_benchmarks.toml``, documented at its top.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.curation import check, join_caveats, read_extract, read_spec
from analysis.metadata import resource

EXTRACT = "outcomes/benchmarks.csv"

EXTRACT_COLUMNS = [
    "study",
    "year",
    "population",
    "design",
    "arm",
    "comparator",
    "outcome_measure",
    "scale",
    "timepoint",
    "n",
    "value",
    "value_low",
    "value_high",
    "value_kind",
    "source_url",
    "note",
]


# value_kind as the research wrote it -> (benchmark_value_kind, value_qualifier).
KINDS: dict[str, tuple[str, str]] = {
    "responder rate": ("responder_rate", ""),
    "responder rate (range across arms)": ("responder_rate", ""),
    "responder rate (uncontrolled)": ("responder_rate", ""),
    "responder rate (approximate, modelled)": ("modelled_responder_rate", "about"),
    "risk difference (responder rate)": ("risk_difference", ""),
    "mean change (decrease)": ("mean_change", ""),
    "mean change (improvement)": ("mean_change", ""),
    "mean change (improvement), range across arms": ("mean_change", ""),
    "mean difference": ("mean_difference", ""),
    "SMD": ("smd", ""),
    "SMD (stated as 'close to')": ("smd", "about"),
    "risk ratio": ("risk_ratio", ""),
    "hazard ratio": ("hazard_ratio", ""),
    "median days to recovery": ("median_days_to_recovery", ""),
    "mean score (pooled)": ("pooled_mean_score", ""),
    "proportion": ("proportion", ""),
    "percent reduction": ("percent_reduction", ""),
    # The note quotes 'only a small decrease, approximately 15%, in treatment effect'.
    "percent reduction (of treatment effect)": ("percent_reduction", "about"),
    "session count": ("session_count", ""),
    "session count (maximum)": ("session_count", ""),
    "mean session count": ("mean_session_count", ""),
    "trial count": ("trial_count", ""),
    "MCID threshold (absolute improvement)": ("mcid_threshold", ""),
    "MCID threshold (percent improvement)": ("mcid_threshold", ""),
    "MCID threshold (absolute, 'approximately')": ("mcid_threshold", "about"),
    "MCID threshold (percent reduction, 'approximately')": ("mcid_threshold", "about"),
    "MCID threshold (minimally important)": ("mcid_threshold", ""),
    "MCID threshold (moderately important, 'at least')": ("mcid_threshold", "at least"),
    "MCID threshold (substantial, 'at least')": ("mcid_threshold", "at least"),
    "recovery threshold": ("recovery_threshold", ""),
    "recovery threshold (<=)": ("recovery_threshold", ""),
    "guideline statement": ("guideline_statement", ""),
    "guideline statement (verbal quantity)": ("guideline_statement", "about"),
    "qualitative conclusion": ("qualitative_conclusion", ""),
}

# Kinds that carry no number on purpose (SOURCES.md, 'File').
WORDS_ONLY_KINDS = {"guideline_statement", "qualitative_conclusion"}
# Kinds that describe a treatment course or a literature count, not a patient outcome, so the
# trial_definition_differs caveat would say nothing about them.
NOT_AN_OUTCOME = {"session_count", "mean_session_count", "trial_count"}

GROUPS: dict[str, str] = {
    "Haake et al. (GERAC LBP)": "chronic_lbp_trial",
    "Endres et al. (GERAC overview, Dtsch Arztebl)": "chronic_lbp_trial",
    "Brinkhaus et al. (ART)": "chronic_lbp_trial",
    "Witt et al. (ARC)": "chronic_lbp_trial",
    "Cherkin et al.": "chronic_lbp_trial",
    "Pach et al.": "chronic_lbp_trial",
    "Skonnord et al. (Acuback)": "acute_lbp_trial",
    "Vickers et al. (IPD meta-analysis)": "ipd_meta_analysis",
    "Vickers & Linde (JAMA clinical evidence synopsis)": "ipd_meta_analysis",
    "Vickers et al. (IPD meta-analysis update)": "ipd_meta_analysis",
    "Mu et al. (Cochrane)": "cochrane_review",
    "Furlan et al. (Cochrane / Spine)": "cochrane_review",
    "Trinh et al. (Cochrane, neck)": "cochrane_review",
    "Lin et al.": "systematic_review",
    "Chou et al. (review for ACP guideline)": "systematic_review",
    "da C Menezes Costa et al.": "natural_course",
    "Pengel et al.": "natural_course",
    "Itz et al.": "natural_course",
    "Primary-care inception cohort, Sydney (PMC2483884)": "natural_course",
    # A guideline sentence, but about the natural course (SOURCES.md section 5).
    "KNGF-richtlijn Lage rugpijn en LRS": "natural_course",
    "Weidenhammer et al.": "observational",
    "Ostelo et al.": "outcome_threshold",
    "Farrar et al.": "outcome_threshold",
    "Dworkin et al. (IMMPACT)": "outcome_threshold",
    "Kamper et al.": "outcome_threshold",
    "NICE NG59": "guideline",
    "NICE CG88 (superseded by NG59)": "guideline",
    "ACP guideline (Qaseem et al.)": "guideline",
    "NHG-Standaard Aspecifieke lagerugpijn (2e herziening)": "guideline",
    "KNGF (richtlijn Lage rugpijn 2021; standpunt dry needling 2023)": "guideline",
}

# Thresholds that match one criterion of Rugzicht's response (>= 30% and >= 2 points on a
# 0-10 pain scale) or of its 'substantial' response (>= 50%). Every other row differs.
SAME_DEFINITION = {
    "ostelo_2008_mic_pain_nrs",
    "ostelo_2008_mic_percent",
    "farrar_2001_mcid_pain_nrs_points",
    "farrar_2001_mcid_pain_percent",
    "immpact_2008_moderately_important_pain_percent",
    "immpact_2008_substantial_pain_percent",
}

TIMES = ("baseline", "6w", "26w", "52w")

# Intervals the research calls a (95%) confidence interval. The other intervals printed beside
# an estimate are 'unlabelled'; bounds without a value are a published range.
CI95 = {
    "gerac_2007_verum_vs_sham_responder_difference_6m",
    "gerac_2007_verum_vs_conventional_responder_difference_6m",
    "gerac_2007_sham_vs_conventional_responder_difference_6m",
    "art_2006_acupuncture_vs_minimal_pain_difference_8w",
    "art_2006_acupuncture_vs_waiting_list_pain_difference_8w",
    "arc_2006_acupuncture_vs_routine_care_function_difference_3m",
    # SOURCES.md: '10.26 points lower on 0-100 (CI 17.11 to 3.40 lower)', a Cochrane
    # Summary-of-findings interval.
    "cochrane_2020_vs_usual_care_pain_difference_post",
}
# Intervals the research left unnamed but whose abstract, at the row's source_url or the copy
# its note names, prints them as 95% CIs; checked during curation (the note says so).
CI95_CHECKED = {
    "vickers_2012_back_neck_vs_sham_smd",
    "vickers_2012_back_neck_vs_no_acupuncture_smd",
    "acuback_2020_acupuncture_vs_standard_care_recovery_hr",
    "lin_2024_vs_medication_pain_difference",
    "lin_2024_vs_medication_unnamed_outcome_smd",
    "lin_2024_vs_medication_improvement_rr",
    *(f"costa_2012_{c}_pain_{t}" for c in ("acute", "persistent") for t in TIMES),
    "cochrane_2016_neck_vs_sham_smd_short",
}
# Intervals the research left unnamed whose table, at the row's source_url, heads its interval
# column '(95% CI)': Vickers 2018 Table 7 'Effect Size (95% CI)' and Cochrane CD013814 Summary
# of findings 3 'Illustrative comparative risks* (95% CI)'. Checked during curation.
CI95_TABLE = {
    "vickers_2018_vs_penetrating_sham_smd",
    "vickers_2018_vs_non_penetrating_sham_smd",
    "vickers_2018_vs_usual_care_smd",
    "vickers_2018_vs_high_intensity_smd",
    "cochrane_2020_vs_usual_care_function_difference_post",
}

# Pages where the figures were read on a copy or mirror of the page in source_url, or where
# source_url is itself a copy (SOURCES.md).
MIRROR_URLS = {
    "https://kipdf.com/acupuncture-for-the-treatment-of-chronic-knee-and-back-pain_"
    "5ae3e48d7f8b9abf728b4646.html",
    "https://pubmed.ncbi.nlm.nih.gov/16505266/",
    "https://metajournal.com/articles/1284734/"
    "pragmatic-randomized-trial-evaluating-clinical-economic-effectiveness",
    "https://pubmed.ncbi.nlm.nih.gov/19433697/",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC4036643",
    "https://dokumen.tips/documents/"
    "spine-volume-30-number-8-pp-944a963-2005-lippincott-articlesfurlan-acup.html",
    "https://bmjopen.bmj.com/content/10/8/e034157",
    "https://www.scribd.com/document/494825159/Low-Back-Nonpharm",
    "https://pubmed.ncbi.nlm.nih.gov/22641374/",
    "https://paperexplained.cn/articles/paper/detail/c63b17f341638e994cd27cc6d09b4f05e220d5cc",
    "http://docplayer.net/12359161-Acupuncture-is-a-widespread-form-of-complementary.html",
    "https://moam.info/a-randomized-controlled-trial_5b7be83e097c47e1268b45d3.html",
}

# Figures taken from a publication that reports on another one: an author's summary, a review's
# table of trial characteristics, a summary site, a press release, an evidence synopsis.
SECONDARY_URLS = {
    "https://ssl.jsam.jp/onlineJournal/right.php?id=47",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC8095030/table/CD013814-tblf-0008",
    "https://doi.org/10.1016/j.jpain.2007.09.005",  # table values read on Bandolier
    "http://www.nice.org.uk/news/press-and-media/"
    "exercise-not-acupuncture-for-people-with-low-back-pain-says-nice-in-draft-guidance",
    "http://www.hkiim.cuhk.edu.hk/ceim/en/synopsis/detail/acupuncture-and-related-therapies/87",
}

# Plain-http addresses kept because the research gave no https address for the same page.
HTTP_ONLY_URLS = {
    "http://bmj.bmjjournals.com/content/327/7410/323.full.txt",
    "http://docplayer.net/12359161-Acupuncture-is-a-widespread-form-of-complementary.html",
    "http://www.nice.org.uk/news/press-and-media/"
    "exercise-not-acupuncture-for-people-with-low-back-pain-says-nice-in-draft-guidance",
    "http://publications.nice.org.uk/low-back-pain-cg88/key-priorities-for-implementation",
    "http://www.hkiim.cuhk.edu.hk/ceim/en/synopsis/detail/acupuncture-and-related-therapies/87",
}

CITATION_UNVERIFIED = {
    "Ostelo et al.",
    "Primary-care inception cohort, Sydney (PMC2483884)",
    "Weidenhammer et al.",
    "Chou et al. (review for ACP guideline)",
}
NOT_SPECIFIC_TO_BACK = {
    "Endres et al. (GERAC overview, Dtsch Arztebl)",
    "Vickers & Linde (JAMA clinical evidence synopsis)",
    "Vickers et al. (IPD meta-analysis update)",
    "Farrar et al.",
    "Dworkin et al. (IMMPACT)",
}
SUPERSEDED = {"NICE CG88 (superseded by NG59)", "Trinh et al. (Cochrane, neck)"}
TRUNCATED = {
    "cochrane_2020_vs_usual_care_sf12_physical_difference_short",
    "cochrane_2020_vs_sham_pain_difference_post",
    "cochrane_2020_vs_no_treatment_pain_difference_post",
}


_CHECKED = (
    "The interval is a 95% confidence interval as printed in the abstract; the research note "
    "did not say so, so this was checked during curation."
)
_CHECKED_TABLE = (
    "The interval is a 95% confidence interval: the table's column header prints '(95% CI)'. "
    "The research note did not say so, so this was checked during curation."
)
_UNLABELLED = (
    "The interval in value_low/value_high was printed beside the estimate; the excerpt read "
    "did not say whether it is a 95% confidence interval."
)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _interval_kind(figure_id: str, value: str, low: str, high: str) -> str:
    ci95 = CI95 | CI95_CHECKED | CI95_TABLE
    if not (low or high):
        check(figure_id not in ci95, f"{figure_id}: a 95% CI without bounds")
        return ""
    if figure_id in ci95:
        check(bool(value and low and high), f"{figure_id}: a 95% CI needs a value and two bounds")
        return "ci95"
    return "unlabelled" if value else "range"


def _row(r, spec: dict) -> dict[str, str]:
    figure_id = spec["figure_id"]
    check(r.value_kind in KINDS, f"{figure_id}: unmapped value_kind {r.value_kind!r}")
    kind, qualifier = KINDS[r.value_kind]
    check(r.study in GROUPS, f"{figure_id}: no benchmark_group for study {r.study!r}")
    for col in ("value", "value_low", "value_high"):
        cell = getattr(r, col)
        check(cell == "" or bool(_NUMBER.match(cell)), f"{figure_id}: {col} {cell!r} not a number")
    if kind in WORDS_ONLY_KINDS:
        check(r.value == "", f"{figure_id}: a {kind} row should have no value")
    url = r.source_url
    check(re.fullmatch(r"https?://\S+", url) is not None, f"{figure_id}: bad source_url {url!r}")
    check(
        url.startswith("https://") or url in HTTP_ONLY_URLS,
        f"{figure_id}: plain-http source_url {url!r} is not in HTTP_ONLY_URLS",
    )
    check(not (r.year and not re.fullmatch(r"\d{4}", r.year)), f"{figure_id}: year {r.year!r}")
    check(r.n == "" or r.n.isdigit(), f"{figure_id}: n {r.n!r} is not a whole number")

    participants = r.n
    if r.study == "da C Menezes Costa et al.":
        check(r.n == "11166", f"{figure_id}: Costa rows were expected to carry the total 11166")
        participants = ""

    is_different = figure_id not in SAME_DEFINITION
    is_outcome = kind not in NOT_AN_OUTCOME and GROUPS[r.study] != "guideline"
    caveats = join_caveats(
        "trial_definition_differs" if is_different and is_outcome else "",
        "mirror_source" if url in MIRROR_URLS else "",
        "secondary_source" if url in SECONDARY_URLS else "",
        "citation_unverified" if r.study in CITATION_UNVERIFIED else "",
        "not_specific_to_back" if r.study in NOT_SPECIFIC_TO_BACK else "",
        "superseded" if r.study in SUPERSEDED else "",
        "truncated_source" if figure_id in TRUNCATED else "",
        "verbal_quantity" if qualifier else "",
    )
    interval = _interval_kind(figure_id, r.value, r.value_low, r.value_high)
    notes = [r.note.strip()] if r.note.strip() else []
    if interval == "unlabelled":
        notes.append(_UNLABELLED)
    if figure_id in CI95_CHECKED:
        notes.append(_CHECKED)
    if figure_id in CI95_TABLE:
        notes.append(_CHECKED_TABLE)
    if "note" in spec:
        notes.append(spec["note"])
    return {
        "figure_id": figure_id,
        "study": r.study,
        "publication_year": r.year,
        "study_population": r.population,
        "study_design": r.design,
        "trial_arm": r.arm,
        "trial_comparator": r.comparator,
        "outcome_measure": spec.get("outcome_measure", r.outcome_measure),
        "outcome_scale": r.scale,
        "outcome_timepoint": r.timepoint,
        "study_participants": participants,
        "benchmark_value_kind": kind,
        "value": r.value,
        "value_low": r.value_low,
        "value_high": r.value_high,
        "benchmark_interval_kind": interval,
        "value_qualifier": qualifier,
        "value_as_published": spec.get("value_as_published", ""),
        "benchmark_group": GROUPS[r.study],
        "is_responder_definition_different": "true" if is_different else "false",
        "caveats": caveats,
        "source_url": url,
        "note": " ".join(notes),
    }


def benchmarks(research: Path) -> pd.DataFrame:
    raw = read_extract(research, EXTRACT)
    check(list(raw.columns) == EXTRACT_COLUMNS, f"unexpected columns in {EXTRACT}: {raw.columns}")
    check(len(raw) == 91, f"expected 91 benchmark rows, got {len(raw)}")
    check(not raw.duplicated().any(), "the extract has exact duplicate rows; drop and say so")
    # One spec per extract row, in row order, with the start of the study name and the value
    # each row must have, so a reordered or edited extract fails here instead of shifting ids.
    figures = read_spec("outcome_benchmarks")["figure"]
    check(len(raw) == len(figures), "the spec must list one figure per extract row")
    rows = []
    for r, spec in zip(raw.itertuples(index=False), figures, strict=True):
        figure_id = spec["figure_id"]
        check(
            r.study.startswith(spec["study_start"]) and r.value == spec["value"],
            f"row for {figure_id} is now {r.study!r} with value {r.value!r}: re-check the spec",
        )
        check(
            not r.year or f"_{r.year}_" in f"{figure_id}_",
            f"{figure_id}: id lacks the year {r.year!r}",
        )
        rows.append(_row(r, spec))
    out = pd.DataFrame(rows, columns=list(resource("outcome_benchmarks").fields))

    dupes = out["figure_id"][out["figure_id"].duplicated()]
    check(dupes.empty, f"figure ids are not unique: {list(dupes)}")
    named = CI95 | CI95_CHECKED | CI95_TABLE | SAME_DEFINITION | TRUNCATED
    unused = named - set(out["figure_id"])
    check(not unused, f"curation lists name figure ids that do not exist: {sorted(unused)}")

    # Golden figures. GERAC, Haake et al. 2007 abstract: responders at 6 months 47.6% verum,
    # 44.2% sham, 27.4% conventional care; ten sessions per protocol.
    by_id = out.set_index("figure_id")
    for figure_id, expected in {
        "gerac_2007_verum_responder_6m": "47.6",
        "gerac_2007_sham_responder_6m": "44.2",
        "gerac_2007_conventional_responder_6m": "27.4",
        "gerac_2007_sessions_per_protocol": "10",
    }.items():
        check(by_id.loc[figure_id, "value"] == expected, f"{figure_id} should be {expected}")
    # Costa 2012 CMAJ abstract: acute-cohort pain 52 at baseline and 23 at 6 weeks on 0-100.
    for figure_id, expected in {
        "costa_2012_acute_pain_baseline": "52",
        "costa_2012_acute_pain_6w": "23",
    }.items():
        check(by_id.loc[figure_id, "value"] == expected, f"{figure_id} should be {expected}")
        check(by_id.loc[figure_id, "outcome_scale"] == "0-100", f"{figure_id}: scale 0-100")
    return out


def build(research: Path) -> dict[str, pd.DataFrame]:
    return {"outcome_benchmarks": benchmarks(research)}
