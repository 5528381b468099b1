"""Treatment-outcome benchmarks: acupuncture trials and reviews, the natural course of low back
pain, thresholds for a meaningful change, and guideline statements."""

from analysis.metadata.model import Field, Resource, Source

# What a row's value is. The unit is in `outcome_scale`; the order follows the table.
BENCHMARK_VALUE_KINDS = (
    "responder_rate",
    "modelled_responder_rate",
    "risk_difference",
    "mean_change",
    "mean_difference",
    "smd",
    "risk_ratio",
    "hazard_ratio",
    "median_days_to_recovery",
    "pooled_mean_score",
    "proportion",
    "percent_reduction",
    "session_count",
    "mean_session_count",
    "trial_count",
    "mcid_threshold",
    "recovery_threshold",
    "guideline_statement",
    "qualitative_conclusion",
)

# Which kind of study a row comes from, so a chart can pick comparable rows.
BENCHMARK_GROUPS = (
    "chronic_lbp_trial",
    "acute_lbp_trial",
    "ipd_meta_analysis",
    "cochrane_review",
    "systematic_review",
    "natural_course",
    "observational",
    "outcome_threshold",
    "guideline",
)

BENCHMARK_INTERVAL_KINDS = ("ci95", "range", "unlabelled")

FIELDS = {
    "study": Field(
        "string",
        "Short name of the study or publication: first author and, where there is one, the "
        "trial's acronym (for example 'Haake et al. (GERAC LBP)').",
    ),
    "publication_year": Field(
        "integer",
        "Year the publication appeared, not the years in which patients were treated. Empty "
        "where the copy that was read did not show it (see the citation_unverified caveat).",
        minimum=1950,
        maximum=2070,
    ),
    "study_population": Field(
        "string",
        "The patients the figure is about, as the study describes them (for example 'chronic "
        "LBP', 'acute LBP (<2 weeks)', 'chronic mechanical neck pain'); LBP is low back pain.",
    ),
    "study_design": Field(
        "string",
        "How the study was done (randomised trial, meta-analysis of cohorts, consensus, "
        "guideline), as far as the copy that was read shows it.",
    ),
    "trial_arm": Field(
        "string",
        "The treatment group the figure describes, or for a comparison the group that is "
        "compared with `trial_comparator`. Empty for thresholds and statements without a group.",
    ),
    "trial_comparator": Field(
        "string",
        "The control group of a between-group figure (difference, ratio, effect size). A few "
        "single-group rows also name the trial's control here; `benchmark_value_kind` says "
        "whether the value is a comparison.",
    ),
    "outcome_measure": Field(
        "string",
        "What was measured, including the direction of a change ('decrease', 'improvement') and, "
        "for responder rates, the study's own responder definition.",
    ),
    "outcome_scale": Field(
        "string",
        "The scale or unit of `value` as the study reports it (for example 'VAS 0-100 mm', "
        "'% of patients', 'standard deviations', 'sessions'). Empty for statements without a "
        "number.",
    ),
    "outcome_timepoint": Field(
        "string",
        "When the outcome was measured, as the study states it (for example '6 months after "
        "randomisation', 'week 8 (end of treatment)'). Empty where the excerpt did not say.",
    ),
    "study_participants": Field(
        "integer",
        "Number of participants behind this row's figure (an arm's size, or the total of a "
        "pooled estimate), only where the source gave it for this row. Totals that do not "
        "belong to the row are in the note.",
        unit="persons",
        minimum=0,
    ),
    "benchmark_value_kind": Field(
        "string",
        "What kind of figure `value` is: a responder rate or proportion (percent of patients), "
        "a modelled responder rate translated from effect sizes, a within-group mean change "
        "(positive = better), a between-group mean difference, standardised mean difference "
        "(smd), risk difference, risk or hazard ratio, a pooled mean score, a median time to "
        "recovery, a percent reduction, a session or trial count, a threshold for a meaningful "
        "change or for recovery, or a guideline statement or qualitative conclusion (no value).",
    ),
    "benchmark_interval_kind": Field(
        "string",
        "What `value_low` and `value_high` are: 'ci95' a 95% confidence interval; 'range' a "
        "published range (across arms, or 'up to 10 sessions', which has only an upper end); "
        "'unlabelled' an interval printed beside the estimate that the source does not name. "
        "Empty where the row has no interval.",
    ),
    "benchmark_group": Field(
        "string",
        "The kind of evidence a row belongs to (chronic or acute low-back-pain trial, "
        "individual-patient-data meta-analysis, Cochrane or other review, natural course, "
        "uncontrolled routine-care study, outcome threshold, guideline), so a chart can pick "
        "rows that may be shown together.",
    ),
    "is_responder_definition_different": Field(
        "boolean",
        "True where the row's outcome or responder definition differs from Rugzicht's response "
        "(pain down by at least 30% and at least 2 points on 0-10; substantial: at least 50%). "
        "False only for thresholds that match one of those criteria.",
    ),
}

