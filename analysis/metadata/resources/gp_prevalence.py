"""GP-registered neck and back complaints: the 2018 age-sex table, yearly totals, ICPC codes."""

from analysis.metadata.model import Field, Resource, Source
from analysis.vocabulary import AGE_GROUPS_18

GP_DEFINITIONS = (
    "vzinfo_gp_neck_back",
    "gp_neck_back_unspecified",
    "gp_back_pain_unspecified",
    "gp_low_back_only",
)

GP_MEASURES = (
    "persons",
    "persons_million",
    "rate_per_1000",
    "share_pct",
    "persons_chronic",
    "persons_change_vs_previous_year",
)

FIELDS = {
    "icpc_code": Field(
        "string",
        "ICPC-1 code of a diagnosis category (International Classification of Primary Care).",
        pattern=r"^[A-Z][0-9]{2}$",
    ),
    "label_nl": Field("string", "Dutch label of the category as VZinfo prints it."),
    "label_en": Field("string", "English translation of the label (ours)."),
    "exclusion": Field("string", "What the category excludes, as VZinfo states it."),
}

SOURCES = {
    "vzinfo_2018": Source(
        title="Nek- en rugklachten: cijfers en context, huidige situatie (2018 edition)",
        url="https://www.volksgezondheidenzorg.info/onderwerp/nek-en-rugklachten/cijfers-context/"
        "huidige-situatie",
        producer="RIVM (VZinfo), data Nivel Zorgregistraties eerste lijn",
        licence="RIVM-attribution",
    ),
    "vzinfo_2020": Source(
        title="Nek- en rugklachten: leeftijd en geslacht (2020 edition)",
        url="https://vzinfo.nl/nek-en-rugklachten/leeftijd-en-geslacht",
        producer="RIVM (VZinfo), data Nivel Zorgregistraties eerste lijn",
        licence="RIVM-attribution",
    ),
    "vzinfo_methods": Source(
        title="Huisartsenregistraties en schattingen morbiditeit",
        url="https://www.vzinfo.nl/bronnen-methoden-en-achtergronden/"
        "huisartsen-registraties-schattingen-morbiditeit",
        producer="RIVM (VZinfo)",
        licence="RIVM-attribution",
    ),
    "news_2017_ed": Source(
        title="Zeker twee miljoen mensen hebben last van hun rug of nek (ED, Nov 2018)",
        url="https://www.ed.nl/binnenland/zeker-twee-miljoen-mensen-hebben-last-van-hun-rug-of-nek~a286ed03/",
        producer="ED, quoting RIVM",
        producer_nl="ED, dat het RIVM citeert",
        licence="cited-facts",
    ),
    "oefentherapielos_2017": Source(
        title="Nek- en rugklachten (Oefentherapie Los; 2017 total of 'meer dan 2.028.000' "
        "persons known to the GP)",
        url="https://www.oefentherapielos.nl/nek-en-rugklachten/",
        producer="An exercise-therapy practice's website, citing Nivel",
        producer_nl="de website van een oefentherapiepraktijk, die Nivel citeert",
        licence="cited-facts",
    ),
    "blikopnieuws_2020_low_back": Source(
        title="Huisartsenzorg bij lagerugklachten afgelopen vijf jaar weinig veranderd (Blik op "
        "Nieuws, January 2020)",
        url="https://www.blikopnieuws.nl/gezondheid/278992/huisartsenzorg-bij-lagerugklachten-"
        "afgelopen-vijf-jaar-weinig-veranderd.html",
        producer="Blik op Nieuws, reporting the Nivel/Radboudumc study of low-back complaints in "
        "primary care 2013-2018",
        licence="cited-facts",
    ),
    "ntvg_2014_back_pain": Source(
        title="Rugpijn: patiënten versus onderzoek (Nederlands Tijdschrift voor Geneeskunde, 2014)",
        url="https://www.ntvg.nl/artikelen/rugpijn-patienten-versus-onderzoek",
        producer="Nederlands Tijdschrift voor Geneeskunde (NTvG)",
        licence="cited-facts",
    ),
    "press_2017_nca": Source(
        title="Ruim 2 miljoen patiënten met rug- en nekklachten (NCA press release, 2018)",
        url="https://www.perssupport.nl/persbericht/967d0da6-9f5b-4ee0-a2a3-39ba0677b8e5/"
        "ruim-2-miljoen-patienten-met-rug-en-nekklachten",
        producer="Nederlandse Chiropractoren Associatie, quoting RIVM",
        producer_nl="Nederlandse Chiropractoren Associatie, die het RIVM citeert",
        licence="cited-facts",
    ),
}

