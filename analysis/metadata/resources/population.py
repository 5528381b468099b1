"""CBS population counts and projections, and the European Standard Population 2013."""

from analysis.metadata.fields import age_bounds
from analysis.metadata.model import Field, Resource, Source

_GROUPS = (
    [f"{a}-{a + 4}" for a in range(0, 95, 5)]
    + ["85+", "90+", "95+", "0", "1-4"]
    + [f"{a}-{a + 9}" for a in range(0, 80, 10)]
    + ["80+", "0-19", "20-39", "40-64", "65-79", "20-64", "65+"]
)
# Every age label used by the population tables, youngest first, then the whole population.
POPULATION_AGE_GROUPS = (*sorted(set(_GROUPS), key=age_bounds), "total")

AGE_SCHEMES = ("total", "broad", "10_year", "5_year", "5_year_open_85")
ESP_SCHEMES = ("esp_21", "esp_19", "esp_18")

FIELDS = {
    "derivation": Field(
        "string",
        "How the value was obtained: 'as published', or which published counts were added up or "
        "converted (for example from thousands) to form it.",
    ),
    "cbs_table_title": Field("string", "Title of the CBS StatLine table as published."),
    "projection_vintage": Field(
        "string",
        "Which CBS projection round the row belongs to, as far as the table states it.",
    ),
    "is_current": Field(
        "boolean",
        "True for the most recent CBS projection found; false for superseded projections.",
        required=True,
    ),
    "projection_variant": Field(
        "string",
        "point: the projection itself; lower_95: lower bound of CBS's 95% projection interval.",
        enum=("point", "lower_95"),
        required=True,
    ),
    "standard": Field(
        "string",
        "Which standard population the weights belong to (esp2013: European Standard "
        "Population 2013).",
        enum=("esp2013",),
        required=True,
    ),
    "weight": Field(
        "integer",
        "Number of persons in the age group in a standard population of 100,000.",
        unit="persons per 100,000 standard population",
        minimum=0,
        maximum=100000,
        required=True,
    ),
}

