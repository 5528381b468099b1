"""Care use in the covid-19 period, workers' musculoskeletal complaints, home-working studies and
the costs of neck and back care: five tables of single published figures."""

from analysis.metadata.fields import COMMON_FIELDS
from analysis.metadata.model import Field, Resource, Source

_SIGNED_VALUE = {
    "description": COMMON_FIELDS["value"].description
    + " Changes are signed: a fall is negative and a rise positive, whatever wording the "
    "source used ('11 procent lager' is -11)."
}

GP_MEASURES = (
    "practice_contacts_change_pct",
    "gp_contacts_change_pct",
    "diagnoses_recorded_change_pct",
    "cancer_consultations_change_pct",
    "heart_disease_consultations_change_pct",
    "msk_consultations_change_pct",
    "knee_hip_consultations_change_pct",
    "patients_with_contact_share_pct",
    "patients_with_contact_change_pct",
    "contacts_per_patient",
    "contacts_per_patient_change_pct",
    "specialist_referrals_per_1000",
    "msk_consultations_share_pct",
    "consultations_per_year_million",
)

CARE_COVERAGES = ("national", "regional", "single_database")

PHYSIO_MEASURES = (
    "consultations_change_pct",
    "low_back_neck_consultations_change_pct",
    "consultations_share_of_baseline_pct",
    "low_back_neck_consultations_share_of_baseline_pct",
    "physio_contact_share_pct",
    "physio_contacts_per_person",
    "physio_contacts_per_user",
    "treatments_per_patient",
    "cervicothoracic_disorder_patients_share_pct",
    "neck_back_physio_persons_million",
    "neck_shoulder_patients_change_pct",
    "neck_shoulder_patients_persons",
    "registering_practices_average_count",
    "recurrent_complaint_episodes_share_pct",
    "full_recovery_expected_episodes_share_pct",
    "onset_to_first_visit_over_3_months_share_pct",
    "lumbar_disorder_patients_share_pct",
)

MSK_WORKER_MEASURES = (
    "msk_complaints_share_pct",
    "msk_share_of_employees_with_complaints_pct",
    "back_complaints_share_pct",
    "arm_neck_shoulder_complaints_share_pct",
    "lower_limb_complaints_share_pct",
    "complaints_share_pct",
    "physically_demanding_work_share_pct",
    "force_exertion_share_pct",
    "repetitive_movements_share_pct",
    "awkward_posture_share_pct",
    "vibration_exposure_share_pct",
    "screen_work_6h_plus_share_pct",
    "screen_work_hours_per_day",
    "sitting_6h_plus_share_pct",
    "regular_breaks_share_pct",
    "home_desk_good_height_share_pct",
    "home_adjustable_chair_share_pct",
    "msk_absence_days_share_pct",
    "physical_load_absence_days_share_pct",
    "arm_neck_shoulder_absence_days_share_pct",
    "msk_occupational_disease_share_pct",
    "new_arm_neck_shoulder_occupational_disease_persons",
    "msk_absence_wage_costs_eur_billion",
    "neck_shoulder_condition_share_pct",
    "back_condition_share_pct",
    "pain_past_4_weeks_share_pct",
    "much_or_very_much_pain_share_pct",
    "pain_hindering_work_share_pct",
)

STUDY_MEASURES = ("odds_ratio", "relative_chance_times", "share_pct", "change_pct")

STUDY_ADJUSTMENTS = ("adjusted", "unadjusted", "not stated")

COST_MEASURES = ("eur_million", "eur_billion", "share_pct")

COST_DEFINITIONS = (
    "low_back_and_neck_pain_2007",
    "vzinfo_neck_back_costs_2011",
    "vzinfo_neck_back_costs_2017",
    "news_back_neck_medical_costs_2019",
)

FIELDS = {
    "care_coverage": Field(
        "string",
        "Whose care the figure covers: national (the whole Netherlands, or Nivel's nationally "
        "spread sample of practices), regional (one region's GP database), or single_database "
        "(one GP database that is not presented as national).",
        enum=CARE_COVERAGES,
    ),
    "compared_with": Field(
        "string",
        "What a change, or a share of an earlier level, is measured against, in the source's "
        "terms (for example 'same period 2019'). A fall is negative. Empty when the row is a "
        "level rather than a comparison, or the source does not name the baseline (the note says).",
    ),
    "msk_study": Field(
        "string",
        "The study, survey or organisation behind the figure, with authors and year where "
        "known (for example 'Bosma et al. 2023, RIVM').",
    ),
    "msk_study_population": Field(
        "string",
        "Who was studied and how many, as the source describes them.",
    ),
    "msk_study_exposure": Field(
        "string",
        "The home-working situation the figure is about (for example working only from home, "
        "hybrid working).",
    ),
    "msk_study_reference": Field(
        "string",
        "The comparison group of a ratio (for example 'location workers'), or the earlier "
        "situation a change is against. Empty for plain shares.",
    ),
    "msk_study_outcome": Field(
        "string",
        "The complaint or other result the figure measures, as the source words it (for example "
        "'lower back pain').",
    ),
    "msk_study_adjustment": Field(
        "string",
        "Whether the source says the ratio was adjusted for other factors: adjusted, "
        "unadjusted, or 'not stated' when the stored text does not say.",
        enum=STUDY_ADJUSTMENTS,
    ),
    "cost_breakdown": Field(
        "string",
        "The part of the costs the row describes ('total', 'hospital care', 'men' ...), as the "
        "source breaks them down.",
    ),
    "cost_share_base": Field(
        "string",
        "For share_pct rows, the total the share is taken of (for example 'total Dutch health "
        "care costs'). Empty for amounts in euros.",
    ),
}

