"""Licences of the upstream sources and of our derived tables, by key."""

LICENCES: dict[str, dict[str, str]] = {
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "CBS open data are CC BY 4.0; cite 'Bron: CBS' "
        "(https://www.cbs.nl/nl-nl/onze-diensten/open-data/).",
    },
    "RIVM-attribution": {
        "name": "RIVM-attribution",
        "title": "Attribution to RIVM (terms unverified)",
        "path": "https://www.regiobeeld.nl/gebruikslicentie",
        "attribution": "No licence page for VZinfo was found. We cite RIVM (data: Nivel "
        "Zorgregistraties eerste lijn) as producer; the sister site Regiobeeld states CC BY 4.0, "
        "but VZinfo's own terms are unverified.",
    },
    "Eurostat-reuse": {
        "name": "Eurostat-reuse",
        "title": "Eurostat: reproduction authorised provided the source is acknowledged",
        "path": "https://ec.europa.eu/eurostat/about-us/policies/copyright",
        "attribution": "Cite Eurostat as the source.",
    },
    "cited-facts": {
        "name": "cited-facts",
        "title": "Published figures quoted with citation (no licence stated)",
        "attribution": "Single figures quoted from news items, press releases, journal abstracts "
        "and guidelines, each with its URL; no licence was stated. Cite the original publication.",
    },
}