SOURCES = {
    "cbs_37296ned": Source(
        title="Bevolking; kerncijfers",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/37296ned",
        producer="CBS",
        table_id="37296ned",
        licence="CC-BY-4.0",
    ),
    "cbs_37296ned_2878d": Source(
        title="Bevolking; kerncijfers (StatLine view dl=2878D: totals and five broad age groups "
        "on 1 January, 1950-2019)",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/37296ned?dl=2878D",
        producer="CBS",
        table_id="37296ned",
        licence="CC-BY-4.0",
    ),
    "cbs_37296ned_statweb_2018": Source(
        title="Bevolking; kerncijfers (StatWeb publication view with 1 January 2018 by sex)",
        url="https://statline.cbs.nl/Statweb/publication/?DM=SLNL&PA=37296ned&D1=0-8,10-55,57-67"
        "&D2=l&HDR=G1&STB=T&VW=T",
        producer="CBS",
        table_id="37296ned",
        licence="CC-BY-4.0",
    ),
    "cbs_85496ned": Source(
        title="Bevolking op 1 januari; leeftijd, geslacht en nationaliteit (totals by sex)",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/85496NED",
        producer="CBS",
        table_id="85496NED",
        licence="CC-BY-4.0",
    ),
    "cbs_7461bev": Source(
        title="Bevolking; geslacht, leeftijd en burgerlijke staat, 1 januari (single years of "
        "age 2020 and 2021, read from the copy in the RIVM repository rivm-syso/CoMixNL)",
        url="https://opendata.cbs.nl/statline/#/CBS/nl/dataset/7461BEV/",
        producer="CBS",
        table_id="7461BEV",
        licence="CC-BY-4.0",
    ),
    "cbs_7461bev_2014_2025": Source(
        title="Bevolking; geslacht, leeftijd en burgerlijke staat, 1 januari (single years of "
        "age 2014-2025 by sex, read from the StatLine export stored in the GitHub repository "
        "rcsmit/COVIDcases, input/Bevolking__geslacht__leeftijd_en_burgerlijke_staat__2024.csv "
        "@ 6c2363ed3780)",
        url="https://opendata.cbs.nl/#/CBS/nl/dataset/7461bev/table",
        producer="CBS",
        table_id="7461BEV",
        licence="CC-BY-4.0",
        accessed="2026-12-06",
    ),
    "cbs_2018_age_groups": Source(
        title="Mannen en vrouwen per leeftijdsgroep (1 January 2018, ten-year groups)",
        url="https://www.cbs.nl/nl-nl/achtergrond/2018/35/mannen-en-vrouwen-per-leeftijdsgroep",
        producer="CBS",
        licence="CC-BY-4.0",
    ),
    "cbs_85324ned": Source(
        title="Prognose bevolking; geslacht en leeftijd, 2023-2070",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/85324NED",
        producer="CBS",
        table_id="85324NED",
        licence="CC-BY-4.0",
    ),
    "cbs_37714ned": Source(
        title="Prognose bevolking; intervallen naar leeftijdsgroep, 1 januari 2007 - 2050 "
        "(StatLine view reached through a keyword search)",
        url="https://cbs.nl/nl-nl/cijfers/detail/37714ned?q=keyword%3A%22leegstaande+kantoren%22",
        producer="CBS",
        table_id="37714ned",
        licence="CC-BY-4.0",
    ),
    "cbs_71258ned": Source(
        title="Prognose bevolking; geslacht, leeftijd, 1 januari 2005 - 2050",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/71258ned",
        producer="CBS",
        table_id="71258ned",
        licence="CC-BY-4.0",
    ),
    "eurostat_esp2013": Source(
        title="Revision of the European Standard Population. Report of Eurostat's task force, "
        "2013 edition (KS-RA-13-028)",
        url="https://ec.europa.eu/eurostat/documents/3859598/5926869/KS-RA-13-028-EN.PDF/"
        "e713fa79-1add-44e8-b23d-5e8fa09b3f8f",
        producer="Eurostat",
        table_id="KS-RA-13-028",
        licence="Eurostat-reuse",
    ),
}

