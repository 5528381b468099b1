"""Words from facts: how a `Quantity` is printed (always with its qualifier), and the caption
lines built from the source registry and the caveat keys of the plotted rows.

Each page's titles and sentences are templates in the locale files, filled here from the fact
records of `analysis`; a module per page (`dashboard.words.prevalence`, ...) picks the template a
fact allows.
"""

from __future__ import annotations

import pandas as pd

from analysis import provenance
from analysis.facts import Quantity
from dashboard.i18n import messages, number, t


def say(quantity: Quantity, lang: str) -> str:
    """The value as a reader sees it: '2,064,900', 'more than 2,028,000', '1.17 million',
    '12.0%', 'about 871,200', with the language's separators."""
    shown = number(quantity.value / quantity.scale, lang, quantity.decimals)
    if quantity.scale == 1_000_000:
        shown = t("words.million", lang, value=shown)
    if quantity.unit in ("pct", "pct_points"):
        shown = f"{shown}%"
    if quantity.qualifier:
        shown = t(f"words.qualifier.{quantity.qualifier.replace(' ', '_')}", lang, value=shown)
    return shown


def say_abs(quantity: Quantity, lang: str) -> str:
    """`say` for the size of a change (no minus sign; the sentence says the direction)."""
    return say(Quantity(**{**quantity.__dict__, "value": abs(quantity.value)}), lang)


def source_line(sources: list[tuple[str, pd.DataFrame]], lang: str) -> str:
    """'Sources: producer, “title” (licence); ...' for the registry entries that the rows of
    each (table, rows) pair cite, each publication once."""
    entries: list[provenance.SourceEntry] = []
    for table, rows in sources:
        entries += [e for e in provenance.sources_of(table, rows) if e not in entries]
    parts = [
        t(
            "words.source_entry",
            lang,
            producer=e.producer_in(lang),
            title=e.title,
            licence=licence(e, lang),
        )
        for e in entries
    ]
    key = "words.source_one" if len(parts) == 1 else "words.sources_many"
    return t(key, lang, sources="; ".join(parts)) if parts else ""


def licence(entry: provenance.SourceEntry, lang: str) -> str:
    """A source's terms of reuse in the reader's language (the package's title otherwise)."""
    key = f"words.licence.{entry.licence_name}"
    return t(key, lang) if key in messages(lang) else entry.licence


def caveat_line(rows: pd.DataFrame, lang: str) -> str:
    """The text of every caveat key the rows cite, after a label; empty when none."""
    keys = provenance.caveat_keys(rows)
    if not keys:
        return ""
    texts = " ".join(provenance.caveat_text(key, lang) for key in keys)
    return f"{t('words.caveats', lang)}: {texts}"


def caption(lang: str, *sentences: str, sources: list[tuple[str, pd.DataFrame]] = ()) -> str:
    """Definition and method sentences, then the source line of each (table, plotted rows) and
    the caveats those rows cite."""
    lines = [s for s in sentences if s]
    lines.append(source_line(list(sources), lang))
    cited = pd.concat([rows for _, rows in sources]) if sources else pd.DataFrame()
    lines.append(caveat_line(cited, lang))
    return " ".join(line for line in lines if line)


def say_date(day: pd.Timestamp, lang: str) -> str:
    """'16 March 2020' / '16 maart 2020'."""
    months = t("home_working.months", lang).split(",")
    return t("home_working.date", lang, day=day.day, month=months[day.month - 1], year=day.year)