SOURCES = {
    "gerac_haake_2007": Source(
        title="Haake et al., GERAC trial of acupuncture for chronic low back pain, "
        "Arch Intern Med 2007;167(17):1892-1898 (PMID 17893311)",
        url="https://jamanetwork.com/journals/jamainternalmedicine/fullarticle/413107",
        producer="Haake et al. (GERAC)",
        licence="cited-facts",
    ),
    "gerac_endres_2007": Source(
        title="Endres et al., overview of the GERAC trials of acupuncture for chronic knee and "
        "back pain, Dtsch Arztebl 2007;104(3):A123-30 (copy on kipdf.com)",
        url="https://kipdf.com/acupuncture-for-the-treatment-of-chronic-knee-and-back-pain_"
        "5ae3e48d7f8b9abf728b4646.html",
        producer="Endres et al., Deutsches Ärzteblatt",
        licence="cited-facts",
    ),
    "art_brinkhaus_2006": Source(
        title="Brinkhaus et al., ART randomised trial of acupuncture for chronic low back pain, "
        "Arch Intern Med 2006;166(4):450-7 (PMID 16505266)",
        url="https://pubmed.ncbi.nlm.nih.gov/16505266/",
        producer="Brinkhaus et al. (ART)",
        licence="cited-facts",
    ),
    "arc_witt_2006": Source(
        title="Witt et al., ARC pragmatic randomised trial of acupuncture for chronic low back "
        "pain, Am J Epidemiol 2006;164(5):487-96 (abstract copy on metajournal.com)",
        url="https://metajournal.com/articles/1284734/"
        "pragmatic-randomized-trial-evaluating-clinical-economic-effectiveness",
        producer="Witt et al. (ARC)",
        licence="cited-facts",
    ),
    "witt_jsam_summary": Source(
        title="Witt, summary of the ARC and ART trials, Journal of the Japan Society of "
        "Acupuncture and Moxibustion",
        url="https://ssl.jsam.jp/onlineJournal/right.php?id=47",
        producer="Witt, Japan Society of Acupuncture and Moxibustion",
        licence="cited-facts",
    ),
    "cherkin_2009": Source(
        title="Cherkin et al., randomised trial of individualised, standardised and simulated "
        "acupuncture versus usual care for chronic low back pain, Arch Intern Med "
        "2009;169(9):858-66 (PMID 19433697)",
        url="https://pubmed.ncbi.nlm.nih.gov/19433697/",
        producer="Cherkin et al.",
        licence="cited-facts",
    ),
    "pach_2013": Source(
        title="Pach et al., randomised trial of standardised versus individualised acupuncture "
        "for chronic low back pain, Evid Based Complement Alternat Med 2013, ID 125937 "
        "(copy on moam.info)",
        url="https://moam.info/a-randomized-controlled-trial_5b7be83e097c47e1268b45d3.html",
        producer="Pach et al.",
        licence="cited-facts",
    ),
    "weidenhammer_routine_care": Source(
        title="Weidenhammer et al., acupuncture for chronic low back pain in routine care: a "
        "multicenter observational study (copy on docplayer.net; journal and year not seen)",
        url="http://docplayer.net/12359161-Acupuncture-is-a-widespread-form-of-complementary.html",
        producer="Weidenhammer et al.",
        licence="cited-facts",
    ),
    "vickers_2012": Source(
        title="Vickers et al., Acupuncture Trialists' Collaboration individual-patient-data "
        "meta-analysis of acupuncture for chronic pain, Arch Intern Med 2012",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC3658605",
        producer="Acupuncture Trialists' Collaboration (Vickers et al.)",
        licence="cited-facts",
    ),
    "vickers_linde_2014": Source(
        title="Vickers and Linde, clinical evidence synopsis on acupuncture for chronic pain, "
        "JAMA 2014;311(9):955-956",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC4036643",
        producer="Vickers and Linde",
        licence="cited-facts",
    ),
    "vickers_2018": Source(
        title="Vickers et al., update of the individual-patient-data meta-analysis of "
        "acupuncture for chronic pain, J Pain 2018;19(5):455-474 (PMID 29198932)",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC5927830",
        producer="Acupuncture Trialists' Collaboration (Vickers et al.)",
        licence="cited-facts",
    ),
    "cochrane_mu_2020": Source(
        title="Mu, Furlan et al., Cochrane review of acupuncture for chronic nonspecific low "
        "back pain, CD013814 (December 2020)",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC8095030",
        producer="Cochrane (Mu, Furlan et al.)",
        licence="cited-facts",
    ),
    "vickers_2018_table7": Source(
        title="Vickers et al. 2018, Table 7: differences in effect size (SD) between acupuncture "
        "and sham or no-acupuncture control groups, by type of control",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC5927830/table/T7",
        producer="Acupuncture Trialists' Collaboration (Vickers et al.)",
        licence="cited-facts",
    ),
    "cochrane_mu_2020_sof3": Source(
        title="Mu, Furlan et al., Cochrane CD013814 (2020), Summary of findings 3: acupuncture "
        "compared to usual care for chronic nonspecific low back pain",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC8095030/table/CD013814-tbl-0003",
        producer="Cochrane (Mu, Furlan et al.)",
        licence="cited-facts",
    ),
    "cochrane_mu_2020_cherkin_characteristics": Source(
        title="Mu, Furlan et al., Cochrane CD013814 (2020), characteristics of included studies: "
        "Cherkin 2009",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC8095030/table/CD013814-tblf-0008",
        producer="Cochrane (Mu, Furlan et al.), describing Cherkin et al. 2009",
        licence="cited-facts",
    ),
    "cochrane_furlan_2005": Source(
        title="Furlan et al., Cochrane review of acupuncture for low back pain (CD001351), "
        "Spine 2005;30(8):944-963 (copy on dokumen.tips)",
        url="https://dokumen.tips/documents/"
        "spine-volume-30-number-8-pp-944a963-2005-lippincott-articlesfurlan-acup.html",
        producer="Cochrane (Furlan et al.)",
        licence="cited-facts",
    ),
    "cochrane_trinh_2016": Source(
        title="Trinh et al., Cochrane review of acupuncture for chronic neck pain, "
        "CD004870.pub4 (2016; no longer the most recent version)",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC6734124",
        producer="Cochrane (Trinh et al.)",
        licence="cited-facts",
    ),
    "cuhk_trinh_synopsis": Source(
        title="CUHK evidence synopsis of Trinh et al. 2016, acupuncture and related therapies "
        "for neck pain",
        url="http://www.hkiim.cuhk.edu.hk/ceim/en/synopsis/detail/"
        "acupuncture-and-related-therapies/87",
        producer="Chinese University of Hong Kong (hkiim.cuhk.edu.hk)",
        licence="cited-facts",
    ),
    "acuback_skonnord_2020": Source(
        title="Skonnord et al., Acuback randomised trial of acupuncture for acute low back pain "
        "in Norwegian general practice, BMJ Open 2020;10(8):e034157 (PMID 32764081)",
        url="https://bmjopen.bmj.com/content/10/8/e034157",
        producer="Skonnord et al.",
        licence="cited-facts",
    ),
    "lin_2024": Source(
        title="Lin et al., meta-analysis of acupuncture versus oral medication for acute or "
        "subacute nonspecific low back pain, 2024;28(6):489-500 (PMID 38190024)",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC11156714/",
        producer="Lin et al.",
        licence="cited-facts",
    ),
    "chou_acp_review_2017": Source(
        title="Chou et al., systematic review of nonpharmacologic therapies for low back pain "
        "for the ACP guideline, Ann Intern Med (copy on scribd.com; year inferred)",
        url="https://www.scribd.com/document/494825159/Low-Back-Nonpharm",
        producer="Chou et al.",
        licence="cited-facts",
    ),
    "costa_2012": Source(
        title="da C Menezes Costa et al., meta-analysis of inception cohorts on the prognosis "
        "of acute and persistent low back pain, CMAJ 2012;184(11):E613-24 (PMID 22586331)",
        url="https://www.cmaj.ca/content/184/11/E613.full.txt",
        producer="da C Menezes Costa et al.",
        licence="cited-facts",
    ),
    "pengel_2003": Source(
        title="Pengel et al., systematic review of the prognosis of acute low back pain, "
        "BMJ 2003;327:323",
        url="http://bmj.bmjjournals.com/content/327/7410/323.full.txt",
        producer="Pengel et al.",
        licence="cited-facts",
    ),
    "itz_2013": Source(
        title="Itz et al., systematic review of the clinical course of non-specific low back "
        "pain in primary care, Eur J Pain 2013;17(1):5-15 (PMID 22641374)",
        url="https://pubmed.ncbi.nlm.nih.gov/22641374/",
        producer="Itz et al.",
        licence="cited-facts",
    ),
    "sydney_inception_cohort": Source(
        title="Primary-care inception cohort of acute low back pain in Sydney (PMC2483884; "
        "authors and journal not seen)",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC2483884",
        producer="Unverified (commonly cited as Henschke et al., BMJ 2008)",
        licence="cited-facts",
    ),
    "ostelo_2008": Source(
        title="Ostelo et al., consensus on minimal important change for pain and functional "
        "status in low back pain (abstract copy on paperexplained.cn; journal and year "
        "unverified)",
        url="https://paperexplained.cn/articles/paper/detail/"
        "c63b17f341638e994cd27cc6d09b4f05e220d5cc",
        producer="Ostelo et al.",
        licence="cited-facts",
    ),
    "farrar_2001": Source(
        title="Farrar et al., pooled analysis of 10 trials relating changes on a 0-10 pain "
        "scale to patients' global impression of change, Pain 2001;94(2):149-58 "
        "(PMID 11690728)",
        url="https://pubmed.ncbi.nlm.nih.gov/11690728/",
        producer="Farrar et al.",
        licence="cited-facts",
    ),
    "dworkin_immpact_2008": Source(
        title="Dworkin et al., IMMPACT consensus recommendations on clinically important "
        "changes in chronic pain trials, J Pain 2008;9(2):105-121",
        url="https://doi.org/10.1016/j.jpain.2007.09.005",
        producer="IMMPACT (Dworkin et al.)",
        licence="cited-facts",
    ),
    "kamper_2010": Source(
        title="Kamper et al., cut-offs for recovery on pain and disability scores in low back "
        "pain, Eur Spine J 2010;19(9):1495-1501",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC2989296",
        producer="Kamper et al.",
        licence="cited-facts",
    ),
    "nice_ng59": Source(
        title="NICE NG59, guideline on low back pain with or without sciatica in adults aged 16 "
        "and over (2016, updated 2020); read via NICE's press release on the draft guidance",
        url="http://www.nice.org.uk/news/press-and-media/"
        "exercise-not-acupuncture-for-people-with-low-back-pain-says-nice-in-draft-guidance",
        producer="National Institute for Health and Care Excellence (NICE)",
        licence="cited-facts",
    ),
    "nice_cg88": Source(
        title="NICE CG88, low back pain: key priorities for implementation (2009, superseded "
        "by NG59)",
        url="http://publications.nice.org.uk/low-back-pain-cg88/key-priorities-for-implementation",
        producer="National Institute for Health and Care Excellence (NICE)",
        licence="cited-facts",
    ),
    "acp_2017": Source(
        title="Qaseem et al., American College of Physicians guideline on treatments for "
        "acute, subacute and chronic low back pain, Ann Intern Med 2017",
        url="https://www.acpjournals.org/doi/10.7326/M16-2367",
        producer="American College of Physicians (Qaseem et al.)",
        licence="cited-facts",
    ),
    "nhg_lbp_2017": Source(
        title="NHG-Standaard Aspecifieke lagerugpijn, tweede herziening (February 2017)",
        url="https://henw.org/artikelen/nhg-standaard-aspecifieke-lagerugpijn-tweede-herziening",
        producer="Nederlands Huisartsen Genootschap (NHG), Huisarts en Wetenschap",
        licence="cited-facts",
    ),
    "kngf_lbp_2021": Source(
        title="KNGF-richtlijn Lage rugpijn en lumbosacraal radiculair syndroom (2021), "
        "therapeutisch proces",
        url="https://kennisplatformfysiotherapie.nl/richtlijnen/"
        "lage-rugpijn-en-lumbosacraal-radiculair-syndroom/therapeutisch-proces",
        producer="Koninklijk Nederlands Genootschap voor Fysiotherapie (KNGF)",
        licence="cited-facts",
    ),
    "kngf_dry_needling_2023": Source(
        title="KNGF news item on the debate about dry needling (February 2023)",
        url="https://www.kngf.nl/actueel/2023/feb/kwakzalvende-schrijvers.html",
        producer="Koninklijk Nederlands Genootschap voor Fysiotherapie (KNGF)",
        licence="cited-facts",
    ),
}