RESOURCES = [
    Resource(
        name="population",
        title="Population of the Netherlands on 1 January, by sex and age (CBS)",
        title_nl="Bevolking van Nederland op 1 januari, naar geslacht en leeftijd (CBS)",
        description=(
            "CBS population counts on 1 January. Every year 2014-2025 by sex (men, women, total): "
            "the total and five-year groups (0-4 ... 90-94, 95+) plus an open 85+ group matching "
            "the VZinfo prevalence table, so 0-4 ... 80-84 and 85+ are the 18 VZinfo groups. Also "
            "2010 (both sexes only), 2018 by sex in ten-year groups (0-9 ... 70-79, 80+), and "
            "2010, 2015, 2018 and 2019 in five broad groups (both sexes). `age_scheme` keeps the "
            "breakdowns apart: add up groups only within one scheme, and never add the 85+ row "
            "(scheme 5_year_open_85) to the 85-89/90-94/95+ rows. Totals are CBS published totals "
            "(37296ned, 85496NED) where we hold one: 2010, 2015 and 2019 for both sexes together, "
            "2018 and 2020-2023 also by sex. Every five-year group, and every other total, is our "
            "sum of CBS single-year counts (7461BEV; `derivation` says which): 2020 and 2021 "
            "read from a copy in the RIVM GitHub repository rivm-syso/CoMixNL, the other years "
            "from a StatLine export in the GitHub repository rcsmit/COVIDcases. The two copies "
            "agree, and the sums equal every CBS published total and group we hold (checked in "
            "curation). 2019 by sex is such a sum: no CBS page with 2019 by sex was read. 2024 "
            "and 2025 are the latest years and CBS may still revise them. The mean of two "
            "consecutive 1 January counts stands in for the average population that VZinfo "
            "divides by (1 January 2018 and 2019 reproduce its 2018 crude rates)."
        ),
        fields=(
            "year",
            "reference_date",
            "sex",
            "age_scheme",
            "age_group",
            "persons",
            "cbs_table_id",
            "derivation",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("year", "sex", "age_scheme", "age_group"),
        sources=(
            "cbs_37296ned",
            "cbs_37296ned_2878d",
            "cbs_37296ned_statweb_2018",
            "cbs_85496ned",
            "cbs_7461bev",
            "cbs_7461bev_2014_2025",
            "cbs_2018_age_groups",
        ),
        licences=("CC-BY-4.0",),
        caveats=("derived_sum", "mirror_source"),
        overrides={
            "age_group": {"enum": POPULATION_AGE_GROUPS, "ordered": True},
            "age_scheme": {"enum": AGE_SCHEMES, "required": True},
            "year": {"required": True},
            "persons": {"required": True},
            "derivation": {"required": True},
        },
    ),
    Resource(
        name="population_projections",
        title="CBS population projections (current and superseded)",
        title_nl="CBS-bevolkingsprognoses (actueel en vervallen)",
        description=(
            "Projected population on 1 January from three CBS tables, kept apart by "
            "`cbs_table_id` and `is_current`. 85324NED (2023-2070, probably Kernprognose "
            "2022-2070; both sexes; total, 0-19 and 20-64) is the most recent projection found; "
            "its 2070 value for 20-64 was cut off and is empty. 37714ned (2050 by sex and "
            "five-year group, with some lower 95% interval bounds) and 71258ned (2005-2050 by sex "
            "and three broad groups) are old, superseded projections: 37714ned expects 16.8 "
            "million inhabitants in 2050 where 85324NED expects 19.8 million. In 37714ned the "
            "published men and women values for 20-64 look swapped against the sums of their own "
            "five-year groups; they are copied as published and flagged. Projections by sex and "
            "five-year group from a current table were not found."
        ),
        fields=(
            "cbs_table_id",
            "cbs_table_title",
            "projection_vintage",
            "is_current",
            "year",
            "reference_date",
            "sex",
            "age_group",
            "projection_variant",
            "persons",
            "value_as_published",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("cbs_table_id", "year", "sex", "age_group", "projection_variant"),
        sources=("cbs_85324ned", "cbs_37714ned", "cbs_71258ned"),
        licences=("CC-BY-4.0",),
        caveats=("projection", "superseded", "possible_source_error", "rounding"),
        overrides={
            "age_group": {"enum": POPULATION_AGE_GROUPS, "ordered": True},
            "cbs_table_id": {"enum": ("85324NED", "37714ned", "71258ned")},
        },
    ),
    Resource(
        name="standard_population",
        title="European Standard Population 2013 (weights per 100,000)",
        title_nl="Europese standaardbevolking 2013 (gewichten per 100.000)",
        description=(
            "Weights of the European Standard Population 2013 (Eurostat), used for direct age "
            "standardisation. Three layouts: Eurostat's original 21 groups (0, 1-4, five-year "
            "groups, 95+), the common 19-group version (0-4 ... 85-89, 90+), and an 18-group "
            "version (0-4 ... 80-84, 85+) that matches the VZinfo 2018 prevalence table, in which "
            "the 85+ weight (2,500) is our sum of 85-89, 90-94 and 95+. Each layout sums to "
            "100,000. The weights were copied from public copies that agree with each other "
            "(PHEindicatormethods and others); the annex table of the Eurostat PDF itself was not "
            "readable."
        ),
        fields=(
            "standard",
            "age_scheme",
            "age_group",
            "weight",
            "derivation",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("standard", "age_scheme", "age_group"),
        sources=("eurostat_esp2013",),
        licences=("Eurostat-reuse",),
        caveats=("derived_sum", "mirror_source"),
        overrides={
            "age_group": {"enum": POPULATION_AGE_GROUPS, "ordered": True},
            "age_scheme": {"enum": ESP_SCHEMES, "required": True},
        },
    ),
]
