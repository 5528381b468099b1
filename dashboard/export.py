"""Files we hand to people: CSV of exactly what a chart plots, safe to open in a spreadsheet.

A text cell that starts with =, +, -, @, a tab or a line break is turned into plain text by a
leading apostrophe, so a spreadsheet never runs it as a formula (OWASP "CSV injection"); numbers
stay numbers. The header lines say what the data are and where they come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: object) -> object:
    """A text value that a spreadsheet could read as a formula, made inert; others unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralised; numeric columns are left as they are."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame, header: list[str]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) with '# ' header lines before the table."""
    lines = "".join(f"# {neutralise(line.replace(chr(10), ' '))}\n" for line in header)
    body = safe_frame(frame).to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + lines + body).encode("utf-8")


def chart_csv(chart, about: tuple[str, ...] = ()) -> bytes:
    """A chart's CSV: exactly its data, headed by its title and headings, its sentence, its
    caption and its "About this data" texts (`about`)."""
    return csv_bytes(
        chart.data, [chart.title, *chart.headings, chart.sentence, chart.caption, *about]
    )


def view_html(
    *,
    title: str,
    charts: list,
    link: str,
    data_version: str,
    lang: str,
    note: str | None = None,
    labels: Mapping[str, str],
    about: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """The current view as one self-contained HTML page: every chart interactive (Plotly's
    JavaScript is embedded once, so it opens offline from a file or an e-mail attachment), each
    with its sentence and caption (and its "About this data" texts, folded), the data version
    and a link back to the live view.

    Every text is HTML-escaped; the data are the same aggregates the page shows (for clinic
    figures: after suppression), never patient rows.
    """
    import plotly.io as pio

    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        "<style>body{font-family:Arial,sans-serif;max-width:960px;margin:24px auto;padding:0 12px;"
        "color:#222}p.caption{color:#555;font-size:14px}p.sentence{font-weight:bold}"
        "blockquote{border-left:4px solid #0072B2;margin:0;padding:4px 12px;background:#f4f8fb}"
        "footer{color:#555;font-size:13px;margin-top:32px}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
    ]
    if note:
        parts.append(f"<blockquote><p>{escape(labels['note'])}: {escape(note)}</p></blockquote>")
    for index, chart in enumerate(charts):
        parts.append(f'<section aria-label="{escape(chart.label)}">')
        parts.append(f'<p class="sentence">{escape(chart.sentence)}</p>')
        parts.append(
            pio.to_html(
                chart.figure,
                include_plotlyjs=index == 0,
                full_html=False,
                config={"displaylogo": False, "responsive": True},
                default_width="100%",
            )
        )
        parts.append(f'<p class="caption">{escape(chart.caption)}</p>')
        notes = (about or {}).get(chart.name, ())
        if notes:
            paragraphs = "".join(f"<p>{escape(text)}</p>" for text in notes)
            parts.append(f"<details><summary>{escape(labels.get('about', 'About this data'))}"
                         f"</summary>{paragraphs}</details>")  # fmt: skip
        parts.append("</section>")
    parts.append(
        f"<footer><p>{escape(labels['version'])}: {escape(data_version)}. "
        f'{escape(labels["link"])}: <a href="{escape(link, quote=True)}">{escape(link)}</a></p>'
        f"<p>{escape(labels['sources'])}</p></footer></body></html>"
    )
    return "\n".join(parts)


def package_csv_bytes(raw: pd.DataFrame, text_columns: list[str]) -> bytes:
    """A data-package table for download: cells exactly as stored (so numbers keep their
    published precision), with only the schema's text columns made inert for spreadsheets."""
    out = raw.copy()
    for column in text_columns:
        out[column] = out[column].map(neutralise, na_action="ignore")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")
