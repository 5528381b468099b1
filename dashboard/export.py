"""Files we hand to people: CSV of exactly what a chart plots, safe to open in a spreadsheet.

A text cell that starts with =, +, -, @, a tab or a line break is turned into plain text by a
leading apostrophe, so a spreadsheet never runs it as a formula (OWASP "CSV injection"); numbers
stay numbers. The header lines say what the data are and where they come from.
"""

from __future__ import annotations

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
