"""Validating an export against the contract: headers mapped through the English and Dutch
aliases, every value parsed and checked (numbers, categories, dates; nothing guessed, so a date
column that reads two ways is refused until the format is named), and `read_export`, which turns
a file's bytes into the canonical visits table or a report of every problem.

The checks run as DuckDB queries on the distinct values of each column of the file's cells
(`files.Table`); only a rule that some value breaks looks for the rows. What needs Python (date
formats, category spellings) runs once per distinct value. pandas is loaded only when a caller
asks for a table.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.clinic.contract import (
    BY_NAME,
    DTYPES,
    HEADER_ALIASES,
    IDENTIFIER_HEADERS,
    REQUIRED,
    VALUE_ALIASES,
    VISIT_COLUMNS,
    normalise,
)
from analysis.clinic.files import Table, check_widths, read_table
from analysis.clinic.problems import Problems

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

RANGE_RULES = {  # the number columns, in the order their problems are reported
    "session_number": "session_range",
    "pain_nrs": "pain_range",
    "odi": "odi_range",
    "rmdq": "rmdq_range",
    "age": "age_range",
    "birth_year": "birth_year_range",
}
UNKNOWN_RULES = {
    "complaint_duration": "unknown_duration",
    "sex": "unknown_sex",
    "region": "unknown_region",
}
_SQL_TYPES = {"text": "VARCHAR", "category": "VARCHAR", "date": "DATE", "integer": "INTEGER"}
_SQL_TYPES["number"] = "DOUBLE"


@dataclass(frozen=True)
class ReadResult:
    """What `read_export` made of a file: the canonical visits, or the problems that stop it.
    `visits` and `problems` are pandas tables made on first use; `table` is the checked visits as
    a DuckDB relation, in any order with their spreadsheet `row` (what the store writes from,
    without pandas)."""

    report: Problems = field(repr=False)
    filename: str
    file_type: str | None = None  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    date_format: str | None = None  # the strptime format used, or "excel dates"
    rows_read: int = 0
    header_row: int | None = None  # spreadsheet row of the header (1 unless blank rows precede)
    sheet: str | None = None  # the worksheet read, for .xlsx
    ignored_columns: tuple[str, ...] = ()
    table: duckdb.DuckDBPyRelation | None = field(default=None, repr=False, compare=False)

    @cached_property
    def problems(self) -> pd.DataFrame:
        return self.report.frame()

    @cached_property
    def visits(self) -> pd.DataFrame | None:
        if not self.ok:
            return None
        dates = "CAST(visit_date AS TIMESTAMP) AS visit_date"
        in_order = self.table.order("row")
        visits = in_order.project(", ".join(VISIT_COLUMNS).replace("visit_date", dates))
        frame = visits.to_arrow_table().to_pandas()
        return frame.astype({col: DTYPES[BY_NAME[col].kind] for col in VISIT_COLUMNS})

    @property
    def rows_with_problems(self) -> int:
        """How many data rows have at least one problem (header problems not counted)."""
        rows = {p["row"] for p in self.report.records if p["row"] is not None}
        return len({row for row in rows if row > (self.header_row or 1)})

    @property
    def ok(self) -> bool:
        return self.table is not None and not self.report


def _map_header(table: Table, problems: Problems) -> tuple[dict[str, int], list[str]]:
    """Canonical column -> position; refused identifier and duplicate columns are reported. A
    header that names no column is an identifier when it, squashed or one of its words is one
    ('name', 'e-mail', ...); else it is ignored."""
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    row = table.header_row
    for position, name in enumerate(table.header):
        key = normalise(name)
        if not key:
            continue
        canonical = HEADER_ALIASES.get(key)
        words = (key, key.replace("_", ""), *key.split("_"))
        kind = next((IDENTIFIER_HEADERS[w] for w in words if w in IDENTIFIER_HEADERS), None)
        if canonical is None and kind is not None:
            problems.add(
                "identifier_column",
                f"this column looks like a direct identifier ({kind}); Rugzicht never stores "
                "names, e-mail addresses, phone numbers, addresses, BSNs or dates of birth. "
                "Delete the column from the export and import it again",
                row=row,
                column=name,
            )
        elif canonical is None:
            ignored.append(name)
        elif canonical in mapping:
            first = table.header[mapping[canonical]]
            problems.add(
                "duplicate_column",
                f"this column and column '{first}' both mean {canonical}; keep one of them",
                row=row,
                column=name,
            )
        else:
            mapping[canonical] = position
    for name in REQUIRED:
        if name not in mapping:
            spellings = [alias for alias, target in HEADER_ALIASES.items() if target == name]
            problems.add(
                "missing_column",
                f"the required column {name} is missing ({BY_NAME[name].description} "
                f"Accepted headers: {', '.join(dict.fromkeys([name, *spellings]))})",
                row=row,
                column=name,
            )
    return mapping, ignored


_NUMBER = {".": r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", ",": r"[+-]?(?:\d+(?:,\d*)?|,\d+)"}
_DECIMAL_EVIDENCE = {".": r"[+-]?\d*\.\d+", ",": r"[+-]?\d*,\d+"}
_MARKS = {".": "a decimal point", ",": "a decimal comma"}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Validator:
    """The checks of one table. Each checked column's distinct cells (and kinds) go into a table
    `{name}_map` with what they read as, which the view `checked` joins to the rows. A rule is
    tried on a column's distinct values first (most files break none), and `report` words one
    problem per row breaking it."""

    def __init__(self, table: Table, mapping: dict[str, int], problems: Problems):
        self.con, self.problems = table.con, problems
        self.cell = {name: f"c{position}" for name, position in mapping.items()}
        xlsx = table.file_type == "xlsx"  # a CSV has text cells only
        self.kind = {name: f"k{position}" if xlsx else "NULL" for name, position in mapping.items()}
        self.header = {name: table.header[position] for name, position in mapping.items()}
        self.decimal = "."
        self.maps: dict[str, tuple[str, str]] = {}  # name -> its columns in `checked`, its join

    def text(self, name: str) -> str:
        """A column's text cells (a workbook's numbers and dates are NULL here)."""
        if self.kind[name] == "NULL":
            return self.cell[name]
        return f"(CASE WHEN {self.kind[name]} IS NULL THEN {self.cell[name]} END)"

    def keys(self, name: str) -> list[str]:
        return [self.cell[name]] + ([self.kind[name]] if self.kind[name] != "NULL" else [])

    def seen(self, name: str) -> None:
        """Table `name`_seen: the column's distinct cells (and kinds), with their number of rows
        (`n`) and first row (`first`)."""
        self.con.execute(
            f"CREATE TEMP TABLE {name}_seen AS SELECT {', '.join(self.keys(name))}, "  # noqa: S608
            "count(*) AS n, min(row) AS first FROM cells GROUP BY ALL"
        )

    def values(self, name: str, columns: str, joins: str = "") -> tuple[str, str]:
        """Table `name`_map: the distinct cells with `columns`, what they read as. Returns the
        map's columns in `checked`, and its join."""
        self.con.execute(
            f"CREATE TEMP TABLE {name}_map AS SELECT {name}_seen.*, {columns} "  # noqa: S608
            f"FROM {name}_seen{joins}"
        )
        keys = self.keys(name)
        same = " AND ".join(f"cells.{key} IS NOT DISTINCT FROM m_{name}.{key}" for key in keys)
        columns = f"m_{name}.* EXCLUDE ({', '.join(keys)}, n, first)"
        self.maps[name] = columns, f" LEFT JOIN {name}_map AS m_{name} ON {same}"
        return self.maps[name]

    def distinct(self, name: str) -> list[tuple[str, int]]:
        """The column's distinct texts, first seen first, with their number of rows."""
        return self.con.execute(
            f"SELECT {self.text(name)} AS t, sum(n) FROM {name}_seen "  # noqa: S608
            "WHERE t IS NOT NULL GROUP BY t ORDER BY min(first)"
        ).fetchall()

    def any(self, name: str, where: str) -> bool:
        """Whether some distinct value of the column has `where`."""
        query = f"SELECT count(*) FROM {name}_map WHERE {where}"  # noqa: S608
        return self.con.execute(query).fetchall()[0][0] > 0

    def report(self, rule, text, name, where, value=None, source=None, distinct=True):
        """One problem per row of `source` (by default the cells with the column's map) where
        `where` holds (values default to the cell); nothing when no distinct value of the column
        breaks the rule."""
        if distinct and name in self.maps and not self.any(name, where):
            return
        if source is None and name in self.maps:
            source = "(SELECT cells.*, {} FROM cells{})".format(*self.maps[name])  # noqa: S608
        value = value or self.cell.get(name, "NULL")
        column = self.header.get(name, name)
        for row, shown in self.con.execute(
            f"SELECT row, {value} FROM {source or 'cells'} WHERE {where} ORDER BY row"  # noqa: S608
        ).fetchall():
            self.problems.add(rule, text, row=row, column=column, value=shown)

    def required_present(self, name: str) -> None:
        if name in REQUIRED and name in self.cell:
            text = f"{name} is required in every row and is empty here"
            self.report("missing_value", text, name, f"{self.cell[name]} IS NULL", "NULL", "cells")

    def sniff_decimal(self, delimiter: str | None) -> None:
        """The decimal mark most numbers in the file use ('.' when the file shows none)."""
        point = comma = 0
        for name in (name for name in RANGE_RULES if name in self.cell):
            self.seen(name)
            found = (
                f"coalesce(sum(n) FILTER (regexp_full_match({self.text(name)}, {_quote(p)})), 0)"
                for p in _DECIMAL_EVIDENCE.values()
            )
            query = f"SELECT {', '.join(found)} FROM {name}_seen"  # noqa: S608
            points, commas = self.con.execute(query).fetchall()[0]
            point, comma = point + points, comma + commas
        if comma > point or (comma == point > 0 and delimiter == ";"):
            self.decimal = ","

    def number(self, name: str) -> tuple[str, str]:
        """The map of a number: its value, and whether it uses the other decimal mark, is
        fractional (for whole numbers) or out of range; the value NULL when it is either. Then
        its problems. Returns its columns in `checked`, and its join."""
        if name not in self.cell:
            return f"NULL::DOUBLE AS {name}", ""
        text, cell, kind, column = self.text(name), self.cell[name], self.kind[name], BY_NAME[name]
        other = "," if self.decimal == "." else "."
        whole = f"{name}_value % 1 <> 0" if column.kind == "integer" else "false"
        typed = (
            f"CASE WHEN {kind} = 'n' THEN TRY_CAST({cell} AS DOUBLE) "
            f"ELSE TRY_CAST(replace({text}, ',', '.') AS DOUBLE) END"
        )
        joined = self.values(
            name,
            f"regexp_full_match({text}, {_quote(_NUMBER[self.decimal])}) AS {name}_ok, "
            f"coalesce(NOT {name}_ok AND regexp_full_match({text}, "
            f"{_quote(_DECIMAL_EVIDENCE[other])}), false) AS {name}_other, "
            f"CASE WHEN {kind} = 'n' OR {name}_ok THEN {typed} END AS {name}_value, "
            f"coalesce({whole}, false) AS {name}_fraction, "
            f"CASE WHEN NOT {name}_fraction THEN {name}_value END AS {name}_whole, "
            f"coalesce({name}_whole NOT BETWEEN {column.minimum:g} AND {column.maximum:g}, "
            f"false) AS {name}_outside, "
            f"CASE WHEN NOT {name}_outside THEN {name}_whole END AS {name}",
        )
        self.required_present(name)
        self.report(
            "mixed_decimal",
            f"this number uses {_MARKS[other]} while the rest of the file uses "
            f"{_MARKS[self.decimal]}; use one decimal mark throughout",
            name,
            f"{name}_other",
        )
        self.report(
            "not_a_number",
            f"{name} must be a number",
            name,
            f"{cell} IS NOT NULL AND {name}_value IS NULL AND NOT {name}_other",
        )
        if column.kind == "integer":
            self.report(
                "not_a_whole_number", f"{name} must be a whole number", name, f"{name}_fraction"
            )
        self.report(
            RANGE_RULES[name],
            f"{name} must be between {column.minimum:g} and {column.maximum:g}",
            name,
            f"{name}_outside",
        )
        return joined

    def category(self, name: str) -> tuple[str, str]:
        """The map of a category (its spellings looked up once), then its problems; returns its
        columns in `checked`, and its join."""
        if name not in self.cell:
            return f"NULL::VARCHAR AS {name}", ""
        self.seen(name)
        aliases, cell = VALUE_ALIASES[name], self.cell[name]
        spellings = self.con.execute(
            f"SELECT DISTINCT {cell} FROM {name}_seen WHERE {cell} IS NOT NULL"  # noqa: S608
        ).fetchall()
        codes = ((t, aliases.get(normalise(t))) for (t,) in spellings)
        cases = "".join(f" WHEN {_quote(t)} THEN {_quote(c) if c else 'NULL'}" for t, c in codes)
        joined = self.values(name, f"{f'CASE {cell}{cases} END' if cases else 'NULL'} AS {name}")
        self.required_present(name)
        allowed = BY_NAME[name].categories
        also = sorted(set(aliases) - set(allowed))
        self.report(
            UNKNOWN_RULES[name],
            f"unknown {name.replace('_', ' ')}; expected one of {', '.join(allowed)} "
            f"(also accepted: {', '.join(also)})",
            name,
            f"{cell} IS NOT NULL AND {name} IS NULL",
        )
        return joined