SOURCES = {
    # -- GP contacts in the covid period
    "skipr_first_wave_gp": Source(
        title="Mensen met urgente klachten meden huisarts tijdens eerste coronagolf",
        url="https://www.skipr.nl/nieuws/mensen-met-urgente-klachten-meden-huisarts-tijdens-"
        "eerste-coronagolf/",
        producer="Skipr, reporting a Nivel/RIVM study",
        licence="cited-facts",
    ),
    "skipr_gp_care_2020": Source(
        title="Afname zorggebruik in huisartsenpraktijk in 2020",
        url="https://www.skipr.nl/nieuws/afname-zorggebruik-in-huisartsenpraktijk-in-2020/",
        producer="Skipr, reporting Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
    ),
    "nationalezorggids_gp_care_2020": Source(
        title="In 2020 minder bezoeken aan de huisarts",
        url="https://www.nationalezorggids.nl/sections/ziekenhuizen/articles/61893-in-2020-minder-"
        "bezoeken-aan-de-huisarts?related_news_list_page=4",
        producer="Nationale Zorggids, reporting Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
    ),
    "vzinfo_primary_care_use": Source(
        title="Eerstelijnszorg: gebruik eerstelijnszorg",
        url="https://www.volksgezondheidenzorg.info/onderwerp/eerstelijnszorg/cijfers-context/"
        "gebruik-eerstelijnszorg",
        producer="RIVM (VZinfo), data Nivel Zorgregistraties eerste lijn",
        licence="RIVM-attribution",
    ),
    "nivel_gp_care_volume": Source(
        title="Cijfers huisartsen: omvang zorggebruik",
        url="https://www.nivel.nl/nl/nivel-zorgregistraties-eerste-lijn/cijfers-zorg-huisarts-"
        "huisartsenpost-paramedici/cijfers-zorg-huisartsen/omvang-zorggebruik",
        producer="Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
    ),
    "velek_2023_oa_consultations": Source(
        title="Changes to consultations and diagnosis of osteoarthritis in primary care during "
        "the COVID-19 pandemic (Velek et al., Osteoarthritis and Cartilage 2023;31(6):829-838), "
        "abstract",
        url="https://lup.lub.lu.se/search/publication/817a8f22-411b-446b-92d9-73c4f2b6f45b",
        producer="Erasmus MC and Lund University authors; abstract as held in Lund University's "
        "publication repository",
        licence="cited-facts",
    ),
    "artrosegezond_gp_visits": Source(
        title="Afname van huisartsbezoeken voor knie- en heupklachten tijdens covid-19-pandemie",
        url="https://artrosegezond.nl/afname-van-huisartsbezoeken-voor-knie-en-heupklachten-"
        "tijdens-covid-19-pandemie/",
        producer="ArtroseGezond, reporting an Erasmus MC study (Rijnmond Gezond database)",
        licence="cited-facts",
    ),
    "ipci_msk_preprint": Source(
        title="Preprint on musculoskeletal disorders in Dutch general practice, IPCI database "
        "2017-2023 (Research Square rs-8000597, listed on Sciety)",
        url="https://sciety.org/articles/activity/10.21203/rs.3.rs-8000597/v1",
        producer="Research Square preprint (authors not recorded in the extract)",
        licence="cited-facts",
    ),
    # -- physiotherapy
    "nivel_physio_covid_2020": Source(
        title="Gevolgen corona voor de eerstelijns oefen- en fysiotherapiepraktijk",
        url="https://www.nivel.nl/nl/publicatie/gevolgen-corona-voor-de-eerstelijns-oefen-en-"
        "fysiotherapiepraktijk-gebruik-van",
        producer="Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
    ),
    "nivel_physio_conditions_2020": Source(
        title="Gevolgen coronapandemie op gebruik fysiotherapiezorg voor verschillende "
        "aandoeningen. Week 2-26, 6 januari - 28 juni 2020 (Jorna et al., Nivel 2020)",
        url="https://www.nivel.nl/nl/publicatie/gevolgen-coronapandemie-op-gebruik-"
        "fysiotherapiezorg-voor-verschillende-aandoeningen",
        producer="Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
    ),
    "blikopnieuws_physio_2020": Source(
        title="Aantal consulten fysiotherapie blijft na lockdown een kwart lager dan daarvoor "
        "(Blik op Nieuws, December 2020)",
        url="https://www.blikopnieuws.nl/gezondheid/285269/aantal-consulten-fysiotherapie-blijft-"
        "na-lockdown-een-kwart-lager-dan-daarvoor",
        producer="Blik op Nieuws, reporting Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
    ),
    "cbs_83005ned_physio": Source(
        title="Gezondheid en zorggebruik; persoonskenmerken (StatLine view dl=55189: contact "
        "with a physiotherapist or exercise therapist, 2019 and 2020)",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/83005NED?dl=55189",
        producer="CBS (Gezondheidsenquête)",
        licence="CC-BY-4.0",
        table_id="83005NED",
    ),
    "vzinfo_physiotherapy_use": Source(
        title="Eerstelijnszorg: gebruik fysiotherapie",
        url="https://www.vzinfo.nl/eerstelijnszorg/gebruik/fysiotherapie",
        producer="RIVM (VZinfo), data CBS Gezondheidsenquête and Nivel",
        licence="RIVM-attribution",
    ),
    "nivel_physio_health_problems": Source(
        title="Nivel Zorgregistraties eerste lijn: gezondheidsproblemen bij de fysiotherapeut",
        url="https://www.nivel.nl/nl/nivel-zorgregistraties-eerste-lijn/gezondheidsproblemen-1",
        producer="Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
    ),
    "kngf_ldf_neck_shoulder_2020": Source(
        title="Analyse Landelijke Database Fysiotherapie: geen grote toename nek- en "
        "schouderklachten (press release)",
        url="https://www.perssupport.nl/persbericht/e7b0106d-0b59-4b3e-a1d5-2ebde872f606/analyse-"
        "landelijke-database-fysiotherapie-geen-grote-toename-nek-en-schouderklachten",
        producer="KNGF and Mediquest (Landelijke Database Fysiotherapie)",
        producer_nl="KNGF en Mediquest (Landelijke Database Fysiotherapie)",
        licence="cited-facts",
        accessed="2026-12-06",
    ),
    "nivel_physio_health_problems_2021": Source(
        title="Nivel Zorgregistraties eerste lijn: cijfers zorgverlening fysiotherapeuten, "
        "gezondheidsproblemen",
        url="https://www.nivel.nl/nl/nivel-zorgregistraties-eerste-lijn/cijfers-over-"
        "zorgverlening/cijfers-zorgverlening-fysiotherapeuten/gezondheidsproblemen",
        producer="Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
        accessed="2026-12-06",
    ),
    "nivel_exercise_health_problems": Source(
        title="Nivel Zorgregistraties eerste lijn: gezondheidsproblemen bij de oefentherapeut",
        url="https://www.nivel.nl/nl/nivel-zorgregistraties-eerste-lijn/gezondheidsproblemen-2",
        producer="Nivel Zorgregistraties eerste lijn",
        licence="cited-facts",
        accessed="2026-12-06",
    ),
    "gzcooginal_physio_figures": Source(
        title="Jaarcijfers fysiotherapie",
        url="https://www.gzcooginal.nl/jaarcijfers-fysiotherapie/",
        producer="A physiotherapy practice website, summarising Nivel's annual figures",
        licence="cited-facts",
    ),
    "nos_2019_back_pain": Source(
        title="Rugpijn als verdienmodel: miljoenen patiënten doelwit op social media (NOS, "
        "18 August 2019)",
        url="https://nos.nl/l/2297967",
        producer="NOS; read via the GitHub copy wijnandb/leestmeer",
        licence="cited-facts",
    ),
    # -- workers' musculoskeletal complaints
    "tno_factsheet_physical_load_2021": Source(
        title="Factsheet fysieke arbeidsbelasting 2021",
        url="https://fysiekebelasting.tno.nl/nl/actualities/factsheet-fysieke-arbeidsbelasting-"
        "2021/",
        producer="TNO, from the Nationale Enquête Arbeidsomstandigheden (NEA)",
        licence="cited-facts",
    ),
    "ergonomiesite_tno_2021": Source(
        title="Factsheet fysieke belasting 2021 (summary)",
        url="https://www.ergonomiesite.be/factsheet-fysieke-belasting-2021/",
        producer="ergonomiesite.be, summarising TNO's factsheet",
        licence="cited-facts",
    ),
    "tno_facts_physical_load_screen_2022": Source(
        title="Facts fysieke arbeidsbelasting en beeldschermwerk 2022",
        url="https://fysiekebelasting.tno.nl/nl/actualities/facts-fysieke-arbeidsbelasting-en-"
        "beeldschermwerk-2022/",
        producer="TNO, from the NEA",
        licence="cited-facts",
    ),
    "rendement_tno_2023": Source(
        title="Meer werknemers last van fysieke klachten (Rendement, April 2024)",
        url="https://www.rendement.nl/fysieke-belasting/nieuws/meer-werknemers-last-van-fysieke-"
        "klachten.html",
        producer="Rendement, reporting TNO's factsheet fysieke arbeidsbelasting 2023",
        licence="cited-facts",
    ),
    "arboportaal_tno_screen_work_2021": Source(
        title="43% beeldschermwerkers hebben klachten aan armen, nek en schouders gehad "
        "(Arboportaal, 14 June 2021)",
        url="https://www.arboportaal.nl/actueel/nieuws/2021/06/14/43-beeldschermwerkers-hebben-"
        "klachten-aan-armen-nek-en-schouders-gehad",
        producer="Arboportaal (Ministry of Social Affairs and Employment), reporting TNO's "
        "screen-work factsheet 2021",
        licence="cited-facts",
    ),
    "vzinfo_physical_load": Source(
        title="Arbeidsomstandigheden: fysieke belasting",
        url="https://www.vzinfo.nl/arbeidsomstandigheden/fysieke-belasting",
        producer="RIVM (VZinfo), data NEA (TNO/CBS)",
        licence="RIVM-attribution",
    ),
    "nd_2020_screen_time": Source(
        title="Beeldschermtijd werknemers stijgt (Nederlands Dagblad, April 2020)",
        url="https://www.nd.nl/nieuws/economie/966485/beeldschermtijd-werknemers-stijgt",
        producer="Nederlands Dagblad, reporting CBS and TNO",
        licence="cited-facts",
    ),
    "cbs_84435ned": Source(
        title="Fysieke arbeidsbelasting werknemers; beroep (StatLine view reached through a "
        "search for 'leraren')",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/84435NED?q=leraren",
        producer="CBS and TNO (NEA)",
        licence="CC-BY-4.0",
        table_id="84435NED",
    ),
    "cbs_85571ned": Source(
        title="Fysieke arbeidsbelasting werknemers; herkomst, arbeidsbelemmeringen",
        url="https://cbs.nl/nl-nl/cijfers/detail/85571NED",
        producer="CBS and TNO (NEA)",
        licence="CC-BY-4.0",
        table_id="85571NED",
    ),
    "cbs_83384ned": Source(
        title="Gezondheid en zorggebruik; geslacht, leeftijd, persoonskenmerken (StatLine view "
        "reached through a search for 'land van herkomst')",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/83384NED?q=land%20van%20herkomst",
        producer="CBS (Gezondheidsenquête, two survey years pooled)",
        licence="CC-BY-4.0",
        table_id="83384NED",
    ),
    "cbs_83005ned_pain": Source(
        title="Gezondheid en zorggebruik; persoonskenmerken (StatLine view dl=6BB6B: pain, 2021)",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/83005NED?dl=6BB6B",
        producer="CBS (Gezondheidsenquête)",
        licence="CC-BY-4.0",
        table_id="83005NED",
    ),
    "dutchdailynews_cbs_health": Source(
        title="Most Dutch people feel healthy (Dutch Daily News, date not recorded)",
        url="https://dutchdailynews.com/most-dutch-people-feel-healthy/",
        producer="Dutch Daily News, citing CBS",
        licence="cited-facts",
    ),
    # -- home working and musculoskeletal pain
    "bosma_2023_wfh_msk": Source(
        title="The longitudinal association between working from home and musculoskeletal pain "
        "during the COVID-19 pandemic (Bosma, Loef, van Oostrom, Proper; Int Arch Occup Environ "
        "Health 2023;96:521-535; doi 10.1007/s00420-022-01946-5)",
        url="https://lifelines-biobank.com/researchers/explore/publications/the-longitudinal-"
        "association-between-working-from-home-and-musculoskeletal-pain-during-the-covid-19-"
        "pandemic",
        producer="RIVM researchers with the Lifelines Corona Research Initiative; abstract on "
        "the Lifelines publications page",
        licence="cited-facts",
    ),
    "anp_2023_rivm_home_workers": Source(
        title="RIVM: deel thuiswerkers zit te veel en heeft fysieke klachten (nieuws.nl / ANP, "
        "9 February 2023)",
        url="https://nieuws.nl/algemeen/20230209/rivm-deel-thuiswerkers-zit-te-veel-en-heeft-"
        "fysieke-klachten/",
        producer="ANP, reporting RIVM research",
        licence="cited-facts",
    ),
    "linda_cnv_poll": Source(
        title="Thuiswerken in coronacrisis: vaker fysieke klachten (Linda)",
        url="https://www.linda.nl/nieuws/thuiswerken-coronacrisis-vaker-fysieke-klachten",
        producer="Linda, reporting a CNV union poll",
        licence="cited-facts",
    ),
    "nd_2020_kim_home_working": Source(
        title="Nederlander wil ook na coronacrisis blijven thuiswerken (Nederlands Dagblad, "
        "July 2020)",
        url="https://www.nd.nl/nieuws/varia/983667/-nederlander-wil-ook-na-coronacrisis-blijven-"
        "thuiswerken-",
        producer="Nederlands Dagblad, reporting KiM",
        licence="cited-facts",
    ),
    "nu_2021_kim_home_workers": Source(
        title="Aantal thuiswerkers kruipt richting het niveau van de eerste golf (NU.nl)",
        url="https://www.nu.nl/economie/6113729/aantal-thuiswerkers-kruipt-richting-het-niveau-"
        "van-de-eerste-golf.html",
        producer="NU.nl, reporting the KiM mobility panel",
        licence="cited-facts",
    ),
    "linda_tu_survey": Source(
        title="Onderzoek: thuiswerken en gezondheidsklachten (Linda, date not recorded)",
        url="https://linda.nl/nieuws/binnenland/onderzoek-thuiswerken-gezondheidsklachten",
        producer="Linda, reporting a TU Delft / TU Eindhoven survey",
        licence="cited-facts",
    ),
    "nu_2020_fysioholland": Source(
        title="Fysiotherapeuten zien nieuwe opleving in klachten door thuiswerken (NU.nl, 2020)",
        url="https://www.nu.nl/economie/6097355/fysiotherapeuten-zien-nieuwe-opleving-in-"
        "klachten-door-thuiswerken.html",
        producer="NU.nl, quoting the FysioHolland practice chain",
        licence="cited-facts",
    ),
    # -- care costs
    "vzinfo_neck_back_causes": Source(
        title="Nek- en rugklachten: oorzaken en gevolgen (older snapshot of the VZinfo topic)",
        url="https://www.volksgezondheidenzorg.info/onderwerp/nek-en-rugklachten/cijfers-context/"
        "oorzaken-en-gevolgen",
        producer="RIVM (VZinfo)",
        licence="RIVM-attribution",
    ),
    "kngf_low_back_pain_2021_impact": Source(
        title="KNGF-richtlijn Lage rugpijn 2021: maatschappelijke impact",
        url="https://www.kngf.nl/kennisplatform/richtlijnen/lage-rugpijn-2021/algemene-informatie/"
        "maatschappelijke-impact",
        producer="KNGF (Royal Dutch Society for Physical Therapy), citing VZinfo / RIVM",
        licence="cited-facts",
    ),
    "headliner_2025_parool": Source(
        title="Hoe fysiotherapie bij rug- en nekpijn nog beter kan werken (Headliner summary of "
        "Het Parool, 16 October 2025)",
        url="https://www.headliner.nl/item/hoe-fysiotherapie-bij-rug-en-nekpijn-nog-beter-kan-"
        "werken-de-een-heeft-baat-bij-kracht-of-parool-280664",
        producer="Headliner, summarising Het Parool; the underlying RIVM source is not named",
        licence="cited-facts",
    ),
    "chiropractie_job_info": Source(
        title="Centrum Job: contact en info",
        url="https://chiropractie-job.nl/contact-en-info/centrum-job/",
        producer="A chiropractic practice website, citing CBS and RIVM",
        licence="cited-facts",
    ),
    "bracewebwinkel_neck": Source(
        title="Nekbrace: nekklachten",
        url="https://www.bracewebwinkel.nl/51-nekbrace-nekklachten",
        producer="A brace retailer's website, with text apparently taken from the KNGF neck pain "
        "guideline",
        licence="cited-facts",
    ),
}