_DESCRIPTION = (
    "Published figures to set beside a clinic's own outcomes: acupuncture trials in chronic low "
    "back pain (GERAC, ART, ARC, Cherkin, Pach), the Acuback trial in acute low back pain, "
    "individual-patient-data meta-analyses (Vickers 2012, 2014, 2018), Cochrane and other "
    "reviews (Mu 2020, Furlan 2005, Trinh 2016 for neck pain, Lin 2024, Chou 2017), the natural "
    "course of low back pain without or regardless of treatment (Costa 2012, Pengel 2003, Itz "
    "2013, a Sydney inception cohort, KNGF), thresholds for a meaningful change or recovery "
    "(Ostelo, Farrar, IMMPACT, Kamper), session numbers, and guideline statements (NICE NG59 "
    "and CG88, ACP 2017, NHG 2017, KNGF). One row per published figure, copied as published "
    "with its URL; nothing was recomputed, so percentage drops of the natural-course scores are "
    "not here and a chart that shows them must compute and label them as derived. "
    "Trial responder rates are not comparable one to one with Rugzicht's response (pain down by "
    "at least 30% and at least 2 points on 0-10): GERAC counted a 33% gain on three pain items "
    "or a 12% gain in function, and treated unblinded patients or users of non-permitted "
    "therapies as non-responders, which can affect the arms differently (27.4% for conventional "
    "care); Cherkin's threshold was not visible; Vickers and Linde's rates are translated from "
    "effect sizes over four pain conditions, not counted. `is_responder_definition_different` "
    "marks this per row. "
    "Intervals: `benchmark_interval_kind` is ci95 wherever the source labels the interval a 95% "
    "confidence interval, in the abstract's text or in the table's column header ('(95% CI)' in "
    "Vickers 2018 Table 7 and the Cochrane 2020 summary of findings); the row's note says where "
    "this was checked. Only the Sydney cohort's median time to pain recovery (52 to 63 days) is "
    "unlabelled: its abstract names only the first interval of that sentence a 95% confidence "
    "interval. "
    "Contradictions kept in view: Costa 2012's acute-cohort pain is 52, 23, 12 and 6 at "
    "baseline, 6, 26 and 52 weeks in the CMAJ abstract (used here) but 69, 28, 12 and 4 in an "
    "InfoPOEMs summary; ART reports 298 patients but the Cochrane table 284 analysed of 301 "
    "randomised, and Cherkin 638 randomised against 583 of 641; Vickers 2012's sham effect is "
    "after excluding outlying trials, and Vickers 2018 shows the effect depends on the sham "
    "(0.17 SD against penetrating, 0.48 against non-penetrating sham); Mu 2020 calls the "
    "10.26-point advantage over usual care not clinically relevant while Vickers calls the "
    "effects clinically relevant (individual thresholds such as Ostelo's 15 of 100 are not "
    "between-group differences); NICE recommended up to 10 sessions in 2009 and no acupuncture "
    "from 2016, while ACP 2017 lists it and Germany funds it after GERAC although verum and sham "
    "did about equally well; after a year Itz finds 65% still in some pain, the Sydney cohort "
    "72% fully recovered and Costa a mean of 6 of 100. "
    "Not found: the Cochrane 2020 numbers against sham and against no treatment (those rows are "
    "empty on purpose), any pooled number from Furlan 2005, condition-specific values of "
    "Vickers 2018, GERAC's arm-level pain scores and 12-month data, numeric results of the "
    "acute-pain reviews by Lee 2013 and Su 2021, an explicit NHG or KNGF-2021 recommendation on "
    "acupuncture, and any source on how many sessions acute patients need: no trial fixed five "
    "sessions for acute low back pain. The unit of `value` is in `outcome_scale`."
)