# The date formats tried, in the order that settles a tie: ISO, then day before month.
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y",
                 "%m-%d-%Y", "%m/%d/%Y", "%m.%d.%Y")  # fmt: skip
_PARTS = {"%Y": "(?P<y>[0-9]{4})", "%m": "(?P<m>[0-9]{1,2})", "%d": "(?P<d>[0-9]{1,2})"}
_DATE_PATTERNS = {
    f: re.compile(re.sub("%[Ymd]", lambda p: _PARTS[p[0]], re.escape(f))) for f in _DATE_FORMATS
}
_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$"


def _human(fmt: str) -> str:
    """A date format as the owner reads it: '%d-%m-%Y' is dd-mm-yyyy."""
    return fmt.replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy")


def strptime_format(text: str) -> str | None:
    """A date format as the owner may write it ('dd-mm-yyyy' or '%d-%m-%Y') in strptime form;
    None when it does not name a day, a month and a year."""
    fmt = text.strip()
    if "%" not in fmt:
        fmt = re.sub(r"(?i)yyyy", "%Y", fmt)
        fmt = re.sub(r"(?i)yy(?!\w)", "%y", fmt)
        fmt = re.sub(r"(?i)m{1,2}", "%m", re.sub(r"(?i)d{1,2}", "%d", fmt))
    needed = ("%d" in fmt) and ("%m" in fmt) and ("%Y" in fmt or "%y" in fmt)
    return fmt if needed else None


