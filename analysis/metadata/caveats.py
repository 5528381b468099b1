"""The fixed list of caveat keys that resources and rows cite (the habit of PUDL's ``warnings.py``).

A table or a row names a key; the Sources page and every chart that uses the table show its text.
Each text is finished prose in English and Dutch. Add a key here before citing it anywhere.
"""

CAVEATS: dict[str, dict[str, str]] = {
    "series_break": {
        "en": "The definition or method changes within this series. Values on either side of "
        "the break measure different things and must not be joined into one line.",
        "nl": "De definitie of methode verandert binnen deze reeks. Waarden voor en na de breuk "
        "meten iets anders en horen niet in één doorgetrokken lijn.",
    },
    "covid_registration_dip": {
        "en": "Figures for 2020 are lower partly because people avoided care during the covid-19 "
        "pandemic. The dip is in what GPs registered, not necessarily in back problems.",
        "nl": "De cijfers over 2020 zijn deels lager doordat mensen tijdens de coronapandemie zorg "
        "meden. De daling zit in wat huisartsen registreerden, niet per se in rugklachten.",
    },
    "secondary_source": {
        "en": "Taken from a secondary source (a news item, press release, guideline or practice "
        "website) that quotes the original producer; the original publication was not available.",
        "nl": "Overgenomen uit een secundaire bron (nieuwsbericht, persbericht, richtlijn of "
        "praktijkwebsite) die de oorspronkelijke maker citeert; de oorspronkelijke publicatie "
        "was niet beschikbaar.",
    },
    "self_reported": {
        "en": "Based on what respondents said in a survey about their complaints, work or "
        "habits, not on a measurement or a doctor's diagnosis.",
        "nl": "Gebaseerd op wat deelnemers in een enquête zeiden over hun klachten, werk of "
        "gewoonten, niet op een meting of een diagnose van een arts.",
    },
    "rounding": {
        "en": "Published figures are rounded, so parts may not add up exactly to the published "
        "total (for 2018, men plus women is 100 more than the total).",
        "nl": "Gepubliceerde cijfers zijn afgerond, waardoor delen niet precies optellen tot het "
        "gepubliceerde totaal (in 2018 zijn mannen plus vrouwen 100 meer dan het totaal).",
    },
    "derived_sum": {
        "en": "Rugzicht formed this row by adding up published counts; the row says which ones. "
        "No value was estimated.",
        "nl": "Rugzicht heeft deze rij gevormd door gepubliceerde aantallen op te tellen; de rij "
        "zegt welke. Er is niets geschat.",
    },
    "inferred_unit": {
        "en": "The source table printed no unit. 'Per 1,000' is inferred from the crude rates "
        "printed on the same page, and checked: the rates times the mean of CBS's 1 January "
        "populations of the year and the next add up to the published totals (see Sources & "
        "methods).",
        "nl": "De brontabel vermeldt geen eenheid. 'Per 1.000' is afgeleid uit de ruwe cijfers "
        "op dezelfde pagina, en gecontroleerd: de cijfers maal het gemiddelde van de "
        "CBS-bevolking op 1 januari van het jaar en het volgende tellen op tot de gepubliceerde "
        "totalen (zie Bronnen en methoden).",
    },
    "superseded": {
        "en": "An older release that a newer one has replaced. Kept for reference only; do not "
        "use it as the current figure.",
        "nl": "Een oudere uitgave die door een nieuwere is vervangen. Alleen ter referentie; niet "
        "gebruiken als actueel cijfer.",
    },
    "regional": {
        "en": "Covers one region or one registration database, not the whole Netherlands.",
        "nl": "Gaat over één regio of één registratiedatabase, niet over heel Nederland.",
    },
    "different_definition": {
        "en": "Uses a different definition from the series it sits beside (for GP figures: "
        "other than the VZinfo indicator, ICPC L01-L03, L83, L84, L86), so the two are not "
        "comparable.",
        "nl": "Gebruikt een andere definitie dan de reeks ernaast (bij huisartscijfers: anders "
        "dan de VZinfo-indicator, ICPC L01-L03, L83, L84, L86), dus ze zijn niet vergelijkbaar.",
    },
    "definition_assumed": {
        "en": "The source does not state which ICPC codes the figure counts. Its case definition "
        "is assumed to be VZinfo's (ICPC L01-L03, L83, L84, L86), so the figure is shown apart "
        "and not compared with VZinfo's own figures for 2018 and 2020.",
        "nl": "De bron vermeldt niet welke ICPC-codes het cijfer telt. Aangenomen is dat de "
        "definitie die van VZinfo is (ICPC L01-L03, L83, L84, L86); daarom staat het cijfer "
        "apart en wordt het niet vergeleken met de eigen VZinfo-cijfers over 2018 en 2020.",
    },
    "truncated_source": {
        "en": "Only the opening of the source page could be read. Values further down the page "
        "are missing and are left empty rather than estimated.",
        "nl": "Alleen het begin van de bronpagina kon worden gelezen. Waarden verderop ontbreken "
        "en zijn leeg gelaten in plaats van geschat.",
    },
    "unverified_licence": {
        "en": "No licence statement was found for this source. We cite RIVM as the producer; the "
        "terms of reuse are unverified.",
        "nl": "Voor deze bron is geen licentie gevonden. We vermelden het RIVM als maker; de "
        "voorwaarden voor hergebruik zijn niet geverifieerd.",
    },
    "mirror_source": {
        "en": "Read on a mirror or copy of the original page. Check the original before relying "
        "on the figure.",
        "nl": "Gelezen op een kopie van de oorspronkelijke pagina. Controleer het origineel "
        "voordat u op het cijfer vertrouwt.",
    },
    "verbal_quantity": {
        "en": "The source gives a verbal quantity such as 'about' or 'just over'. The word is kept "
        "in value_qualifier and never folded into the number.",
        "nl": "De bron geeft een omschreven hoeveelheid zoals 'ongeveer' of 'ruim'. Dat woord "
        "staat in value_qualifier en zit nooit in het getal.",
    },
    "projection": {
        "en": "A projection of the future population, not an observation.",
        "nl": "Een prognose van de toekomstige bevolking, geen waarneming.",
    },
    "year_uncertain": {
        "en": "The source does not state clearly which year the figure describes.",
        "nl": "De bron vermeldt niet duidelijk over welk jaar het cijfer gaat.",
    },
    "not_specific_to_back": {
        "en": "Covers all complaints, or all musculoskeletal complaints, not neck and back "
        "complaints alone.",
        "nl": "Gaat over alle klachten, of alle klachten van het bewegingsapparaat, niet alleen "
        "over nek- en rugklachten.",
    },
    "different_population": {
        "en": "Measured in a different population or with a different reference period (for "
        "example employees only, or one reference week) than the neighbouring series.",
        "nl": "Gemeten in een andere populatie of over een andere periode (bijvoorbeeld alleen "
        "werknemers, of één referentieweek) dan de reeksen ernaast.",
    },
    "preliminary": {
        "en": "A preliminary analysis: the producer announced a final report later, and the "
        "figure may change. The row's note says what the producer itself concluded.",
        "nl": "Een voorlopige analyse: de maker kondigde later een definitief rapport aan, en het "
        "cijfer kan nog veranderen. De toelichting bij de rij zegt wat de maker zelf concludeerde.",
    },
    "preprint": {
        "en": "A preprint that had not been peer reviewed when it was read.",
        "nl": "Een preprint die bij het lezen nog niet door vakgenoten was beoordeeld.",
    },
    "trial_definition_differs": {
        "en": "The study's outcome or responder definition differs from Rugzicht's (pain down by "
        "at least 30% and at least 2 points on 0-10), so the figures are not directly comparable.",
        "nl": "De uitkomst- of responderdefinitie van de studie wijkt af van die van Rugzicht "
        "(pijn minstens 30% en minstens 2 punten lager op 0-10), dus de cijfers zijn niet "
        "direct vergelijkbaar.",
    },
    "possible_source_error": {
        "en": "The source appears to contain an error (for example two values that look "
        "swapped). The values are copied as published and the row's note explains the doubt.",
        "nl": "De bron lijkt een fout te bevatten (bijvoorbeeld twee verwisselde waarden). De "
        "waarden zijn overgenomen zoals gepubliceerd; de toelichting bij de rij legt de "
        "twijfel uit.",
    },
    "citation_unverified": {
        "en": "Part of the publication's citation (authors, journal, year or PubMed number) was "
        "not visible in the copy that was read; the note says which part is unverified.",
        "nl": "Een deel van de bronvermelding (auteurs, tijdschrift, jaar of PubMed-nummer) was "
        "niet zichtbaar in de gelezen kopie; de toelichting zegt welk deel niet is gecontroleerd.",
    },
    "sources_disagree": {
        "en": "Sources that report this figure or event describe it differently. The row "
        "follows the source in source_url; its note gives the other reading.",
        "nl": "Bronnen die dit cijfer of deze gebeurtenis melden, beschrijven het verschillend. "
        "De rij volgt de bron in source_url; de toelichting geeft de andere lezing.",
    },
}

CAVEAT_KEYS: tuple[str, ...] = tuple(CAVEATS)

# A row's `caveats` cell: zero or more keys separated by ";" (no spaces).
_KEY = "(?:" + "|".join(CAVEAT_KEYS) + ")"
CAVEATS_PATTERN = f"^{_KEY}(?:;{_KEY})*$"
