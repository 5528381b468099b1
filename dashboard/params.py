"""The view settings each page keeps in its URL (documented in the README's parameter table).

Declared here rather than in the page scripts so the app can review a link's parameters before
the page runs, and the tests can check every page against the same declarations.
"""

from analysis.prevalence import STANDARDS
from analysis.vocabulary import (
    ALL,
    BOTH_SEXES,
    COMPLAINT_DURATIONS,
    MEN,
    PATIENT_AGE_BANDS,
    WOMEN,
)
from dashboard.url_state import Param, choice, integer, sections

PREVALENCE_YEARS = (2018, 2020, 2017)
# Years of CBS population by sex and five-year age group in the package (catchment age mix).
POPULATION_YEARS = tuple(range(2014, 2026))

PREVALENCE: dict[str, Param] = {
    "year": choice("year", PREVALENCE_YEARS, 2018),
    "sex": choice("sex", (WOMEN, MEN, BOTH_SEXES), WOMEN),
    "measure": choice("measure", ("rate", "persons"), "rate"),
    "standard": choice("standard", STANDARDS, "crude"),
    "catchment": integer("catchment", None, 1, 20_000_000),
    "catchment_year": choice("catchment_year", POPULATION_YEARS, POPULATION_YEARS[-1]),
}

HOME_WORKING_SERIES = ("all", "cbs", "eurostat")  # keys of analysis.homeworking.SERIES_VIEWS

HOME_WORKING: dict[str, Param] = {
    "series": choice("series", HOME_WORKING_SERIES, "all"),
}

OUTCOMES: dict[str, Param] = {
    # Every complaint duration: the two the website makes a claim for and subacute.
    "group": choice("group", (ALL, *COMPLAINT_DURATIONS), ALL),
    "sex": choice("sex", (ALL, MEN, WOMEN), ALL),
    "age": choice("age", (ALL, *PATIENT_AGE_BANDS), ALL),
    "period": choice("period", (ALL, *(str(year) for year in range(2000, 2101))), ALL),
}

# The page for (prospective) patients: people like me, by complaint duration first.
PATIENTS: dict[str, Param] = {
    "group": choice("group", COMPLAINT_DURATIONS, COMPLAINT_DURATIONS[0]),
    "sex": choice("sex", (ALL, MEN, WOMEN), ALL),
    "age": choice("age", (ALL, *PATIENT_AGE_BANDS), ALL),
}

# By the page's url_path (the default page is "").
PAGE_PARAMS: dict[str, dict[str, Param]] = {
    "prevalence": PREVALENCE,
    "home-working": HOME_WORKING,
    "outcomes": OUTCOMES,
    "patients": PATIENTS,
}

# The sections each page shows on demand (folded until opened; `Section.on_demand`), in page
# order: which are open is part of the link, so a shared link opens the same ones. Not a view
# setting: the page's view holds every section whatever is open.
OPEN = "open"
ON_DEMAND: dict[str, Param] = {
    "prevalence": sections(OPEN, ("compared", "standardised", "catchment")),
    "home-working": sections(OPEN, ("care", "workers", "odds")),
    "outcomes": sections(
        OPEN, ("counts", "curve", "pain", "course", "trials", "time", "benchmarks")
    ),
}


def link_params(url_path: str) -> dict[str, Param]:
    """Every parameter a link to the page may carry besides the language and the note: its view
    settings, then which sections are open."""
    shown = {OPEN: ON_DEMAND[url_path]} if url_path in ON_DEMAND else {}
    return PAGE_PARAMS.get(url_path, {}) | shown


def share_order(url_path: str) -> tuple[str, ...]:
    """The order of a shared link's parameters: the language, the page's own, the note."""
    return ("lang", *link_params(url_path), "note")