def _parse_with(text: str, fmt: str) -> str | None:
    """The date `text` is in `fmt` (one of `_DATE_FORMATS`), as yyyy-mm-dd (years 0-9999, as
    pandas reads them), or None."""
    found = _DATE_PATTERNS[fmt].fullmatch(text)
    if found is None:
        return None
    year, month, day = int(found["y"]), int(found["m"]), int(found["d"])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _named_dates(texts: list[str], date_format: str) -> tuple[dict, str | None]:
    """The date texts read with the format the owner named (pandas' reading of it), or why that
    format cannot be used."""
    import pandas as pd

    full = pd.Series(texts, dtype="str")
    stripped = full.str.replace(_TIME_SUFFIX, "", regex=True).str.strip()
    try:
        parsed = pd.to_datetime(full, format=date_format, errors="coerce")
        parsed = parsed.fillna(pd.to_datetime(stripped, format=date_format, errors="coerce"))
    except ValueError as exc:
        return {}, str(exc)
    days = [None if pd.isna(p) else f"{p.year:04d}-{p.month:02d}-{p.day:02d}" for p in parsed]
    return dict(zip(texts, days, strict=True)), None


def _infer_dates(distinct: list[tuple[str, int]]) -> tuple[dict, dict, str | None, tuple | None]:
    """The format that reads the most rows, from the distinct date texts and their rows: each
    text's date and whether another format reads it, the format (None when none reads any), and
    the rival format and an example when another format reads as many rows, differently (then
    no text has a date)."""
    texts = {full: re.sub(_TIME_SUFFIX, "", full).strip() for full, _ in distinct}
    readings = {fmt: {t: _parse_with(t, fmt) for t in texts.values()} for fmt in _DATE_FORMATS}
    counts = {
        fmt: sum(n for full, n in distinct if reading[texts[full]])
        for fmt, reading in readings.items()
    }
    best = max(_DATE_FORMATS, key=counts.__getitem__)
    if counts[best] == 0:
        return dict.fromkeys(texts), {}, None, None
    chosen = readings[best]
    for rival in (fmt for fmt in _DATE_FORMATS if fmt != best and counts[fmt] == counts[best]):
        other = readings[rival]
        differ = [t for t in texts.values() if chosen[t] and other[t] != chosen[t]]
        if differ and all((other[t] is None) == (chosen[t] is None) for t in chosen):
            return dict.fromkeys(texts), {}, best, (rival, differ[0])
    dates = {full: chosen[text] for full, text in texts.items()}
    other = {
        full: any(readings[fmt][text] for fmt in _DATE_FORMATS if fmt != best)
        for full, text in texts.items()
    }
    return dates, other, best, None


