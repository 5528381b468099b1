"""Titles and sentences of the Prevalence page, filled from the facts of `analysis.prevalence`.

A title that asserts a comparison ("in every age group", "rise with age") is chosen only when the
fact behind it holds for the view shown; otherwise a neutral or counted title is used.
"""

from __future__ import annotations

from analysis import prevalence as p
from analysis.vocabulary import BOTH_SEXES, MEN, WOMEN
from dashboard.i18n import t
from dashboard.words import say, say_abs


def sex_word(sex: str, lang: str) -> str:
    return t(f"sex.{sex}", lang)


def age_words(group: str, lang: str) -> str:
    if group.endswith("+"):
        return t("age.open", lang, low=group[:-1])
    return t("age.range", lang, group=group)


# ---------------------------------------------------------------- by year


def totals_title(dip: p.CovidDip, lang: str) -> str:
    change = dip.change
    key = {
        "fell": "prevalence.totals_title_fell",
        "rose": "prevalence.totals_title_rose",
    }.get(change.direction, "prevalence.totals_title")
    return t(
        key,
        lang,
        change=say_abs(change.difference, lang),
        start_year=change.start_year,
        end_year=change.end_year,
    )


def totals_sentence(figure: p.YearFigure | None, year: int, sex: str, producer: str, lang: str):
    """The selected year and sex in words; a missing figure is said to be missing, never
    replaced by another sex's."""
    who = t("sex.people", lang) if sex == BOTH_SEXES else sex_word(sex, lang)
    if figure is None or figure.persons is None:
        return t("prevalence.totals_sentence_missing", lang, year=year, sex=who)
    values = {"year": year, "persons": say(figure.persons, lang), "sex": who}
    if figure.rate is not None:
        sentence = t("prevalence.totals_sentence_rate", lang, rate=say(figure.rate, lang), **values)
    else:
        sentence = t("prevalence.totals_sentence", lang, **values)
    if figure.is_secondary or figure.is_definition_assumed:
        sentence += " " + t("prevalence.secondary_note", lang, producer=producer)
    return sentence


def contacts_fell(dip: p.CovidDip) -> bool:
    """Whether both published contact changes are falls (then the words may say 'fell by')."""
    return dip.first_wave_contacts.value < 0 and dip.full_year_contacts.value < 0


def years(values: tuple[int, ...], lang: str) -> str:
    """'2018 and 2020' / '2018 en 2020'."""
    text = [str(v) for v in values]
    if len(text) <= 1:
        return "".join(text)
    return f"{', '.join(text[:-1])} {t('home_working.care.and', lang)} {text[-1]}"


def totals_definition(coverage: p.TotalsCoverage, lang: str) -> str:
    """The totals chart's definition, with the years drawn apart and the years missing."""
    parts = [t("prevalence.definition_totals", lang)]
    if coverage.assumed_years:
        parts.append(
            t(
                "prevalence.totals_assumed",
                lang,
                assumed=years(coverage.assumed_years, lang),
                stated=years(coverage.stated_years, lang),
            )
        )
    if coverage.missing_years:
        parts.append(
            t("prevalence.totals_missing", lang, missing=years(coverage.missing_years, lang))
        )
    return " ".join(parts)


def no_age_detail(year: int, lang: str) -> str:
    return t(
        "prevalence.no_age_detail",
        lang,
        year=year,
        age_year=p.AGE_TABLE_YEAR,
        unread=years(p.UNREAD_AGE_TABLE_YEARS, lang),
    )


def dip_reason(dip: p.CovidDip, lang: str) -> str:
    fell = contacts_fell(dip)
    shown = say_abs if fell else say
    return t(
        "prevalence.dip_reason" if fell else "prevalence.dip_reason_changed",
        lang,
        year=dip.change.end_year,
        first_wave=shown(dip.first_wave_contacts, lang),
        full_year=shown(dip.full_year_contacts, lang),
        reference_year=dip.reference_year,
    )


# ---------------------------------------------------------------- by age


def age_title(found: p.AgeFindings, lang: str) -> str:
    """For rates: the women/men comparison and the rise with age, each only where it holds.
    For counts of people the profile is titled neutrally (the pyramid states the comparison)."""
    year = found.year
    if found.measure != "rate":
        return t("prevalence.age_title", lang, year=year)
    if not found.women_higher_everywhere:
        return t(
            "prevalence.age_title_women_higher_some",
            lang,
            n=found.women_higher_groups,
            groups=found.groups,
            year=year,
        )
    if all(found.rises_with_age.values()):
        return t("prevalence.age_title_rise_women_higher", lang, year=year)
    return t("prevalence.age_title_women_higher", lang, year=year)


