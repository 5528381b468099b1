"""Problem reports: every reason a file is refused, one row each (file, spreadsheet row, column,
value, rule, message), and the report as text or as a CSV download.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

PROBLEM_COLUMNS: tuple[str, ...] = ("row", "column", "value", "rule", "message")


def empty_problems() -> pd.DataFrame:
    """A problem report with no problems (the shape every report has)."""
    return _problem_frame([])


def _problem_frame(records: list[dict]) -> pd.DataFrame:
    import pandas as pd  # only when a report is asked for

    frame = pd.DataFrame(records, columns=list(PROBLEM_COLUMNS))
    return frame.astype(
        {"row": "Int64", "column": "str", "value": "str", "rule": "str", "message": "str"}
    )


def show(value: object, limit: int = 80) -> str:
    """A cell as the owner would recognise it, shortened for a message."""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime) and value.time() == dt.time():
        text = value.date().isoformat()
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Problems:
    """Collects problems and words each one the same way: file, row, column, value, rule."""

    def __init__(self, filename: str):
        self.filename = filename
        self.records: list[dict] = []

    def add(
        self,
        rule: str,
        text: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        shown = None if value is None else show(value)
        row = None if row is None else int(row)
        where = [self.filename]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        if shown is not None:
            where.append(f"value '{shown}'")
        message = f"{', '.join(where)}: {text} (rule: {rule})"
        self.records.append(
            {"row": row, "column": column, "value": shown, "rule": rule, "message": message}
        )

    def __bool__(self) -> bool:
        return bool(self.records)

    def frame(self) -> pd.DataFrame:
        return _problem_frame(self.records)


def format_report(problems: pd.DataFrame, limit: int | None = 50) -> str:
    """The problem messages as lines of text (the first `limit`, then a count of the rest)."""
    messages = problems["message"].tolist()
    shown = messages if limit is None else messages[:limit]
    lines = [f"  - {message}" for message in shown]
    if len(messages) > len(shown):
        lines.append(f"  ... and {len(messages) - len(shown)} more")
    return "\n".join(lines)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def problems_csv(problems: pd.DataFrame) -> bytes:
    """The problem report as a CSV download (UTF-8 with BOM for Excel); text that a spreadsheet
    would run as a formula is neutralised with a leading apostrophe."""
    safe = problems.copy()
    for column in ("column", "value", "message"):
        safe[column] = safe[column].map(
            lambda text: "'" + text if text.startswith(_FORMULA_START) else text,
            na_action="ignore",
        )
    return safe.to_csv(index=False).encode("utf-8-sig")
