"""The view settings each page keeps in its URL (documented in the README's parameter table).

Declared here rather than in the page scripts so the app can review a link's parameters before
the page runs, and the tests can check every page against the same declarations.
"""

from dashboard.url_state import Param, choice, integer

PREVALENCE_YEARS = (2018, 2020, 2017)

PREVALENCE: dict[str, Param] = {
    "year": choice("year", PREVALENCE_YEARS, 2018),
    "sex": choice("sex", ("women", "men", "total"), "women"),
    "measure": choice("measure", ("rate", "persons"), "rate"),
    "standard": choice("standard", ("crude", "esp2013", "nl2020"), "crude"),
    "catchment": integer("catchment", None, 1, 20_000_000),
}

HOME_WORKING_SERIES = ("all", "cbs", "eurostat")  # keys of analysis.homeworking.SERIES_VIEWS

HOME_WORKING: dict[str, Param] = {
    "series": choice("series", HOME_WORKING_SERIES, "all"),
}

OUTCOMES: dict[str, Param] = {
    "group": choice("group", ("all", "acute", "chronic"), "all"),
    "sex": choice("sex", ("all", "men", "women"), "all"),
    "age": choice("age", ("all", "<40", "40-59", "60+"), "all"),
    "period": choice("period", ("all", *(str(year) for year in range(2000, 2101))), "all"),
}

# By the page's url_path (the default page is "").
PAGE_PARAMS: dict[str, dict[str, Param]] = {
    "prevalence": PREVALENCE,
    "home-working": HOME_WORKING,
    "outcomes": OUTCOMES,
}
