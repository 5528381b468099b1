"""Figures for GP-registered neck and back complaints by sex, age and year.

Each builder takes frames from `analysis.prevalence` and returns a `Chart` whose title states the
finding in the data, whose sentence describes the reader's selection, and whose caption names
source, definition and caveats, in English or Dutch.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.common import OKABE_ITO, SEX_COLOURS, Chart, layout, localise
from dashboard.i18n import number, percent, t

SEXES = ("men", "women")


def _sex(sex: str, lang: str) -> str:
    return t(f"sex.{sex}", lang)


def _age(group: str, lang: str) -> str:
    if group.endswith("+"):
        return t("age.open", lang, low=group[:-1])
    return t("age.range", lang, group=group)


def source_caption(lang: str, *parts: str) -> str:
    """The VZinfo source line followed by extra sentences (definition, proxy, caveats)."""
    return " ".join([t("prevalence.source", lang), *[p for p in parts if p]])


# ---------------------------------------------------------------- age profile


def age_profile(by_age: pd.DataFrame, measure: str, sex: str, year: int, lang: str) -> Chart:
    """Rate per 1,000 (or persons) by age group for men and women, the selected sex in front.

    `by_age` has sex, age_group, rate_per_1000 and, for persons, population and persons.
    """
    column = "rate_per_1000" if measure == "rate" else "persons"
    fig = go.Figure()
    order = [s for s in SEXES if s != sex] + ([sex] if sex in SEXES else [])
    for s in order:
        rows = by_age[by_age["sex"] == s]
        fig.add_trace(
            go.Scatter(
                x=rows["age_group"].astype(str),
                y=rows[column],
                name=_sex(s, lang),
                mode="lines+markers",
                line={"color": SEX_COLOURS[s], "width": 3 if s == sex or sex == "total" else 2},
                opacity=1.0 if s == sex or sex == "total" else 0.55,
                hovertemplate="%{x}: %{y:,.1f}<extra>" + _sex(s, lang) + "</extra>",
            )
        )
    ratio_all_above_one = by_age.pivot_table(
        index="age_group", columns="sex", values="rate_per_1000", observed=True
    ).pipe(lambda w: (w["women"] > w["men"]).all())
    title = t(
        "prevalence.age_title_women_higher" if ratio_all_above_one else "prevalence.age_title",
        lang,
        year=year,
    )
    focus = sex if sex in SEXES else "women"
    rows = by_age[by_age["sex"] == focus]
    peak = rows.loc[rows["rate_per_1000"].idxmax()]
    sentence = t(
        "prevalence.age_sentence",
        lang,
        year=year,
        share=percent(peak["rate_per_1000"] / 10, lang),
        sex=_sex(focus, lang),
        age=_age(str(peak["age_group"]), lang),
        rate=number(peak["rate_per_1000"], lang, 1),
    )
    if measure == "persons":
        sentence += " " + t(
            "prevalence.age_sentence_persons",
            lang,
            persons=number(rows["persons"].sum(), lang),
            sex=_sex(focus, lang),
        )
    fig.update_xaxes(title=t("axis.age_group", lang))
    fig.update_yaxes(
        title=t("axis.rate_per_1000" if measure == "rate" else "axis.persons", lang),
        rangemode="tozero",
    )
    layout(fig, title)
    caption = source_caption(
        lang,
        t("prevalence.caption_age", lang),
        t("prevalence.caption_proxy", lang) if measure == "persons" else "",
    )
    keep = ["sex", "age_group", "rate_per_1000"] + (
        ["population", "persons"] if measure == "persons" else []
    )
    return Chart(
        f"prevalence_by_age_{year}_{measure}",
        localise(fig, lang),
        by_age[keep].reset_index(drop=True),
        title,
        sentence,
        caption,
    )


def pyramid(by_age: pd.DataFrame, measure: str, year: int, lang: str) -> Chart:
    """Mirrored bars: men to the left, women to the right, youngest at the bottom."""
    column = "rate_per_1000" if measure == "rate" else "persons"
    fig = go.Figure()
    for s, sign in (("men", -1), ("women", 1)):
        rows = by_age[by_age["sex"] == s]
        fig.add_trace(
            go.Bar(
                y=rows["age_group"].astype(str),
                x=sign * rows[column],
                customdata=rows[column],
                orientation="h",
                name=_sex(s, lang),
                marker_color=SEX_COLOURS[s],
                hovertemplate="%{y}: %{customdata:,.1f}<extra>" + _sex(s, lang) + "</extra>",
            )
        )
    peak = float(by_age[column].max())
    step = _nice_step(peak)
    ticks = [v for v in range(-int(peak // step + 1) * step, int(peak // step + 2) * step, step)]
    fig.update_xaxes(
        title=t("axis.rate_per_1000" if measure == "rate" else "axis.persons", lang),
        tickvals=ticks,
        ticktext=[number(abs(v), lang) for v in ticks],
        zeroline=True,
    )
    fig.update_yaxes(title=t("axis.age_group", lang))
    fig.update_layout(barmode="relative", bargap=0.08)
    totals = by_age.groupby("sex", observed=True)[column].sum()
    title = t("prevalence.pyramid_title", lang, year=year)
    sentence = t(
        "prevalence.pyramid_sentence",
        lang,
        year=year,
        women=number(by_age.loc[by_age["sex"] == "women", "rate_per_1000"].mean(), lang, 1),
        men=number(by_age.loc[by_age["sex"] == "men", "rate_per_1000"].mean(), lang, 1),
    )
    if measure == "persons":
        sentence = t(
            "prevalence.pyramid_sentence_persons",
            lang,
            women=number(totals.get("women", 0), lang),
            men=number(totals.get("men", 0), lang),
        )
    caption = source_caption(
        lang,
        t("prevalence.caption_age", lang),
        t("prevalence.caption_proxy", lang) if measure == "persons" else "",
    )
    layout(fig, title, height=520)
    keep = ["sex", "age_group", column]
    return Chart(
        f"prevalence_pyramid_{year}_{measure}",
        localise(fig, lang),
        by_age[keep].reset_index(drop=True),
        title,
        sentence,
        caption,
    )


def _nice_step(peak: float) -> int:
    """A round tick step giving about four ticks on each side of zero."""
    raw = max(peak / 4, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


# ---------------------------------------------------------------- women / men ratio


def ratio_chart(ratio: pd.DataFrame, year: int, lang: str) -> Chart:
    """Women's rate divided by men's, per age group, with the line of equal rates at 1."""
    fig = go.Figure(
        go.Bar(
            x=ratio["age_group"].astype(str),
            y=ratio["ratio_women_to_men"],
            marker_color=OKABE_ITO["reddish_purple"],
            name=t("prevalence.ratio_trace", lang),
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        )
    )
    fig.add_hline(y=1, line_dash="dash", line_color=OKABE_ITO["black"])
    low, high = ratio["ratio_women_to_men"].min(), ratio["ratio_women_to_men"].max()
    top = ratio.loc[ratio["ratio_women_to_men"].idxmax()]
    title = t("prevalence.ratio_title", lang, low=number(low, lang, 2), high=number(high, lang, 2))
    sentence = t(
        "prevalence.ratio_sentence",
        lang,
        year=year,
        age=_age(str(top["age_group"]), lang),
        ratio=number(top["ratio_women_to_men"], lang, 2),
        women=number(top["women"], lang, 1),
        men=number(top["men"], lang, 1),
    )
    fig.update_xaxes(title=t("axis.age_group", lang))
    fig.update_yaxes(title=t("axis.ratio_women_men", lang), rangemode="tozero")
    layout(fig, title, height=400)
    return Chart(
        f"prevalence_ratio_{year}",
        localise(fig, lang),
        ratio.reset_index(drop=True),
        title,
        sentence,
        source_caption(lang, t("prevalence.caption_ratio", lang)),
    )


# ---------------------------------------------------------------- crude vs standardised


def standardised_chart(table: pd.DataFrame, selected: str, sex: str, lang: str) -> Chart:
    """Crude and age-standardised rates per sex; the selected standard is drawn solid.

    `table` has sex, standard (crude, esp2013, nl2020) and rate_per_1000.
    """
    fig = go.Figure()
    colours = {
        "crude": OKABE_ITO["black"],
        "esp2013": OKABE_ITO["blue"],
        "nl2020": OKABE_ITO["orange"],
    }
    for standard in ("crude", "esp2013", "nl2020"):
        rows = table[table["standard"] == standard]
        fig.add_trace(
            go.Bar(
                x=[_sex(s, lang) for s in rows["sex"]],
                y=rows["rate_per_1000"],
                name=t(f"standard.{standard}", lang),
                marker_color=colours[standard],
                opacity=1.0 if standard == selected else 0.35,
                text=[number(v, lang, 1) for v in rows["rate_per_1000"]],
                textposition="outside",
                hovertemplate="%{x}: %{y:.1f}<extra>"
                + t(f"standard.{standard}", lang)
                + "</extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("axis.rate_per_1000", lang), rangemode="tozero")
    focus = sex if sex in SEXES else "women"
    rows = table[table["sex"] == focus].set_index("standard")["rate_per_1000"]
    spread = table.groupby("sex")["rate_per_1000"].agg(lambda s: s.max() - s.min()).max()
    title = t("prevalence.std_title", lang, spread=number(spread, lang, 1))
    sentence = t(
        "prevalence.std_sentence_crude" if selected == "crude" else "prevalence.std_sentence",
        lang,
        sex=_sex(focus, lang),
        crude=number(rows["crude"], lang, 1),
        standard=t(f"standard.{selected}", lang),
        value=number(rows[selected], lang, 1),
        esp=number(rows["esp2013"], lang, 1),
        nl=number(rows["nl2020"], lang, 1),
    )
    layout(fig, title, height=420)
    return Chart(
        "prevalence_standardised_2018",
        localise(fig, lang),
        table.reset_index(drop=True),
        title,
        sentence,
        source_caption(lang, t("prevalence.caption_std", lang)),
    )


# ---------------------------------------------------------------- by year


def totals_chart(totals: pd.DataFrame, year: int, sex: str, lang: str) -> Chart:
    """Persons known to their GP by year and sex; secondary 2017 figures hatched, 2020 marked
    as a covid year.

    `totals` is `analysis.prevalence.published_totals()` (year, sex, persons, published rate,
    source type).
    """
    fig = go.Figure()
    for s in ("men", "women", "total"):
        rows = totals[(totals["sex"] == s) & totals["persons"].notna()]
        fig.add_trace(
            go.Bar(
                x=rows["year"].astype(str),
                y=rows["persons"],
                name=_sex(s, lang),
                marker={
                    "color": SEX_COLOURS[s],
                    "pattern": {
                        "shape": ["/" if st == "secondary" else "" for st in rows["source_type"]]
                    },
                },
                opacity=1.0 if s == sex else 0.55,
                customdata=[
                    t(f"qualifier.{q}", lang) if isinstance(q, str) and q else ""
                    for q in rows["value_qualifier"]
                ],
                hovertemplate="%{x}: %{customdata} %{y:,.0f}<extra>" + _sex(s, lang) + "</extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=t("axis.year", lang), type="category")
    fig.update_yaxes(title=t("axis.persons", lang), rangemode="tozero", tickformat=",d")
    # On a category axis a number-like x ("2020") is read as a category *index*; use the position.
    years = sorted(totals.loc[totals["persons"].notna(), "year"].unique())
    fig.add_annotation(
        x=years.index(2020),
        y=float(totals["persons"].max()),
        text=t("prevalence.covid_dip_label", lang),
        showarrow=False,
        yshift=18,
        font={"size": 12},
    )
    pub = totals.set_index(["year", "sex"])
    change = pub.loc[(2020, "total"), "persons"] - pub.loc[(2018, "total"), "persons"]
    title = t("prevalence.totals_title", lang, change=number(abs(change), lang))
    focus = sex if (year, sex) in pub.index else "total"
    row = pub.loc[(year, focus)] if (year, focus) in pub.index else None
    if row is None or pd.isna(row["persons"]):
        sentence = t("prevalence.totals_sentence_missing", lang, year=year, sex=_sex(sex, lang))
    else:
        key = (
            "prevalence.totals_sentence_rate"
            if pd.notna(row["published_rate_per_1000"])
            else ("prevalence.totals_sentence")
        )
        sentence = t(
            key,
            lang,
            year=year,
            persons=number(row["persons"], lang),
            sex=_sex(focus, lang) if focus != "total" else t("sex.people", lang),
            rate=number(row["published_rate_per_1000"], lang, 1)
            if pd.notna(row["published_rate_per_1000"])
            else "",
        )
        if row["source_type"] == "secondary":
            sentence += " " + t("prevalence.secondary_note", lang)
    layout(fig, title, height=440)
    caption = source_caption(
        lang, t("prevalence.caption_totals", lang), t("prevalence.caption_dip", lang)
    )
    data = totals[
        ["year", "sex", "persons", "value_qualifier", "published_rate_per_1000", "source_type"]
    ]
    return Chart(
        "prevalence_by_year",
        localise(fig, lang),
        data.reset_index(drop=True),
        title,
        sentence,
        caption,
    )


def catchment_sentence(estimate: pd.DataFrame, inhabitants: int, lang: str) -> str:
    """The catchment estimate in words, with its assumption."""
    rows = estimate.set_index("sex")
    return t(
        "prevalence.catchment_sentence",
        lang,
        inhabitants=number(inhabitants, lang),
        total=number(round(rows.loc["total", "expected_persons"], -1), lang),
        women=number(round(rows.loc["women", "expected_persons"], -1), lang),
        men=number(round(rows.loc["men", "expected_persons"], -1), lang),
    )