_GP_DEFINITION_TEXT = (
    "Annual prevalence as VZinfo defines it: everyone known to their GP with one of the "
    "neck/back categories (ICPC L01 neck symptoms, L02 back symptoms, L03 low back pain without "
    "radiation, L83 cervical spine syndrome, L84 spinal osteoarthritis, L86 low back pain with "
    "radiation) at some time in the year, even without a contact that year. Estimated by RIVM "
    "from Nivel Zorgregistraties eerste lijn GP records."
)

RESOURCES = [
    Resource(
        name="gp_prevalence_age_sex",
        title="GP-registered neck and back complaints by sex and age, 2018 (per 1,000)",
        title_nl="Nek- en rugklachten bij de huisarts naar geslacht en leeftijd, 2018 (per 1.000)",
        description=(
            f"{_GP_DEFINITION_TEXT}"
            " One row per sex and five-year age group (0-4 ... 85+), 36 rows, rates with the two "
            "decimals VZinfo printed. The stored copy of the table printed no unit; 'per 1,000' "
            "follows from the crude rates on the same page (101.8 and 137.6 per 1,000). No age "
            "table for any other year could be read: the 2020 age table lies below the readable "
            "part of the page, so 2020 age detail is missing, not zero."
        ),
        fields=(
            "year",
            "sex",
            "age_group",
            "rate_per_1000",
            "value_as_published",
            "definition",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("year", "sex", "age_group"),
        sources=("vzinfo_2018", "vzinfo_methods"),
        licences=("RIVM-attribution",),
        caveats=("inferred_unit", "unverified_licence", "truncated_source"),
        overrides={
            "age_group": {"enum": AGE_GROUPS_18, "ordered": True},
            "sex": {"enum": ("men", "women")},
            "definition": {"enum": ("vzinfo_gp_neck_back",)},
            "year": {"required": True},
        },
    ),
    Resource(
        name="gp_prevalence_totals",
        title="GP-registered neck and back complaints: persons and crude rates by sex",
        title_nl="Nek- en rugklachten bij de huisarts: aantallen en ruwe cijfers naar geslacht",
        description=(
            f"{_GP_DEFINITION_TEXT} One row per published figure: persons, crude rate per 1,000 "
            "and the chronic subgroup by sex for 2018 and 2020 (primary, VZinfo) and 2017, marked "
            "secondary: the figures by sex from a news item (ED) and a press release (NCA) "
            "quoting RIVM, and the total of 'more than 2,028,000' from an exercise-therapy "
            "practice's website citing Nivel, a lower bound (value_qualifier 'more than'), not "
            "an estimate of the total. None of these sources states the ICPC codes, so the 2017 "
            "rows carry the definition_assumed caveat and are not compared with 2018 and 2020. "
            "Rows with another case definition (a 2008 back-pain count, a low-back-only count, an "
            "undated 'well over two million') are kept apart by `definition` and must not be "
            "compared with the VZinfo series. The 2018 sexes add to 2,065,000, 100 more than the "
            "published total 2,064,900, because of rounding. 2020 is lower than 2018 by 198,000 "
            "persons: a covid year with fewer GP-practice contacts (-11% in March-June, -2.7% over "
            "the year), so the fall may be a registration dip and need not mean fewer back "
            "problems. 2019 and 2021 onwards are missing from "
            "the readable sources."
        ),
        fields=(
            "figure_id",
            "year",
            "sex",
            "definition",
            "measure",
            "value",
            "value_as_published",
            "value_qualifier",
            "source_type",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=(
            "vzinfo_2018",
            "vzinfo_2020",
            "news_2017_ed",
            "press_2017_nca",
            "oefentherapielos_2017",
            "nos_2019_back_pain",
            "ntvg_2014_back_pain",
            "blikopnieuws_2020_low_back",
        ),
        licences=("RIVM-attribution", "cited-facts"),
        caveats=(
            "covid_registration_dip",
            "secondary_source",
            "rounding",
            "different_definition",
            "definition_assumed",
            "unverified_licence",
        ),
        overrides={
            "definition": {"enum": GP_DEFINITIONS},
            "measure": {"enum": GP_MEASURES},
        },
    ),
    Resource(
        name="icpc_categories",
        title="ICPC codes in the neck and back complaints indicator",
        title_nl="ICPC-codes in de indicator nek- en rugklachten",
        description=(
            "The six ICPC-1 categories that VZinfo counts as neck and back complaints, with the "
            "Dutch label as published, our English translation and the exclusions VZinfo states. "
            "Per-category prevalence (2020) and new cases (2018) exist on the VZinfo pages but lie "
            "below the readable part of the stored copies, so no per-category figure is in this "
            "package. VZinfo states only that low back pain without radiation (L03) is the most "
            "common category among men."
        ),
        fields=("icpc_code", "label_nl", "label_en", "exclusion", "source_url", "note"),
        primary_key=("icpc_code",),
        sources=("vzinfo_2020",),
        licences=("RIVM-attribution",),
        caveats=("truncated_source", "unverified_licence"),
    ),
]