def _dates(v: _Validator, date_format: str | None, skip: bool) -> tuple[str, str, str | None]:
    """The map of the visit date (`visit_date_read`; `visit_date_other`: read by another format
    than the column's; `visit_date_early`; `visit_date`), then its problems in the order the
    owner reads them. Returns its columns in `checked`, its join, and the format used (None when
    the column is missing or `skip`, the named format being unusable)."""
    name = "visit_date"
    if name not in v.cell or skip:
        return "NULL::DATE AS visit_date", "", None
    v.seen(name)
    distinct = v.distinct(name)
    texts = [text for text, _ in distinct]
    dates, other, best, ambiguous, error = dict.fromkeys(texts), {}, None, None, None
    if texts and date_format is not None:
        dates, error = _named_dates(texts, date_format)
    elif texts:
        dates, other, best, ambiguous = _infer_dates(distinct)
    table, cell, kind = "visit_date_texts", v.cell[name], v.kind[name]
    v.con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT unnest(?::VARCHAR[]) AS text, "  # noqa: S608
        "unnest(?::DATE[]) AS value, unnest(?::BOOLEAN[]) AS other",
        [list(dates), list(dates.values()), [other.get(text, False) for text in dates]],
    )
    read = f"CASE WHEN {kind} = 'd' THEN CAST({cell} AS TIMESTAMP)::DATE ELSE {table}.value END"
    joined = v.values(
        name,
        f"{read} AS visit_date_read, coalesce({table}.other, false) AS visit_date_other, "
        "visit_date_read < DATE '1900-01-01' AS visit_date_early, "
        "CASE WHEN NOT visit_date_early THEN visit_date_read END AS visit_date",
        f" LEFT JOIN {table} ON {table}.text = {v.text(name)}",
    )
    v.required_present(name)
    text = "this is a number, not a date; format the column as dates in Excel"
    v.report("bad_date", text, name, f"{kind} = 'n'")
    if error is not None:
        v.problems.add(
            "bad_date_format",
            f"the date format '{date_format}' cannot be used ({error})",
            column=v.header[name],
        )
        return *joined, None
    unread = f"{v.text(name)} IS NOT NULL AND visit_date_read IS NULL"
    wrong = None  # what a text no format reads is told
    if texts and date_format is not None:
        wrong = f"this date does not match the format you named ({date_format})"
    elif ambiguous is not None:
        rival, example = ambiguous
        v.problems.add(
            "ambiguous_dates",
            f"every date in this column can be read both as {_human(best)} and as "
            f"{_human(rival)} (day and month are 12 or less in every row), so "
            f"'{example}' could mean two different days. Rugzicht does not guess: name the "
            f"format, e.g. --date-format {best} or --date-format {rival}",
            column=v.header[name],
            value=example,
        )
    elif texts and best is None:
        accepted = ", ".join(_human(f) for f in _DATE_FORMATS if not f.startswith("%m"))
        wrong = (
            f"this is not a date Rugzicht can read (accepted: {accepted}, or real Excel dates; "
            "name another format with --date-format)"
        )
    elif best is not None:
        v.report(
            "mixed_date_formats",
            f"this date is written differently from the rest of the column "
            f"({_human(best)}); use one date format throughout",
            name,
            f"{unread} AND visit_date_other",
        )
        wrong = f"this is not a date in the column's format ({_human(best)})"
    if wrong is not None:
        v.report("bad_date", wrong, name, f"{unread} AND NOT visit_date_other")
    text = "dates before 1900 are not plausible visit dates"
    v.report("bad_date", text, name, "visit_date_early")
    if texts:
        return *joined, date_format or (None if ambiguous else best)
    return *joined, "excel dates" if kind != "NULL" and v.any(name, f"{kind} = 'd'") else None