def age_sentence(found: p.AgeFindings, sex: str, lang: str) -> str:
    year = found.year
    if sex == BOTH_SEXES:
        sentence = t(
            "prevalence.age_sentence_both",
            lang,
            year=year,
            age_women=age_words(found.peak_group[WOMEN], lang),
            rate_women=say(found.peak_rate[WOMEN], lang),
            age_men=age_words(found.peak_group[MEN], lang),
            rate_men=say(found.peak_rate[MEN], lang),
        )
    else:
        sentence = t(
            "prevalence.age_sentence",
            lang,
            year=year,
            rate=say(found.peak_rate[sex], lang),
            sex=sex_word(sex, lang),
            age=age_words(found.peak_group[sex], lang),
        )
    if found.measure != "persons":
        return sentence
    if sex == BOTH_SEXES:
        more = t(
            "prevalence.age_sentence_persons_both",
            lang,
            year=year,
            women=say(found.totals[WOMEN], lang),
            men=say(found.totals[MEN], lang),
        )
    else:
        more = t(
            "prevalence.age_sentence_persons",
            lang,
            year=year,
            persons=say(found.totals[sex], lang),
            sex=sex_word(sex, lang),
        )
    return f"{sentence} {more}"


def pyramid_title(found: p.AgeFindings, lang: str) -> str:
    kind = "all" if found.women_higher_everywhere else "some"
    return t(
        f"prevalence.pyramid_title_{kind}_{found.measure}",
        lang,
        n=found.women_higher_groups,
        groups=found.groups,
        year=found.year,
    )


def pyramid_sentence(found: p.AgeFindings, published: dict, lang: str) -> str:
    if found.measure == "rate":
        return t(
            "prevalence.pyramid_sentence",
            lang,
            year=found.year,
            women=say(found.totals[WOMEN], lang),
            men=say(found.totals[MEN], lang),
        )
    return t(
        "prevalence.pyramid_sentence_persons",
        lang,
        year=found.year,
        women=say(found.totals[WOMEN], lang),
        men=say(found.totals[MEN], lang),
        published_women=say(published[(found.year, WOMEN)].persons, lang),
        published_men=say(published[(found.year, MEN)].persons, lang),
    )


def persons_caption(year: int, lang: str) -> str:
    return t("prevalence.caption_persons", lang, year=year, next=year + 1)


def ratio_title(found: p.RatioFindings, lang: str) -> str:
    return t("prevalence.ratio_title", lang, low=say(found.low, lang), high=say(found.high, lang))


def ratio_sentence(found: p.RatioFindings, lang: str) -> str:
    return t(
        "prevalence.ratio_sentence",
        lang,
        year=found.year,
        age=age_words(found.widest_group, lang),
        ratio=say(found.high, lang),
        women=say(found.women_rate, lang),
        men=say(found.men_rate, lang),
    )


# ---------------------------------------------------------------- standardisation


def std_title(found: p.StandardisationFindings, lang: str) -> str:
    return t("prevalence.std_title", lang, spread=say(found.spread, lang))


def std_sentence(found: p.StandardisationFindings, selected: str, sex: str, lang: str) -> str:
    focus = sex if sex != BOTH_SEXES else WOMEN
    rates = {standard: q for (s, standard), q in found.rates.items() if s == focus}
    return t(
        "prevalence.std_sentence_crude" if selected == "crude" else "prevalence.std_sentence",
        lang,
        sex=sex_word(focus, lang),
        crude=say(rates["crude"], lang),
        standard=t(f"standard.{selected}", lang),
        value=say(rates[selected], lang),
        esp=say(rates["esp2013"], lang),
        nl=say(rates["nl2018"], lang),
        esp_name=t("standard.esp2013", lang),
        nl_name=t("standard.nl2018", lang),
    )


def std_caption(year: int, lang: str) -> str:
    standards = "; ".join(t(f"standard.{name}", lang) for name in p.STANDARDS[1:])
    return t("prevalence.caption_std", lang, year=year, standards=standards)


# ---------------------------------------------------------------- catchment


def catchment_sentence(found: p.CatchmentFindings, lang: str) -> str:
    return t(
        "prevalence.catchment_sentence",
        lang,
        inhabitants=say(found.inhabitants, lang),
        population_year=found.population_year,
        total=say(found.expected[BOTH_SEXES], lang),
        women=say(found.expected[WOMEN], lang),
        men=say(found.expected[MEN], lang),
    )


def catchment_assumption(found: p.CatchmentFindings, lang: str) -> str:
    return t(
        "prevalence.catchment_assumption",
        lang,
        rates_year=found.rates_year,
        population_year=found.population_year,
    )
