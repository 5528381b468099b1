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
  in the note. Still unlabelled: Vickers 2018 Table 7, Mu 2020 function, the Sydney cohort's
  median (its abstract prints '58 days, 52 to 63 days' without a name).
- Mean differences published in words keep the sign the research gave them ('10.26 points
  lower' is -10.26); the words are in `value_as_published` and the note.
- Sentences appended to a note come from SOURCES.md (contradictions, where a copy was read) or
  from the curation steps above; the research note itself is kept whole, first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.curation import check, join_caveats, read_extract
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

# Stable figure ids in the extract's row order, with the start of the study name and the value
# each row must have, so a reordered or edited extract fails here instead of shifting ids.
FIGURE_IDS: tuple[tuple[str, str, str], ...] = (
    ("Haake", "47.6", "gerac_2007_verum_responder_6m"),
    ("Haake", "44.2", "gerac_2007_sham_responder_6m"),
    ("Haake", "27.4", "gerac_2007_conventional_responder_6m"),
    ("Haake", "3.4", "gerac_2007_verum_vs_sham_responder_difference_6m"),
    ("Haake", "20.2", "gerac_2007_verum_vs_conventional_responder_difference_6m"),
    ("Haake", "16.8", "gerac_2007_sham_vs_conventional_responder_difference_6m"),
    ("Haake", "10", "gerac_2007_sessions_per_protocol"),
    ("Endres", "", "gerac_overview_2007_sessions_range"),
    ("Brinkhaus", "28.7", "art_2006_acupuncture_pain_change_8w"),
    ("Brinkhaus", "23.6", "art_2006_minimal_acupuncture_pain_change_8w"),
    ("Brinkhaus", "6.9", "art_2006_waiting_list_pain_change_8w"),
    ("Brinkhaus", "5.1", "art_2006_acupuncture_vs_minimal_pain_difference_8w"),
    ("Brinkhaus", "21.7", "art_2006_acupuncture_vs_waiting_list_pain_difference_8w"),
    ("Brinkhaus", "", "art_2006_acupuncture_vs_minimal_pain_difference_26w_52w"),
    ("Witt", "12.1", "arc_2006_acupuncture_function_change_3m"),
    ("Witt", "2.7", "arc_2006_routine_care_function_change_3m"),
    ("Witt", "9.4", "arc_2006_acupuncture_vs_routine_care_function_difference_3m"),
    ("Witt", "", "arc_2006_sessions_maximum"),
    ("Cherkin", "4.4", "cherkin_2009_individualised_rmdq_change_8w"),
    ("Cherkin", "4.5", "cherkin_2009_standardised_rmdq_change_8w"),
    ("Cherkin", "4.4", "cherkin_2009_simulated_rmdq_change_8w"),
    ("Cherkin", "2.1", "cherkin_2009_usual_care_rmdq_change_8w"),
    ("Cherkin", "60", "cherkin_2009_acupuncture_arms_responder_8w"),
    ("Cherkin", "39", "cherkin_2009_usual_care_responder_8w"),
    ("Cherkin", "", "cherkin_2009_acupuncture_arms_bothersomeness_change_8w"),
    ("Cherkin", "0.7", "cherkin_2009_usual_care_bothersomeness_change_8w"),
    ("Cherkin", "", "cherkin_2009_acupuncture_arms_responder_52w"),
    ("Cherkin", "50", "cherkin_2009_usual_care_responder_52w"),
    ("Cherkin", "10", "cherkin_2009_sessions_per_protocol"),
    ("Vickers", "0.23", "vickers_2012_back_neck_vs_sham_smd"),
    ("Vickers", "0.55", "vickers_2012_back_neck_vs_no_acupuncture_smd"),
    ("Vickers & Linde", "30", "vickers_linde_2014_no_acupuncture_modelled_response"),
    ("Vickers & Linde", "42.5", "vickers_linde_2014_sham_modelled_response"),
    ("Vickers & Linde", "50", "vickers_linde_2014_acupuncture_modelled_response"),
    ("Vickers", "0.5", "vickers_2018_vs_no_acupuncture_smd"),
    ("Vickers", "0.2", "vickers_2018_vs_sham_smd"),
    ("Vickers", "15", "vickers_2018_effect_decline_12m"),
    ("Vickers", "0.17", "vickers_2018_vs_penetrating_sham_smd"),
    ("Vickers", "0.48", "vickers_2018_vs_non_penetrating_sham_smd"),
    ("Vickers", "0.50", "vickers_2018_vs_usual_care_smd"),
    ("Vickers", "0.34", "vickers_2018_vs_high_intensity_smd"),
    ("Mu", "-10.26", "cochrane_2020_vs_usual_care_pain_difference_post"),
    ("Mu", "9.78", "cochrane_2020_vs_usual_care_function_difference_post"),
    ("Mu", "4.20", "cochrane_2020_vs_usual_care_sf12_physical_difference_short"),
    ("Mu", "", "cochrane_2020_vs_sham_pain_difference_post"),
    ("Mu", "", "cochrane_2020_vs_no_treatment_pain_difference_post"),
    ("Furlan", "3", "cochrane_2005_acute_lbp_trial_count"),
    ("Skonnord", "9", "acuback_2020_acupuncture_median_days_to_recovery"),
    ("Skonnord", "14", "acuback_2020_standard_care_median_days_to_recovery"),
    ("Skonnord", "1.37", "acuback_2020_acupuncture_vs_standard_care_recovery_hr"),
    ("Lin", "-1.17", "lin_2024_vs_medication_pain_difference"),
    ("Lin", "-1.42", "lin_2024_vs_medication_unnamed_outcome_smd"),
    ("Lin", "1.11", "lin_2024_vs_medication_improvement_rr"),
    ("Chou", "", "chou_2017_acute_lbp_conclusion"),
    ("da C Menezes Costa", "52", "costa_2012_acute_pain_baseline"),
    ("da C Menezes Costa", "23", "costa_2012_acute_pain_6w"),
    ("da C Menezes Costa", "12", "costa_2012_acute_pain_26w"),
    ("da C Menezes Costa", "6", "costa_2012_acute_pain_52w"),
    ("da C Menezes Costa", "51", "costa_2012_persistent_pain_baseline"),
    ("da C Menezes Costa", "33", "costa_2012_persistent_pain_6w"),
    ("da C Menezes Costa", "26", "costa_2012_persistent_pain_26w"),
    ("da C Menezes Costa", "23", "costa_2012_persistent_pain_52w"),
    ("Pengel", "58", "pengel_2003_pain_reduction_1m"),
    ("Pengel", "73", "pengel_2003_recurrence_12m"),
    ("Itz", "33", "itz_2013_recovered_3m"),
    ("Itz", "65", "itz_2013_still_in_pain_12m"),
    ("Primary-care inception cohort", "72", "sydney_cohort_complete_recovery_12m"),
    ("Primary-care inception cohort", "58", "sydney_cohort_median_days_to_pain_recovery"),
    ("KNGF-richtlijn", "", "kngf_2021_pain_free_after_3m_statement"),
    ("Ostelo", "15", "ostelo_2008_mic_pain_vas"),
    ("Ostelo", "2", "ostelo_2008_mic_pain_nrs"),
    ("Ostelo", "5", "ostelo_2008_mic_rmdq"),
    ("Ostelo", "10", "ostelo_2008_mic_oswestry"),
    ("Ostelo", "20", "ostelo_2008_mic_quebec"),
    ("Ostelo", "30", "ostelo_2008_mic_percent"),
    ("Farrar", "2", "farrar_2001_mcid_pain_nrs_points"),
    ("Farrar", "30", "farrar_2001_mcid_pain_percent"),
    ("Dworkin", "", "immpact_2008_minimally_important_pain_percent"),
    ("Dworkin", "30", "immpact_2008_moderately_important_pain_percent"),
    ("Dworkin", "50", "immpact_2008_substantial_pain_percent"),
    ("Kamper", "0", "kamper_2010_recovered_pain_nrs"),
    ("Kamper", "2", "kamper_2010_recovered_rmdq"),
    ("NICE NG59", "", "nice_ng59_2016_acupuncture"),
    ("NICE CG88", "", "nice_cg88_2009_sessions_maximum"),
    ("ACP", "", "acp_2017_acupuncture"),
    ("NHG", "", "nhg_2017_acupuncture"),
    ("KNGF (", "", "kngf_2021_acupuncture_dry_needling"),
    ("Trinh", "-0.23", "cochrane_2016_neck_vs_sham_smd_short"),
    ("Weidenhammer", "8.7", "weidenhammer_routine_care_mean_sessions"),
    ("Weidenhammer", "45.5", "weidenhammer_routine_care_function_responder_6m"),
    ("Pach", "", "pach_2013_sessions_range"),
)

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

# The printed form of a figure, where the research quoted it and it differs from `value`.
AS_PUBLISHED = {
    "gerac_overview_2007_sessions_range": "10 to 15",
    "arc_2006_sessions_maximum": "up to 15",
    "vickers_linde_2014_no_acupuncture_modelled_response": "approximately 30%",
    "vickers_2018_vs_no_acupuncture_smd": "close to 0.5 SD",
    "vickers_2018_vs_sham_smd": "close to 0.2 SD",
    "vickers_2018_effect_decline_12m": "approximately 15%",
    "cochrane_2020_vs_usual_care_pain_difference_post": "10.26 points lower",
    "kngf_2021_pain_free_after_3m_statement": "ongeveer de helft",
    "nice_cg88_2009_sessions_maximum": "up to a maximum of 10",
    "pach_2013_sessions_range": "between 10 and 15",
}

# `outcome_measure` for the IMMPACT rows, which the research told apart only in value_kind.
IMMPACT_LEVELS = {
    "immpact_2008_minimally_important_pain_percent": "pain intensity: minimally important change",
    "immpact_2008_moderately_important_pain_percent": "pain intensity: moderately important change",
    "immpact_2008_substantial_pain_percent": "pain intensity: substantial change",
}

_ART = "The Cochrane characteristics table reports 284 analysed of 301 randomised."
_CHERKIN = "The Cochrane characteristics table reports 583 analysed of 641 randomised."
_GERAC = "Only the abstract was visible on the journal page (paid-access block)."
_COSTA_N = "n is left empty: 11,166 is the total of all 33 cohorts, acute and persistent together."
_CHECKED = (
    "The interval is a 95% confidence interval as printed in the abstract; the research note "
    "did not say so, so this was checked during curation."
)
_UNLABELLED = (
    "The interval in value_low/value_high was printed beside the estimate; the excerpt read "
    "did not say whether it is a 95% confidence interval."
)

# Curator sentences appended to a row's note, taken from SOURCES.md.
EXTRA_NOTES: dict[str, str] = {
    "gerac_2007_verum_responder_6m": _GERAC,
    "gerac_2007_sham_responder_6m": _GERAC,
    "gerac_2007_conventional_responder_6m": f"{_GERAC} Counting unblinded patients and users "
    "of non-permitted therapies as non-responders can affect the arms differently; read this "
    "27.4% with that rule in mind.",
    **dict.fromkeys(
        [
            "art_2006_acupuncture_pain_change_8w",
            "art_2006_minimal_acupuncture_pain_change_8w",
            "art_2006_waiting_list_pain_change_8w",
            "art_2006_acupuncture_vs_minimal_pain_difference_8w",
            "art_2006_acupuncture_vs_waiting_list_pain_difference_8w",
            "art_2006_acupuncture_vs_minimal_pain_difference_26w_52w",
        ],
        _ART,
    ),
    **dict.fromkeys(
        [
            "cherkin_2009_individualised_rmdq_change_8w",
            "cherkin_2009_standardised_rmdq_change_8w",
            "cherkin_2009_simulated_rmdq_change_8w",
            "cherkin_2009_usual_care_rmdq_change_8w",
            "cherkin_2009_acupuncture_arms_responder_8w",
            "cherkin_2009_usual_care_responder_8w",
            "cherkin_2009_acupuncture_arms_bothersomeness_change_8w",
            "cherkin_2009_usual_care_bothersomeness_change_8w",
            "cherkin_2009_acupuncture_arms_responder_52w",
            "cherkin_2009_usual_care_responder_52w",
        ],
        _CHERKIN,
    ),
    "cochrane_2020_vs_usual_care_function_difference_post": "The MD (higher HFAQ = better "
    "function) and the SMD have opposite signs; the excerpt does not say which direction the "
    "SMD uses.",
    **{
        f"acuback_2020_{suffix}": "Results read on a PubMed proxy and on UiO/OsloMet repository "
        "pages, not on the journal page."
        for suffix in (
            "acupuncture_median_days_to_recovery",
            "standard_care_median_days_to_recovery",
            "acupuncture_vs_standard_care_recovery_hr",
        )
    },
    **{
        f"costa_2012_acute_pain_{t}": f"{_COSTA_N} An InfoPOEMs summary gives 69/28/12/4 "
        "(baseline/6/26/52 weeks) for acute pain; the CMAJ abstract values are used here."
        for t in TIMES
    },
    **{
        f"costa_2012_persistent_pain_{t}": f"{_COSTA_N} An InfoPOEMs summary gives 55/29/17 for "
        "persistent pain; the CMAJ abstract values are used here."
        for t in TIMES
    },
    "itz_2013_recovered_3m": "Read on PubMed mirrors, Maastricht CRIS and Wiley pages.",
    "itz_2013_still_in_pain_12m": "Read on PubMed mirrors, Maastricht CRIS and Wiley pages.",
    "immpact_2008_minimally_important_pain_percent": "IMMPACT: a 10-20% decrease is minimally "
    "important (published range).",
    "kamper_2010_recovered_pain_nrs": "Patients who feel recovered: a pain score of 0.",
    "kamper_2010_recovered_rmdq": "Patients who feel recovered: an RMDQ score of 2 or less.",
}


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _interval_kind(figure_id: str, value: str, low: str, high: str) -> str:
    if not (low or high):
        check(figure_id not in CI95 | CI95_CHECKED, f"{figure_id}: a 95% CI without bounds")
        return ""
    if figure_id in CI95 | CI95_CHECKED:
        check(bool(value and low and high), f"{figure_id}: a 95% CI needs a value and two bounds")
        return "ci95"
    return "unlabelled" if value else "range"


def _row(r, figure_id: str) -> dict[str, str]:
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
    if figure_id in EXTRA_NOTES:
        notes.append(EXTRA_NOTES[figure_id])
    return {
        "figure_id": figure_id,
        "study": r.study,
        "publication_year": r.year,
        "study_population": r.population,
        "study_design": r.design,
        "trial_arm": r.arm,
        "trial_comparator": r.comparator,
        "outcome_measure": IMMPACT_LEVELS.get(figure_id, r.outcome_measure),
        "outcome_scale": r.scale,
        "outcome_timepoint": r.timepoint,
        "study_participants": participants,
        "benchmark_value_kind": kind,
        "value": r.value,
        "value_low": r.value_low,
        "value_high": r.value_high,
        "benchmark_interval_kind": interval,
        "value_qualifier": qualifier,
        "value_as_published": AS_PUBLISHED.get(figure_id, ""),
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
    check(len(raw) == len(FIGURE_IDS), "FIGURE_IDS must list one id per extract row")
    rows = []
    for r, (study_start, value, figure_id) in zip(
        raw.itertuples(index=False), FIGURE_IDS, strict=True
    ):
        check(
            r.study.startswith(study_start) and r.value == value,
            f"row for {figure_id} is now {r.study!r} with value {r.value!r}: re-check FIGURE_IDS",
        )
        check(
            not r.year or f"_{r.year}_" in f"{figure_id}_",
            f"{figure_id}: id lacks the year {r.year!r}",
        )
        rows.append(_row(r, figure_id))
    out = pd.DataFrame(rows, columns=list(resource("outcome_benchmarks").fields))

    dupes = out["figure_id"][out["figure_id"].duplicated()]
    check(dupes.empty, f"figure ids are not unique: {list(dupes)}")
    unused = (
        set(AS_PUBLISHED) | set(EXTRA_NOTES) | CI95 | CI95_CHECKED | SAME_DEFINITION | TRUNCATED
    ) - set(out["figure_id"])
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