def read_export(
    data: bytes,
    filename: str,
    date_format: str | None = None,
    today: dt.date | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> ReadResult:
    """Read and validate a clinic export (CSV or XLSX bytes) against the contract, in temporary
    tables of `con` (the store's connection when importing; else a new in-memory one).

    Never raises on bad input: everything wrong with the file comes back in `problems` (one row
    per problem, spreadsheet row numbers with the header as row 1) and `visits` is then None.
    """
    name = Path(filename).name or "upload"
    problems = Problems(name)
    kind, table = read_table(data, name, problems, con)
    if table is None:
        return ReadResult(problems, name, file_type=kind)

    fmt = None if date_format is None else strptime_format(date_format)
    if date_format is not None and fmt is None:
        problems.add(
            "bad_date_format",
            f"the date format '{date_format}' does not name a day, a month and a year; "
            "write it like %d-%m-%Y or dd-mm-yyyy",
        )
    mapping, ignored = _map_header(table, problems)
    meta = {
        "file_type": kind,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "rows_read": table.rows,
        "header_row": table.header_row,
        "sheet": table.sheet,
        "ignored_columns": tuple(ignored),
    }
    if not table.rows:
        problems.add(
            "no_rows",
            "the file has a header but no visits below it",
            row=table.header_row + 1,
        )
        return ReadResult(problems, name, **meta)

    v = _Validator(table, mapping, problems)
    check_widths(table, problems)
    v.sniff_decimal(table.delimiter)
    texts = {  # the text columns are their cells (not copied)
        text: v.cell.get(text, "NULL::VARCHAR")
        for text in ("patient_id", "episode_id", "treatment", "practitioner")
    }
    v.required_present("patient_id")
    v.report(
        "identifier_value",
        "this patient id looks like an e-mail address; use the clinic's own patient number",
        "patient_id",
        f"contains({texts['patient_id']}, '@')",
    )
    *date, used_format = _dates(v, fmt, skip=date_format is not None and fmt is None)
    maps = [date, *map(v.number, RANGE_RULES), *map(v.category, UNKNOWN_RULES)]
    v.con.execute(
        f"""CREATE TEMP VIEW checked AS SELECT cells.*, {", ".join(c for c, _ in maps)},
        year(visit_date) - birth_year AS derived_age,
        age IS NULL AND derived_age IS NOT NULL AS age_derived,
        age_derived AND derived_age NOT BETWEEN 0 AND 120 AS derived_outside
        FROM cells{"".join(j for _, j in maps)}"""  # noqa: S608 -- names from the contract
    )
    today = today or dt.date.today()
    v.report(
        "future_date",
        f"this visit date is after today ({today.isoformat()})",
        "visit_date",
        f"visit_date > DATE '{today.isoformat()}'",
        source="checked",
    )
    low, high = BY_NAME["age"].minimum, BY_NAME["age"].maximum
    if "birth_year" in v.maps and ("age" not in v.maps or v.any("age", "age IS NULL")):
        v.report(
            "age_range",
            f"this birth year gives an age outside {low:g}-{high:g} at the visit",
            "birth_year",
            "derived_outside",
            source="checked",
            distinct=False,
        )
    _check_duplicates(v, texts["patient_id"])
    meta.update(decimal=v.decimal, date_format=used_format)
    if problems:
        return ReadResult(problems, name, **meta)
    sql = {**dict(zip(VISIT_COLUMNS, VISIT_COLUMNS, strict=True)), **texts}
    sql["age"] = "coalesce(age, derived_age)"  # derived from the birth year when not given
    types = {name: _SQL_TYPES[BY_NAME[name].kind] for name in VISIT_COLUMNS}
    visits = ", ".join(f"CAST({sql[n]} AS {types[n]}) AS {n}" for n in VISIT_COLUMNS)
    relation = v.con.sql(f"SELECT {visits}, row FROM checked")  # noqa: S608 -- in any order
    return ReadResult(problems, name, **meta, table=relation)


def _check_duplicates(v: _Validator, patient_id: str) -> None:
    """The same patient twice on one date is one visit written twice (looked for in the
    cells first when each date cell reads as its own date)."""
    if "visit_date" in v.maps:
        keys = ", ".join(v.keys("visit_date"))
        distinct = "SELECT count(*) = count(DISTINCT visit_date) FROM visit_date_map"
        twice = (
            f"SELECT 1 FROM cells WHERE {patient_id} IS NOT NULL "  # noqa: S608
            f"GROUP BY {patient_id}, {keys} HAVING count(*) > 1"
        )
        if v.con.execute(f"SELECT ({distinct}) AND NOT EXISTS ({twice})").fetchall()[0][0]:
            return
    visit = f"PARTITION BY {patient_id}, visit_date ORDER BY row"
    for row, patient, date, value, first in v.con.execute(
        f"""SELECT row, {patient_id}, visit_date, {v.cell.get("visit_date", "NULL")},
                   first_value(row) OVER ({visit})
            FROM checked WHERE {patient_id} IS NOT NULL AND visit_date IS NOT NULL
            QUALIFY row_number() OVER ({visit}) > 1
            ORDER BY row"""  # noqa: S608
    ).fetchall():
        v.problems.add(
            "duplicate_visit",
            f"patient '{patient}' already has a visit on {date.isoformat()} in row "
            f"{first}; a visit is one row per patient and date",
            row=row,
            column=v.header.get("visit_date", "visit_date"),
            value=value,
        )