RESOURCES = [
    Resource(
        name="outcome_benchmarks",
        title="Treatment-outcome benchmarks: acupuncture trials, reviews and the natural course "
        "of back pain",
        title_nl="Vergelijkingscijfers voor behandeluitkomsten: acupunctuuronderzoek, reviews en "
        "het natuurlijk beloop van rugpijn",
        description=_DESCRIPTION,
        fields=(
            "figure_id",
            "study",
            "publication_year",
            "study_population",
            "study_design",
            "trial_arm",
            "trial_comparator",
            "outcome_measure",
            "outcome_scale",
            "outcome_timepoint",
            "study_participants",
            "benchmark_value_kind",
            "value",
            "value_low",
            "value_high",
            "benchmark_interval_kind",
            "value_qualifier",
            "value_as_published",
            "benchmark_group",
            "is_responder_definition_different",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=tuple(SOURCES),
        licences=("cited-facts",),
        caveats=(
            "trial_definition_differs",
            "mirror_source",
            "secondary_source",
            "citation_unverified",
            "not_specific_to_back",
            "superseded",
            "truncated_source",
            "verbal_quantity",
        ),
        overrides={
            "study": {"required": True},
            "study_population": {"required": True},
            "study_design": {"required": True},
            "outcome_measure": {"required": True},
            "benchmark_value_kind": {"enum": BENCHMARK_VALUE_KINDS, "required": True},
            "benchmark_interval_kind": {"enum": BENCHMARK_INTERVAL_KINDS},
            "benchmark_group": {"enum": BENCHMARK_GROUPS, "required": True},
            "is_responder_definition_different": {"required": True},
        },
    ),
]