_SIGN_RULE = (
    "Changes are signed so that a fall is negative, whatever the wording of the source, and an "
    "interval around a fall is flipped with it."
)

_WORDS_RULE = (
    "Where a source gave only words ('driekwart', 'twee derde'), `value` is empty and the words "
    "are in `value_as_published`; verbal qualifiers such as 'about' are in `value_qualifier`. "
    "`value_as_published` is empty where the research extract did not record the printed text."
)

RESOURCES = [
    Resource(
        name="gp_contacts_covid",
        title="How GP care changed in the covid-19 period, 2020-2021",
        title_nl="Veranderingen in de huisartsenzorg tijdens de coronaperiode, 2020-2021",
        description=(
            "One published figure per row on how much care general practices gave during the "
            "covid-19 pandemic, nationally (Nivel Zorgregistraties eerste lijn, reported by Nivel, "
            "VZinfo and news sites) and in one regional database (patients aged 45 and over in "
            "the Rijnmond area, Velek et al. 2023). Nationally, contacts with the GP practice "
            "were 11% lower in March-June 2020 than in the same months of 2019 and 2.7% lower "
            "over all of 2020; contacts with the GP alone fell 3.5% and recorded diagnoses 3.6%, "
            "with musculoskeletal diagnoses among the largest falls (no national percentage for "
            "them was found). In the regional database, consultations for any musculoskeletal "
            "complaint fell 46.7% at the peak of the first wave and 9.3% at the peak of the "
            "second, against the 2015-2019 average. No figure is specific to neck or back "
            "complaints: read them as the backdrop to the dip in GP-registered neck and back "
            "complaints in 2020 (care avoidance, not necessarily fewer back problems). "
            f"{_SIGN_RULE} The regional '46.7% reduction' is stored as -46.7 with its interval "
            "-49.3 to -43.9. 'Practice contacts' (the whole practice, including the practice "
            "nurse) and 'GP contacts' (the GP only) are different measures and are kept apart. "
            "When two sites published the same figure, both rows are kept as separate sources "
            "and the notes say so (the 2020 fall of 2.7% on Skipr and Nationale Zorggids; the "
            "regional study on Lund University's repository, 46.7%, and on ArtroseGezond, rounded "
            "to 47%); the same figure copied twice from the same page is one row. Nivel's "
            "'2,1% lager dan in 2019' for the share of patients with a contact does not say "
            "whether it is relative or in percentage points. The IPCI figures are a range over "
            "2017-2023 from a preprint, stored in value_low/value_high with `value` empty. "
            "Missing: a national change for musculoskeletal or back complaints, and monthly "
            f"series. {_WORDS_RULE}"
        ),
        fields=(
            "figure_id",
            "period",
            "period_start",
            "period_end",
            "group",
            "care_coverage",
            "measure",
            "value",
            "value_low",
            "value_high",
            "value_qualifier",
            "value_as_published",
            "compared_with",
            "source_type",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=(
            "skipr_first_wave_gp",
            "skipr_gp_care_2020",
            "nationalezorggids_gp_care_2020",
            "vzinfo_primary_care_use",
            "nivel_gp_care_volume",
            "velek_2023_oa_consultations",
            "artrosegezond_gp_visits",
            "ipci_msk_preprint",
        ),
        licences=("cited-facts", "RIVM-attribution"),
        caveats=(
            "covid_registration_dip",
            "not_specific_to_back",
            "regional",
            "secondary_source",
            "preprint",
            "verbal_quantity",
            "unverified_licence",
        ),
        overrides={
            "value": _SIGNED_VALUE,
            "measure": {"enum": GP_MEASURES},
            "group": {"required": True},
            "care_coverage": {"required": True},
        },
    ),
    Resource(
        name="physio_use",
        title="Use of physiotherapy and its fall in the covid-19 period",
        title_nl="Gebruik van fysiotherapie en de daling in de coronaperiode",
        description=(
            "Published figures on physiotherapy use. Covid period (Nivel practice registrations): "
            "consultations in physiotherapy and exercise-therapy practices fell 78% from mid-March "
            "2020; consultations for low back and neck complaints fell 90% during the measures, "
            "the largest fall of five conditions Nivel studied, and recovered to three quarters "
            "of the earlier level after care was scaled up again from week 18; months after the "
            "lockdown consultations per practice were still a quarter lower. Periods given in "
            "weeks are ISO weeks, which match the dates Nivel prints (week 11 is 9-15 March 2020). "
            "Self-reported contact with a physiotherapist or exercise therapist (CBS "
            "Gezondheidsenquête, StatLine 83005NED): 26.5% of people in 2019 and 25.7% in 2020, "
            "by sex and by age group up to 50-55 (the stored view showed no older age groups; "
            "some cells were '.' in StatLine, not published, and are absent); 25.4% in 2021 "
            "via VZinfo, a year in which the survey's data collection was disturbed by covid-19. "
            "CBS age groups are kept as labelled ('4-12 jaar', '12-16 jaar'): their end points "
            "overlap, so a group runs up to but not including its upper bound. Older headline "
            "counts of people seeing a physiotherapist for neck or back complaints disagree "
            "('at least 1.3 million', ED 2018; 'around one and a half million', NOS 2019) and give "
            "no year. Left out: the VZinfo hospital-stay headlines (4.4 and 5 days), which are "
            "not about physiotherapy and give no year or definition. National physiotherapy "
            "database (Landelijke Database Fysiotherapie, LDF; KNGF and Mediquest press release): "
            "a preliminary analysis of 'ruim 500.000' patients treated for neck and/or shoulder "
            "complaints in on average 1,800 practices found, for April to December 2020 against "
            "the same months of 2019, 'geen significante toename' (no significant increase) of "
            "such patients, published in words only; it is physiotherapy with direct access, "
            "neck and shoulder rather than back, and the release says it is no conclusive proof "
            "that there was no increase (caveat preliminary). Nivel headline figures: of new "
            "physiotherapy treatment episodes started in 2021, 16.4% were for a recurrent "
            "complaint and full recovery was expected in 66%, and almost a third of patients "
            "waited more than three months from onset to the first visit (all conditions); 8% of "
            "exercise-therapy patients in 2018 were treated for lumbar-spine disorders, the most "
            "common condition. "
            f"{_SIGN_RULE} {_WORDS_RULE}"
        ),
        fields=(
            "figure_id",
            "period",
            "period_start",
            "period_end",
            "group",
            "sex",
            "measure",
            "value",
            "value_qualifier",
            "value_as_published",
            "compared_with",
            "source_type",
            "cbs_table_id",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=(
            "nivel_physio_covid_2020",
            "nivel_physio_conditions_2020",
            "blikopnieuws_physio_2020",
            "cbs_83005ned_physio",
            "vzinfo_physiotherapy_use",
            "nivel_physio_health_problems",
            "gzcooginal_physio_figures",
            "news_2017_ed",
            "nos_2019_back_pain",
            "kngf_ldf_neck_shoulder_2020",
            "nivel_physio_health_problems_2021",
            "nivel_exercise_health_problems",
        ),
        licences=("cited-facts", "CC-BY-4.0", "RIVM-attribution"),
        caveats=(
            "preliminary",
            "self_reported",
            "not_specific_to_back",
            "secondary_source",
            "verbal_quantity",
            "year_uncertain",
            "mirror_source",
            "truncated_source",
            "sources_disagree",
            "unverified_licence",
        ),
        overrides={
            "value": _SIGNED_VALUE,
            "measure": {"enum": PHYSIO_MEASURES},
            "group": {"required": True},
        },
    ),
    Resource(
        name="msk_workers",
        title="Musculoskeletal complaints and physical workload of employees (NEA, TNO, CBS)",
        title_nl="Klachten aan het bewegingsapparaat en fysieke belasting van werknemers "
        "(NEA, TNO, CBS)",
        description=(
            "Shares of employees with musculoskeletal, back and arm/neck/shoulder complaints in "
            "the past 12 months, and their physical workload and screen work, from the "
            "Nationale Enquête Arbeidsomstandigheden (NEA, TNO and CBS): TNO factsheets (directly "
            "or as summarised by other sites), VZinfo and the StatLine tables 84435NED (2021, by "
            "occupational level) and 85571NED (2023, total). TNO's factsheets report the NEA of "
            "the year before their title year; where the survey year is not printed, `period` "
            "names the factsheet and the row carries year_uncertain. Denominators differ: 57% "
            "(factsheet 2021) and 60% (NEA 2022) are shares of all employees, 56% (factsheet "
            "2022) is the share among employees who had any complaint, and 43% is among screen "
            "workers; they are separate measures or groups and do not form one series. The NEA "
            "changed its data collection in 2022, so 2022 and later figures may not be "
            "comparable with 2021 and earlier (series_break). Screen-work shares are worded "
            "'6 hours or more' by some reports and 'more than 6 hours' by others for what looks "
            "like the same NEA question; the note keeps each wording. Also here, as clearly named "
            "measures with self_reported and different_population caveats: CBS health-survey "
            "shares of people (not only employees) with a neck or shoulder condition (83384NED, "
            "2020/2021 pooled, Dutch-background persons only, with 95% intervals), pain of any "
            "site in 2021 (83005NED, persons aged 12 and over) and an undated 9% for back and "
            "for neck or shoulder problems from a news site. Left out: StatLine exposures that "
            "are not physical load (talking loudly, dangerous work, substances, infections) and "
            "the 83005ENG rows on GP contact, whose stored copy showed only the lower bounds of "
            "95% intervals, not estimates (a lower bound also moves when the interval widens, so "
            "bounds alone cannot show a trend). Missing: NEA "
            "complaint shares by home-working status, and back-complaint shares after the "
            f"factsheet 2021. {_WORDS_RULE}"
        ),
        fields=(
            "figure_id",
            "period",
            "period_start",
            "period_end",
            "group",
            "sex",
            "measure",
            "value",
            "value_low",
            "value_high",
            "value_qualifier",
            "value_as_published",
            "source_type",
            "cbs_table_id",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=(
            "tno_factsheet_physical_load_2021",
            "ergonomiesite_tno_2021",
            "tno_facts_physical_load_screen_2022",
            "rendement_tno_2023",
            "arboportaal_tno_screen_work_2021",
            "vzinfo_physical_load",
            "nd_2020_screen_time",
            "cbs_84435ned",
            "cbs_85571ned",
            "cbs_83384ned",
            "cbs_83005ned_pain",
            "dutchdailynews_cbs_health",
        ),
        licences=("cited-facts", "CC-BY-4.0", "RIVM-attribution"),
        caveats=(
            "self_reported",
            "not_specific_to_back",
            "secondary_source",
            "year_uncertain",
            "series_break",
            "different_population",
            "verbal_quantity",
            "unverified_licence",
        ),
        overrides={
            "measure": {"enum": MSK_WORKER_MEASURES},
            "group": {"required": True},
        },
    ),
    Resource(
        name="msk_homeworking_studies",
        title="Studies linking home working and musculoskeletal pain",
        title_nl="Onderzoek naar thuiswerken en klachten aan het bewegingsapparaat",
        description=(
            "Results of Dutch studies and polls on home working and musculoskeletal complaints "
            "during the covid-19 pandemic, one figure per row. The strongest evidence is Bosma "
            "et al. (RIVM, 2023): in 40,702 workers of the Lifelines COVID-19 cohort, followed "
            "in 16 questionnaire rounds from March 2020 to February 2021 and analysed with "
            "logistic generalised estimating equations, people working from home had higher "
            "odds than location workers of pain in the lower back (odds ratio 1.05), the upper "
            "back (1.24) and the neck, shoulders and/or arms (1.18); hybrid workers had higher "
            "odds for the upper back (1.09) and neck, shoulders and/or arms (1.14). The abstract "
            "gives no hybrid-worker ratio for the lower back, and the stored text does not say "
            "which factors the ratios were adjusted for (msk_study_adjustment is 'not stated'). "
            "value_low and value_high hold the 95% confidence intervals of these five odds "
            "ratios, as the abstract prints them ('95% CI'). "
            "ANP rounded the results to '1.2 times the chance'. The other rows are shares from "
            "polls and panels with their own questions and samples (CNV union members, the KiM "
            "mobility panel, a TU Delft / TU Eindhoven survey) and a physiotherapy chain's "
            "statement; they are not comparable with each other. The CNV poll is described as "
            "more than 2,600 home workers (Linda) and about 2,500 members (NRC). Left out: KiM "
            "shares for work-life balance (36%) and psychological complaints (14%), which are "
            f"not musculoskeletal. {_SIGN_RULE} {_WORDS_RULE}"
        ),
        fields=(
            "figure_id",
            "period",
            "period_start",
            "period_end",
            "msk_study",
            "msk_study_population",
            "msk_study_exposure",
            "msk_study_reference",
            "msk_study_outcome",
            "msk_study_adjustment",
            "measure",
            "value",
            "value_low",
            "value_high",
            "value_qualifier",
            "value_as_published",
            "source_type",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=(
            "bosma_2023_wfh_msk",
            "anp_2023_rivm_home_workers",
            "linda_cnv_poll",
            "nd_2020_kim_home_working",
            "nu_2021_kim_home_workers",
            "linda_tu_survey",
            "nu_2020_fysioholland",
        ),
        licences=("cited-facts",),
        caveats=(
            "self_reported",
            "not_specific_to_back",
            "secondary_source",
            "year_uncertain",
            "verbal_quantity",
            "sources_disagree",
        ),
        overrides={
            "value": _SIGNED_VALUE,
            "measure": {"enum": STUDY_MEASURES},
            "msk_study": {"required": True},
            "msk_study_exposure": {"required": True},
            "msk_study_outcome": {"required": True},
            "msk_study_adjustment": {"required": True},
        },
    ),
    Resource(
        name="care_costs",
        title="Costs of care for neck and back complaints",
        title_nl="Zorgkosten van nek- en rugklachten",
        description=(
            "Published amounts and shares of the costs of care for neck and back complaints. "
            "The four years come from different publications with different definitions, kept "
            "apart by `definition` and never to be joined into a trend: "
            "low_back_and_neck_pain_2007 counts low back pain and neck pain only (EUR 401 million "
            "for men and EUR 554 million for women, 1.28% of health care costs; text on a "
            "retailer's site that appears to come from the KNGF neck pain guideline); "
            "vzinfo_neck_back_costs_2011 is the EUR 1.3 billion headline of an older VZinfo page, "
            "with a breakdown (38% hospital care, 29% primary care, 17% elderly care, 8% "
            "medicines and aids) from a chiropractic practice site that prints no year and is "
            "attached to 2011 only because it gives the same total; vzinfo_neck_back_costs_2017 "
            "is EUR 937 million (VZinfo, also in the KNGF low back pain guideline, which adds "
            "14% of musculoskeletal care costs, 1.07% of all health care costs, 62% hospital "
            "care, 12% primary care and 11% other providers, with the rest not itemised in the "
            "stored text); news_back_neck_medical_costs_2019 is EUR 905 million, known only "
            "second-hand from a news summary that does not name its RIVM source. The hospital "
            "share of 38% (2011) against 62% (2017) suggests the cost model changed, so the fall "
            "from EUR 1.3 billion to EUR 937 million is not a real fall in spending until RIVM's "
            "Kosten van Ziekten method notes say otherwise. Missing: costs after 2019 and costs "
            "by age, sex or region (other than the 2007 split by sex). Amounts are in the unit "
            f"published (million or billion euros), not converted. {_WORDS_RULE}"
        ),
        fields=(
            "figure_id",
            "year",
            "definition",
            "cost_breakdown",
            "cost_share_base",
            "measure",
            "value",
            "value_qualifier",
            "value_as_published",
            "source_type",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=(
            "vzinfo_2018",
            "vzinfo_neck_back_causes",
            "kngf_low_back_pain_2021_impact",
            "headliner_2025_parool",
            "chiropractie_job_info",
            "bracewebwinkel_neck",
        ),
        licences=("RIVM-attribution", "cited-facts"),
        caveats=(
            "series_break",
            "different_definition",
            "secondary_source",
            "year_uncertain",
            "verbal_quantity",
            "unverified_licence",
        ),
        overrides={
            "definition": {"enum": COST_DEFINITIONS},
            "measure": {"enum": COST_MEASURES},
            "cost_breakdown": {"required": True},
        },
    ),
]
