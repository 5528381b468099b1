"""Import a clinic's visit export (CSV or XLSX) into an embedded DuckDB store.

Three layers, each usable on its own:

- `read_export(data, filename)` is pure (no database, no secret): it checks what the file is,
  decodes it, sniffs the delimiter and decimal mark, maps English or Dutch headers through
  `analysis.clinic_schema`, validates every row and returns the canonical visits table, or a
  report of every problem (file, spreadsheet row, column, value, rule). Nothing is guessed: a
  date column that reads two ways in every row is refused until the format is named.
- `pseudonymise(visits, secret)` replaces the clinic's `patient_id` with `patient_key`, an
  HMAC-SHA256 of it under a per-installation secret (`secret_for()`, created on first use,
  kept outside the repository).
- `ClinicStore(db_path)` writes a validated file in one DuckDB transaction. Re-importing the
  same bytes adds nothing; an overlapping export adds new visits and updates changed ones (a
  visit is identified by patient and date); a visit missing from a later export is kept.
  Every import is recorded (`imports`) with what it did to each visit (`import_rows`) and the
  versions it replaced (`replaced_visits`), so undoing it restores the visits it added or
  changed to what they were before; that is refused while a later import still builds on the
  same visits (undo that one first).

Command line (exit 0 on success, 1 when the database refuses the operation, 2 for a refused
file or bad usage, with the problem report on stderr)::

    python -m analysis.clinic_store import FILE [--db PATH] [--date-format FMT]
    python -m analysis.clinic_store history [--db PATH]
    python -m analysis.clinic_store undo IMPORT_ID [--db PATH]

The database defaults to ``$RUGZICHT_DB`` or ``var/clinic.duckdb``; the secret to
``$RUGZICHT_SECRET_FILE`` or ``var/clinic_secret`` (both git-ignored, created with mode 0600).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import hashlib
import hmac
import io
import operator
import os
import re
import secrets
import sys
import threading
import time
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from analysis.clinic_schema import (
    BY_NAME,
    COLUMNS,
    HEADER_ALIASES,
    IDENTIFIER_HEADERS,
    REQUIRED,
    VALUE_ALIASES,
    normalise,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB_PATH = ROOT / "var" / "clinic.duckdb"
DEFAULT_SECRET_PATH = ROOT / "var" / "clinic_secret"

MAX_FILE_BYTES = 10 * 1024 * 1024  # what an upload may weigh
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # what an .xlsx (a zip archive) may unpack to
MAX_ROWS = 200_000  # data rows per file

# The canonical visit table, in this order (birth_year only fills in age and is not kept).
VISIT_COLUMNS: tuple[str, ...] = (
    "patient_id", "episode_id", "visit_date", "session_number", "pain_nrs",
    "complaint_duration", "sex", "age", "region", "odi", "rmdq", "treatment", "practitioner",
)  # fmt: skip
STORED_COLUMNS: tuple[str, ...] = ("patient_key", *VISIT_COLUMNS[1:])
PROBLEM_COLUMNS: tuple[str, ...] = ("row", "column", "value", "rule", "message")
assert set(VISIT_COLUMNS) == {c.name for c in COLUMNS} - {"birth_year"}, "clinic_schema changed"

_DTYPES = {"text": "str", "category": "str", "date": "datetime64[us]", "integer": "Int64"}
_DTYPES["number"] = "float64"

RANGE_RULES = {
    "pain_nrs": "pain_range",
    "odi": "odi_range",
    "rmdq": "rmdq_range",
    "session_number": "session_range",
    "age": "age_range",
    "birth_year": "birth_year_range",
}
UNKNOWN_RULES = {
    "complaint_duration": "unknown_duration",
    "sex": "unknown_sex",
    "region": "unknown_region",
}

# Content signatures of files people upload by mistake.
_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old-style Excel (.xls) or Word file; save it as .xlsx or CSV",
}
_ZIP = b"PK\x03\x04"
_TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_DELIMITERS = (";", ",", "\t", "|")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------------------------
# Reading and validating an export (pure)


@dataclass(frozen=True)
class ReadResult:
    """What `read_export` made of a file: the canonical visits, or the problems that stop it."""

    visits: pd.DataFrame | None
    problems: pd.DataFrame
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

    @property
    def rows_with_problems(self) -> int:
        """How many data rows have at least one problem (header problems not counted)."""
        rows = self.problems["row"].dropna()
        return int(rows[rows > (self.header_row or 1)].nunique())

    @property
    def ok(self) -> bool:
        return self.visits is not None and self.problems.empty


def empty_problems() -> pd.DataFrame:
    """A problem report with no problems (the shape every report has)."""
    return _problem_frame([])


def _problem_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=list(PROBLEM_COLUMNS))
    return frame.astype(
        {"row": "Int64", "column": "str", "value": "str", "rule": "str", "message": "str"}
    )


def _show(value: object, limit: int = 80) -> str:
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


class _Problems:
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
        shown = None if value is None else _show(value)
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


@dataclass
class _Table:
    """A sheet as read: header cells, data rows (cells: None, str, int, float or datetime)."""

    header: list[str]
    rows: list[list[object]]
    row_numbers: list[int]
    header_row: int
    file_type: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def _cell(value: object) -> object:
    """One cell, tidied: blank -> None, text stripped; numbers and dates kept as they are."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float | dt.datetime):
        if isinstance(value, float) and value != value:  # NaN
            return None
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return str(value).strip() or None  # times, durations, anything else: as text


def _file_type(data: bytes, filename: str, problems: _Problems) -> str | None:
    """'csv' or 'xlsx' when name and content agree, else None with the reason recorded."""
    suffix = Path(filename).suffix.lower()
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            problems.add("file_type", f"this is {what}, not a CSV or .xlsx table")
            return None
    is_zip = data.startswith(_ZIP)
    if suffix == ".xlsx":
        if is_zip:
            return "xlsx"
        problems.add("file_type", "the file is named .xlsx but is not an Excel workbook")
        return None
    if suffix in _TEXT_SUFFIXES:
        if is_zip:
            problems.add(
                "file_type",
                f"the file is named {suffix} but is a ZIP archive (an Excel workbook?); "
                "name it .xlsx or save it as CSV",
            )
            return None
        return "csv"
    problems.add(
        "file_type",
        f"only .csv and .xlsx files can be imported (this one is called '{filename}')",
    )
    return None


def _decode(data: bytes) -> tuple[str, str] | None:
    """Text and encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    attempts = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "cp1252")
    for encoding in attempts:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _sniff_delimiter(line: str) -> str:
    """The candidate that splits the header line into the most fields (';' wins ties)."""
    best, best_count = ",", 1
    for candidate in _DELIMITERS:
        try:
            count = len(next(csv.reader([line], delimiter=candidate), []))
        except csv.Error:  # e.g. a field longer than the csv module's limit
            continue
        if count > best_count:
            best, best_count = candidate, count
    return best


def _looks_like_utf16(data: bytes) -> bool:
    """Whether NUL bytes sit in every other position, as in UTF-16 text saved without a BOM
    (so the owner is told about the encoding rather than about 'binary data')."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return False
    zeros = sorted((even.count(0) / len(even), odd.count(0) / len(odd)))
    return zeros[0] < 0.1 and zeros[1] > 0.9


def _report_encoding(data: bytes, problems: _Problems) -> None:
    """Name the row of the first byte that breaks the encoding: a UTF-8 file (the BOM says so)
    with Windows-1252 text pasted in, or a byte that neither encoding has."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.add("encoding", "the file says it is UTF-16 but is not; save it as 'CSV UTF-8'")
        return
    has_bom = data.startswith(codecs.BOM_UTF8)
    try:
        data.decode("utf-8" if has_bom else "cp1252")
        row = None
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
    if has_bom:
        text = (
            "the file starts with the UTF-8 marker (BOM) but this row is not UTF-8 text "
            "(Windows-1252 characters such as é or €?); save the whole file from Excel as "
            "'CSV UTF-8'"
        )
    else:
        text = (
            "the file is neither UTF-8 nor Windows-1252 (cp1252) text; save it from Excel "
            "as 'CSV UTF-8'"
        )
    problems.add("encoding", text, row=row)


def _ends_inside_quotes(text: str, delimiter: str) -> bool:
    """Whether the text ends inside a quoted cell: a stray quote made the lenient reader take
    the rest of the file as one cell, silently losing the rows after it."""
    if '"' not in text:
        return False
    strict = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for _ in strict:
            pass
    except csv.Error as exc:  # strict mode also stops at other quirks: only this one counts
        return "unexpected end of data" in str(exc)
    return False


class _TidyCells(dict):
    """CSV field -> the field stripped, or None when blank. Each distinct field is tidied once
    and its text shared by every row that repeats it: an export repeats the same dates, scores
    and words thousands of times, and a text object per cell costs about 60 bytes."""

    LIMIT = 500_000  # distinct fields remembered; past that, start again (sharing is optional)

    def __missing__(self, value: str) -> str | None:
        if len(self) >= self.LIMIT:
            self.clear()
        tidy = self[value] = value.strip() or None
        return tidy


def _blank_text_row(cells: tuple) -> bool:
    return cells.count(None) == len(cells)


def _blank_row(cells: list) -> bool:
    return all(cell is None for cell in cells)


def _split_rows(numbered, blank, header_text, problems: _Problems, what: str):
    """(header, header row, data rows, their row numbers) from (row number, cells) pairs: blank
    rows are skipped and the first other row is the header; None (with a problem) past
    MAX_ROWS."""
    header: list[str] | None = None
    header_row = 0
    rows: list = []
    row_numbers: list[int] = []
    for number, cells in numbered:
        if blank(cells):
            continue
        if header is None:
            header = ["" if cell is None else header_text(cell) for cell in cells]
            header_row = number
            continue
        rows.append(cells)
        row_numbers.append(number)
        if len(rows) > MAX_ROWS:
            problems.add(
                "too_many_rows",
                f"the {what} has more than {MAX_ROWS:,} rows; split it into smaller exports",
            )
            return None
    return header, header_row, rows, row_numbers


def _read_csv(data: bytes, problems: _Problems) -> _Table | None:
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _looks_like_utf16(data):
            problems.add(
                "encoding",
                "the file is UTF-16 text without the byte-order mark that says so; save it "
                "from Excel as 'CSV UTF-8'",
            )
        else:
            problems.add("file_type", "the file contains binary data; it is not a CSV table")
        return None
    decoded = _decode(data)
    if decoded is None:
        _report_encoding(data, problems)
        return None
    text, encoding = decoded
    text = text.lstrip("\ufeff")
    controls = len(_CONTROL.findall(text))
    if controls and controls > len(text) / 100:
        problems.add("file_type", "the file contains control characters; it is not a CSV table")
        return None
    if not text.strip():
        problems.add("empty_file", "the file is empty")
        return None

    lines = text.splitlines()
    delimiter = None
    skip_first = False
    first = next((line for line in lines if line.strip()), "")
    hint = re.fullmatch(r'"?sep=(.)"?', first.strip())
    if hint and lines and lines[0].strip() == first.strip():  # Excel's "sep=;" first line
        delimiter, skip_first = hint.group(1), True
        first = next((line for line in lines[1:] if line.strip()), "")
    if delimiter is None:
        delimiter = _sniff_delimiter(first)
    del lines  # a copy of every line is not needed while reading

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    tidy = _TidyCells()
    # Text only (no _cell()); a tuple of texts, which the garbage collector stops tracking,
    # where a million lists would make every collection walk them all.
    numbered = (
        (number, tuple(map(tidy.__getitem__, record)))
        for number, record in enumerate(reader, start=0 if skip_first else 1)
        if number
    )
    try:
        split = _split_rows(numbered, _blank_text_row, str, problems, "file")
    except csv.Error as exc:
        problems.add("csv_syntax", f"the file cannot be read as CSV ({exc})", row=reader.line_num)
        return None
    if split is None:
        return None
    header, header_row, rows, row_numbers = split
    if header is None:
        problems.add("empty_file", "the file is empty")
        return None
    if _ends_inside_quotes(text, delimiter):
        problems.add(
            "csv_syntax",
            'a quote (") opens a cell in this row and is never closed, so everything after it '
            "was read as that one cell; remove the stray quote or close it",
            row=row_numbers[-1] if rows else header_row,
        )
        return None
    return _Table(header, rows, row_numbers, header_row, "csv", encoding, delimiter)


def _read_xlsx(data: bytes, problems: _Problems) -> _Table | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        problems.add("file_type", f"the file is not a readable .xlsx workbook ({exc})")
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        problems.add(
            "file_too_large",
            f"the workbook unpacks to {unpacked / 1e6:.0f} MB; the limit is "
            f"{MAX_UNPACKED_BYTES // 2**20} MB",
        )
        return None

    import openpyxl  # only needed for workbooks

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        problems.add("file_type", f"the file cannot be opened as an .xlsx workbook ({exc})")
        return None
    try:
        return _read_sheet(book, problems)
    except Exception as exc:  # a damaged sheet surfaces while iterating
        problems.add("file_type", f"the workbook cannot be read ({type(exc).__name__}: {exc})")
        return None
    finally:
        book.close()


def _read_sheet(book, problems: _Problems) -> _Table | None:
    def non_empty(sheet) -> bool:
        for values in sheet.iter_rows(values_only=True):
            if any(_cell(v) is not None for v in values):
                return True
        return False

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        filled = [sheet for sheet in book.worksheets if non_empty(sheet)]
        if not filled:
            problems.add("empty_file", "the workbook is empty")
            return None
        if len(filled) > 1:
            names = ", ".join(f"'{sheet.title}'" for sheet in filled)
            problems.add(
                "several_sheets",
                f"the workbook has {len(filled)} sheets with data ({names}); keep the visits on "
                "one sheet and delete or empty the others",
            )
            return None
        sheet = filled[0]
        numbered = (
            (number, [_cell(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        split = _split_rows(
            numbered, _blank_row, lambda cell: _show(cell, 10_000), problems, "sheet"
        )
    if split is None:
        return None
    header, header_row, rows, row_numbers = split
    assert header is not None
    return _Table(header, rows, row_numbers, header_row, "xlsx", sheet=sheet.title)


def _identifier_kind(key: str) -> str | None:
    """The kind of direct identifier a normalised header names ('name', 'e-mail', ...)."""
    if key in IDENTIFIER_HEADERS:
        return IDENTIFIER_HEADERS[key]
    squashed = key.replace("_", "")
    if squashed in IDENTIFIER_HEADERS:
        return IDENTIFIER_HEADERS[squashed]
    for token in key.split("_"):
        if token in IDENTIFIER_HEADERS:
            return IDENTIFIER_HEADERS[token]
    return None


def _accepted_headers(name: str) -> str:
    spellings = [alias for alias, target in HEADER_ALIASES.items() if target == name]
    return ", ".join(dict.fromkeys([name, *spellings]))


def _map_header(table: _Table, problems: _Problems) -> tuple[dict[str, int], list[str]]:
    """Canonical column -> position; refused identifier and duplicate columns are reported."""
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    row = table.header_row
    for position, name in enumerate(table.header):
        key = normalise(name)
        if not key:
            continue
        canonical = HEADER_ALIASES.get(key)
        if canonical is None:
            kind = _identifier_kind(key)
            if kind is not None:
                problems.add(
                    "identifier_column",
                    f"this column looks like a direct identifier ({kind}); Rugzicht never stores "
                    "names, e-mail addresses, phone numbers, addresses, BSNs or dates of birth. "
                    "Delete the column from the export and import it again",
                    row=row,
                    column=name,
                )
            else:
                ignored.append(name)
            continue
        if canonical in mapping:
            first = table.header[mapping[canonical]]
            problems.add(
                "duplicate_column",
                f"this column and column '{first}' both mean {canonical}; keep one of them",
                row=row,
                column=name,
            )
            continue
        mapping[canonical] = position
    for name in REQUIRED:
        if name not in mapping:
            problems.add(
                "missing_column",
                f"the required column {name} is missing ({BY_NAME[name].description} "
                f"Accepted headers: {_accepted_headers(name)})",
                row=row,
                column=name,
            )
    return mapping, ignored


_NUMBER = {
    ".": r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)",
    ",": r"[+-]?(?:\d+(?:,\d*)?|,\d+)",
}
_DECIMAL_EVIDENCE = {".": r"[+-]?\d*\.\d+", ",": r"[+-]?\d*,\d+"}
_NUMERIC = ("pain_nrs", "odi", "rmdq", "session_number", "age", "birth_year")


def _all_text(raw: pd.Series) -> pd.Series | None:
    """The column as "str" when every cell is text or missing (always so in a CSV), converted
    by Arrow in one pass; None when some cell is a number or a date."""
    try:
        cells = pa.array(raw.to_numpy(dtype=object), type=pa.large_string(), from_pandas=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return pd.Series(cells, index=raw.index, dtype="str")


def _texts(raw: pd.Series) -> pd.Series:
    """The text cells of a column (numbers and dates from a workbook are missing here)."""
    fast = _all_text(raw)
    if fast is not None:
        return fast
    return pd.Series([v if isinstance(v, str) else None for v in raw], index=raw.index, dtype="str")


def _as_text(raw: pd.Series) -> pd.Series:
    """Every cell as text (workbook numbers without a spurious '.0')."""
    fast = _all_text(raw)
    if fast is not None:
        return fast
    cells = [v if v is None or isinstance(v, str) else _show(v, 10_000) for v in raw]
    return pd.Series(cells, index=raw.index, dtype="str")


def _per_value(texts: pd.Series, convert) -> pd.Series:
    """`convert` (Series -> Series) applied once per distinct value, spread back over the rows
    (an export repeats the same dates and words thousands of times). Missing stays missing."""
    codes, uniques = pd.factorize(texts)
    converted = convert(pd.Series(uniques, dtype=texts.dtype)).reset_index(drop=True)
    # reindex gives NA for code -1 (missing); when nothing is missing a take is the same, quicker
    complete = len(codes) and codes.min() >= 0
    spread = converted.take(codes) if complete else converted.reindex(codes)
    spread.index = texts.index
    return spread


def _sniff_decimal(columns: dict[str, pd.Series], delimiter: str | None) -> str:
    """The decimal mark most numbers in the file use ('.' when the file shows none)."""
    counts = dict.fromkeys(_DECIMAL_EVIDENCE, 0)
    for name in _NUMERIC:
        if name in columns:
            texts = _texts(columns[name]).str.strip()
            for mark, pattern in _DECIMAL_EVIDENCE.items():
                counts[mark] += int(texts.str.fullmatch(pattern).sum())
    if counts[","] > counts["."] or (counts[","] == counts["."] > 0 and delimiter == ";"):
        return ","
    return "."


class _Validator:
    """Turns the raw columns of one table into canonical typed columns, reporting problems."""

    def __init__(self, table: _Table, mapping: dict[str, int], problems: _Problems):
        self.problems = problems
        self.row_numbers = table.row_numbers
        self.raw: dict[str, pd.Series] = {}
        narrowest = min(map(len, table.rows), default=0)
        for name, position in mapping.items():
            if position < narrowest:  # every row has this field: pick it out at C speed
                cells = list(map(operator.itemgetter(position), table.rows))
            else:
                cells = [row[position] if position < len(row) else None for row in table.rows]
            self.raw[name] = pd.Series(cells, dtype=object)
        self.header = {name: table.header[position] for name, position in mapping.items()}
        self.decimal = "."
        self.text_only = table.file_type == "csv"  # no numeric or date cells

    def report(self, rule: str, text: str, column: str, mask: pd.Series, values=None) -> None:
        """One problem per row where `mask` holds (values default to the raw cells)."""
        hits = mask[mask.fillna(False).astype(bool)].index
        if len(hits) and values is None:
            values = self.raw[column]
        for position in hits:
            self.problems.add(
                rule,
                text,
                row=self.row_numbers[position],
                column=self.header.get(column, column),
                value=values[position],
            )

    def kind_mask(self, name: str, kind) -> pd.Series:
        """Where a workbook column holds cells of `kind` (numbers, dates); never in a CSV."""
        raw = self.raw[name]
        if self.text_only:
            return pd.Series(False, index=raw.index)
        return raw.map(lambda value: isinstance(value, kind))

    def missing(self, name: str) -> pd.Series:
        return self.raw[name].isna()

    def required_present(self, name: str) -> None:
        if name in REQUIRED and name in self.raw:
            mask = self.missing(name)
            for position in mask[mask].index:
                self.problems.add(
                    "missing_value",
                    f"{name} is required in every row and is empty here",
                    row=self.row_numbers[position],
                    column=self.header[name],
                )

    def text(self, name: str) -> pd.Series:
        if name not in self.raw:
            return pd.Series([None] * len(self.row_numbers), dtype="str")
        self.required_present(name)
        return _as_text(self.raw[name])

    def category(self, name: str) -> pd.Series:
        if name not in self.raw:
            return pd.Series([None] * len(self.row_numbers), dtype="str")
        self.required_present(name)
        aliases = VALUE_ALIASES[name]
        texts = _as_text(self.raw[name])
        codes = _per_value(
            texts, lambda u: u.map(lambda v: aliases.get(normalise(v))).astype("str")
        ).astype("str")
        allowed = BY_NAME[name].categories
        also = sorted(set(aliases) - set(allowed))
        self.report(
            UNKNOWN_RULES[name],
            f"unknown {name.replace('_', ' ')}; expected one of {', '.join(allowed)} "
            f"(also accepted: {', '.join(also)})",
            name,
            texts.notna() & codes.isna(),
        )
        return codes

    def number(self, name: str) -> pd.Series:
        """Numbers: text in the file's decimal mark, or numeric workbook cells."""
        if name not in self.raw:
            return pd.Series([float("nan")] * len(self.row_numbers), dtype="float64")
        self.required_present(name)
        raw = self.raw[name]
        texts = _texts(raw).str.strip()
        ok_text = texts.str.fullmatch(_NUMBER[self.decimal])
        other = "," if self.decimal == "." else "."
        other_mark = texts.str.fullmatch(_DECIMAL_EVIDENCE[other]) & ~ok_text
        values = _per_value(  # scores and ages repeat: convert each distinct text once
            texts.where(ok_text).str.replace(",", ".", regex=False),
            lambda unique: pd.to_numeric(unique, errors="coerce").astype("float64"),
        ).astype("float64")
        is_number = self.kind_mask(name, int | float)
        values = values.mask(is_number, raw.where(is_number).astype("float64"))
        marks = {".": "a decimal point", ",": "a decimal comma"}
        self.report(
            "mixed_decimal",
            f"this number uses {marks[other]} while the rest of the file uses "
            f"{marks[self.decimal]}; use one decimal mark throughout",
            name,
            other_mark,
        )
        self.report(
            "not_a_number",
            f"{name} must be a number",
            name,
            raw.notna() & values.isna() & ~other_mark,
        )
        column = BY_NAME[name]
        if column.kind == "integer":
            fractional = values.notna() & (values % 1 != 0)
            self.report("not_a_whole_number", f"{name} must be a whole number", name, fractional)
            values = values.mask(fractional)
        low, high = column.minimum, column.maximum
        outside = values.notna() & ((values < low) | (values > high))
        self.report(
            RANGE_RULES[name],
            f"{name} must be between {low:g} and {high:g}",
            name,
            outside,
        )
        return values.mask(outside)


@dataclass(frozen=True)
class _DateFormat:
    code: str  # strptime form, shown to the owner and accepted by --date-format
    order: str  # "ymd", "dmy" or "mdy"
    sep: str

    @property
    def human(self) -> str:
        names = {"d": "dd", "m": "mm", "y": "yyyy"}
        return self.sep.join(names[part] for part in self.order)


_DATE_FORMATS = (
    _DateFormat("%Y-%m-%d", "ymd", "-"),
    _DateFormat("%Y/%m/%d", "ymd", "/"),
    _DateFormat("%d-%m-%Y", "dmy", "-"),
    _DateFormat("%d/%m/%Y", "dmy", "/"),
    _DateFormat("%d.%m.%Y", "dmy", "."),
    _DateFormat("%m-%d-%Y", "mdy", "-"),
    _DateFormat("%m/%d/%Y", "mdy", "/"),
    _DateFormat("%m.%d.%Y", "mdy", "."),
)
_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$"
_YEAR_FIRST = r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"
_YEAR_LAST = r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})"
_EARLIEST = pd.Timestamp("1900-01-01")


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


def _parse_with(texts: pd.Series, fmt: _DateFormat) -> pd.Series:
    pattern = _YEAR_FIRST if fmt.order == "ymd" else _YEAR_LAST
    parts = texts.str.extract(f"^{pattern}$")
    parts = parts.where(parts[1] == fmt.sep)
    index = {"ymd": (0, 2, 3), "dmy": (3, 2, 0), "mdy": (3, 0, 2)}[fmt.order]
    ymd = pd.DataFrame(
        {
            "year": pd.to_numeric(parts[index[0]]),
            "month": pd.to_numeric(parts[index[1]]),
            "day": pd.to_numeric(parts[index[2]]),
        }
    )
    return pd.to_datetime(ymd, errors="coerce").astype("datetime64[us]")


def _dates(v: _Validator, date_format: str | None) -> tuple[pd.Series, str | None]:
    """The visit dates and the format read: real workbook dates, or one text format for all."""
    name = "visit_date"
    n = len(v.row_numbers)
    result = pd.Series([pd.NaT] * n, dtype="datetime64[us]")
    if name not in v.raw:
        return result, None
    v.required_present(name)
    raw = v.raw[name]
    header = v.header[name]
    is_date = v.kind_mask(name, dt.datetime)
    if is_date.any():
        stamps = pd.to_datetime(raw.where(is_date)).astype("datetime64[us]").dt.normalize()
        result = result.mask(is_date, stamps)
    is_number = v.kind_mask(name, int | float)
    v.report(
        "bad_date",
        "this is a number, not a date; format the column as dates in Excel",
        name,
        is_number,
    )
    full = _texts(raw)
    texts = full.str.replace(_TIME_SUFFIX, "", regex=True).str.strip()
    has_text = texts.notna()
    used = "excel dates" if is_date.any() else None
    if has_text.any():
        if date_format is not None:
            try:
                parsed = pd.to_datetime(full, format=date_format, errors="coerce")
                parsed = parsed.fillna(pd.to_datetime(texts, format=date_format, errors="coerce"))
            except ValueError as exc:
                v.problems.add(
                    "bad_date_format",
                    f"the date format '{date_format}' cannot be used ({exc})",
                    column=header,
                )
                return result, None
            parsed = parsed.astype("datetime64[us]").dt.normalize()
            v.report(
                "bad_date",
                f"this date does not match the format you named ({date_format})",
                name,
                has_text & parsed.isna(),
            )
            used = date_format
        else:
            parsed, used = _infer_dates(v, texts, has_text, header)
        result = result.mask(has_text, parsed)
    early = result.notna() & (result < _EARLIEST)
    v.report("bad_date", "dates before 1900 are not plausible visit dates", name, early)
    return result.mask(early), used


def _infer_dates(
    v: _Validator, texts: pd.Series, has_text: pd.Series, header: str
) -> tuple[pd.Series, str | None]:
    name = "visit_date"
    readings = {
        fmt: _per_value(texts, lambda u, fmt=fmt: _parse_with(u, fmt)).astype("datetime64[us]")
        for fmt in _DATE_FORMATS
    }
    counts = {fmt: int(parsed.notna().sum()) for fmt, parsed in readings.items()}
    most = max(counts.values())
    accepted = ", ".join(dict.fromkeys(f.human for f in _DATE_FORMATS if f.order != "mdy"))
    if most == 0:
        v.report(
            "bad_date",
            f"this is not a date Rugzicht can read (accepted: {accepted}, or real Excel dates; "
            "name another format with --date-format)",
            name,
            has_text,
        )
        return readings[_DATE_FORMATS[0]], None
    best = next(fmt for fmt in _DATE_FORMATS if counts[fmt] == most)
    chosen = readings[best]
    for rival in _DATE_FORMATS:
        other = readings[rival]
        if rival is best or counts[rival] != most:
            continue
        same_rows = bool((other.notna() == chosen.notna()).all())
        if same_rows and bool((other != chosen)[chosen.notna()].any()):
            example = texts[(other != chosen) & chosen.notna()].iloc[0]
            v.problems.add(
                "ambiguous_dates",
                f"every date in this column can be read both as {best.human} and as "
                f"{rival.human} (day and month are 12 or less in every row), so "
                f"'{example}' could mean two different days. Rugzicht does not guess: name the "
                f"format, e.g. --date-format {best.code} or --date-format {rival.code}",
                column=header,
                value=example,
            )
            return chosen.where(chosen.isna()), None
    unread = has_text & chosen.isna()
    other_format = pd.Series(False, index=texts.index)
    for fmt, parsed in readings.items():
        if fmt is not best:
            other_format |= unread & parsed.notna()
    v.report(
        "mixed_date_formats",
        f"this date is written differently from the rest of the column ({best.human}); "
        "use one date format throughout",
        name,
        other_format,
    )
    v.report(
        "bad_date",
        f"this is not a date in the column's format ({best.human})",
        name,
        unread & ~other_format,
    )
    return chosen, best.code


def read_export(
    data: bytes,
    filename: str,
    date_format: str | None = None,
    today: dt.date | None = None,
) -> ReadResult:
    """Read and validate a clinic export (CSV or XLSX bytes) against the contract.

    Never raises on bad input: everything wrong with the file comes back in `problems` (one row
    per problem, spreadsheet row numbers with the header as row 1) and `visits` is then None.
    """
    name = Path(filename).name or "upload"
    problems = _Problems(name)

    def stop(**kwargs) -> ReadResult:
        return ReadResult(None, problems.frame(), name, **kwargs)

    if len(data) > MAX_FILE_BYTES:
        problems.add(
            "file_too_large",
            f"the file is {len(data) / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB",
        )
        return stop()
    if not data.strip():
        problems.add("empty_file", "the file is empty")
        return stop()
    kind = _file_type(data, name, problems)
    if kind is None:
        return stop()
    table = _read_xlsx(data, problems) if kind == "xlsx" else _read_csv(data, problems)
    if table is None:
        return stop(file_type=kind)

    fmt = None
    if date_format is not None:
        fmt = strptime_format(date_format)
        if fmt is None:
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
        "rows_read": len(table.rows),
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
        return stop(**meta)

    v = _Validator(table, mapping, problems)
    if kind == "csv":
        _check_widths(table, problems)
    v.decimal = _sniff_decimal(v.raw, table.delimiter)
    columns: dict[str, pd.Series] = {}
    columns["patient_id"] = v.text("patient_id")
    at_signs = columns["patient_id"].str.contains("@", regex=False).fillna(False)
    v.report(
        "identifier_value",
        "this patient id looks like an e-mail address; use the clinic's own patient number",
        "patient_id",
        at_signs.astype(bool),
    )
    columns["episode_id"] = v.text("episode_id")
    if date_format is not None and fmt is None:  # an unusable format: reported above
        visit_date = pd.Series([pd.NaT] * len(table.rows), dtype="datetime64[us]")
        used_format = None
    else:
        visit_date, used_format = _dates(v, fmt)
    columns["visit_date"] = visit_date
    for number in ("session_number", "pain_nrs", "odi", "rmdq", "age", "birth_year"):
        columns[number] = v.number(number)
    for category in ("complaint_duration", "sex", "region"):
        columns[category] = v.category(category)
    for text in ("treatment", "practitioner"):
        columns[text] = v.text(text)

    today = today or dt.date.today()
    future = visit_date > pd.Timestamp(today)
    v.report(
        "future_date",
        f"this visit date is after today ({today.isoformat()})",
        "visit_date",
        future,
    )
    _fill_age(v, columns)
    _check_duplicates(v, columns)
    meta["decimal"] = v.decimal
    meta["date_format"] = used_format
    if problems:
        return stop(**meta)
    visits = pd.DataFrame({col: columns[col] for col in VISIT_COLUMNS})
    visits = visits.astype({col: _DTYPES[BY_NAME[col].kind] for col in VISIT_COLUMNS})
    return ReadResult(visits, empty_problems(), name, **meta)


def _check_widths(table: _Table, problems: _Problems) -> None:
    """Rows with more filled fields than the header has columns (often unquoted decimal commas
    in a comma-separated file), and one-field rows that another delimiter would split (the
    header and the rows use different delimiters), are reported; otherwise missing trailing
    fields count as empty cells."""
    width = len(table.header)
    lengths = set(map(len, table.rows))
    if max(lengths, default=0) <= width and (width <= 1 or 1 not in lengths):
        return  # every row fits the header (the usual case): no row to look at
    for cells, number in zip(table.rows, table.row_numbers, strict=True):
        if len(cells) > width and any(cell is not None for cell in cells[width:]):
            hint = ""
            if table.delimiter == ",":
                hint = (
                    "; numbers with a decimal comma must be quoted in a comma-separated file, "
                    "or use ';' as the delimiter"
                )
            problems.add(
                "field_count",
                f"this row has {len(cells)} fields but the header has {width}{hint}",
                row=number,
            )
        elif len(cells) == 1 < width and cells[0] is not None:
            other = _sniff_delimiter(str(cells[0]))
            if other != table.delimiter and other in str(cells[0]):
                problems.add(
                    "field_count",
                    f"this row is one field, but the header has {width} columns separated by "
                    f"'{table.delimiter}'; this row seems to be separated by '{other}'. Use one "
                    "delimiter throughout the file",
                    row=number,
                )


def _fill_age(v: _Validator, columns: dict[str, pd.Series]) -> None:
    """Age from birth year where age is missing: visit year minus birth year."""
    birth_year = columns.pop("birth_year")
    years = columns["visit_date"].dt.year.astype("float64")
    derived = years - birth_year
    use = columns["age"].isna() & derived.notna()
    low, high = BY_NAME["age"].minimum, BY_NAME["age"].maximum
    outside = use & ((derived < low) | (derived > high))
    v.report(
        "age_range",
        f"this birth year gives an age outside {low:g}-{high:g} at the visit",
        "birth_year",
        outside,
    )
    columns["age"] = columns["age"].mask(use & ~outside, derived)


def _check_duplicates(v: _Validator, columns: dict[str, pd.Series]) -> None:
    """The same patient twice on one date is one visit written twice."""
    keys = pd.DataFrame({"patient": columns["patient_id"], "date": columns["visit_date"]})
    valid = keys.notna().all(axis=1)
    keys = keys[valid]
    repeated = keys.duplicated(keep="first")
    if not repeated.any():
        return
    first_row = {
        (patient, date): v.row_numbers[position]
        for position, patient, date in keys[~repeated].itertuples()
    }
    for position, patient, date in keys[repeated].itertuples():
        v.problems.add(
            "duplicate_visit",
            f"patient '{patient}' already has a visit on {date.date().isoformat()} in row "
            f"{first_row[(patient, date)]}; a visit is one row per patient and date",
            row=v.row_numbers[position],
            column=v.header.get("visit_date", "visit_date"),
            value=v.raw["visit_date"][position],
        )


def contract_markdown() -> str:
    """The import contract as a Markdown table, generated from `clinic_schema` (the README
    carries this text; a test keeps the two the same)."""
    lines = [
        "| column | required | what it holds | values | other accepted headers |",
        "|---|---|---|---|---|",
    ]
    for column in COLUMNS:
        if column.categories:
            aliases = VALUE_ALIASES[column.name]
            also = [a.replace("_", " ") for a in aliases if a not in column.categories]
            values = ", ".join(f"`{c}`" for c in column.categories)
            values += f" (also {', '.join(also)})"
        elif column.minimum is not None:
            kind = "whole number" if column.kind == "integer" else "number"
            values = f"{kind} {column.minimum:g}-{column.maximum:g}"
        elif column.kind == "date":
            values = "dd-mm-yyyy, d-m-yyyy, yyyy-mm-dd or an Excel date"
        else:
            values = "text"
        headers = [a for a, target in HEADER_ALIASES.items() if target == column.name]
        headers = [a for a in headers if a != column.name]
        lines.append(
            f"| `{column.name}` | {'yes' if column.required else 'no'} | {column.description} "
            f"| {values} | {', '.join(headers) or '-'} |"
        )
    return "\n".join(lines)


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


# --------------------------------------------------------------------------------------------
# Pseudonymising


def secret_for(path: Path | None = None) -> bytes:
    """The installation's secret for patient keys, created (mode 0600) on first use.

    Looked up at `path`, else ``$RUGZICHT_SECRET_FILE``, else ``var/clinic_secret``. Losing it
    means the same patient gets a new key, so keep it with the database backups (never in git).
    """
    if path is None:
        path = Path(os.environ.get("RUGZICHT_SECRET_FILE") or DEFAULT_SECRET_PATH)
    path = Path(path)
    if not path.exists():
        _create_secret(path)
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < 16:
        raise ClinicStoreError(
            f"the secret file {path} is damaged (expected 64 hexadecimal characters); restore "
            "it from a backup, or point RUGZICHT_SECRET_FILE at the right file"
        )
    return secret


def _create_secret(path: Path) -> None:
    """Write a new secret so that it appears whole or not at all: written to a private file
    beside `path`, then hard-linked into place, which fails if another thread or process got
    there first (that secret is then the one used)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another thread or process created it meanwhile: use theirs
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def patient_key(patient_id: str, secret: bytes) -> str:
    """The stored stand-in for a patient id: HMAC-SHA256 under the secret, 16 hex characters."""
    return hmac.digest(secret, patient_id.encode("utf-8"), "sha256").hex()[:16]


def pseudonymise(visits: pd.DataFrame, secret: bytes) -> pd.DataFrame:
    """`visits` with `patient_id` replaced by `patient_key` (first column)."""
    if not secret:
        raise ValueError("an empty secret would make patient keys guessable")
    ids = visits["patient_id"]
    keys = _per_value(ids, lambda unique: unique.map(lambda pid: patient_key(str(pid), secret)))
    out = visits.drop(columns="patient_id")
    out.insert(0, "patient_key", keys.astype("str"))
    return out


# --------------------------------------------------------------------------------------------
# The store


class ClinicStoreError(RuntimeError):
    """The clinic database cannot do what was asked; the message says why, in plain words."""


class ClinicDatabaseBusy(ClinicStoreError):
    """Another program (or another import) holds the clinic database."""


@dataclass(frozen=True)
class ImportResult:
    """The outcome of one `import_file` call."""

    import_id: int | None
    filename: str
    file_sha256: str
    rows_added: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    already_imported: bool = False
    problems: pd.DataFrame = field(default_factory=empty_problems)

    @property
    def ok(self) -> bool:
        return self.problems.empty

    def summary(self) -> str:
        if not self.ok:
            rows = f" in {self.rows_rejected} data row(s)" if self.rows_rejected else ""
            return (
                f"Refused {self.filename}: {len(self.problems)} problem(s){rows}; "
                "nothing was written."
            )
        if self.already_imported:
            return (
                f"{self.filename} was already imported (import {self.import_id}); "
                "nothing was added."
            )
        return (
            f"Imported {self.filename} as import {self.import_id}: {self.rows_added} added, "
            f"{self.rows_updated} updated, {self.rows_unchanged} unchanged, "
            f"{self.rows_rejected} rejected."
        )


_SQL_TYPES = {"text": "VARCHAR", "category": "VARCHAR", "date": "DATE", "integer": "INTEGER"}
_SQL_TYPES["number"] = "DOUBLE"


def _column_ddl(name: str) -> str:
    """A visit column's SQL definition from the contract: type, NOT NULL, range or categories."""
    if name == "patient_key":
        return "patient_key VARCHAR NOT NULL"
    column = BY_NAME[name]
    parts = [name, _SQL_TYPES[column.kind]]
    if column.required:
        parts.append("NOT NULL")
    if column.minimum is not None:
        parts.append(f"CHECK ({name} BETWEEN {column.minimum:g} AND {column.maximum:g})")
    if column.categories:
        allowed = ", ".join(f"'{c}'" for c in column.categories)
        parts.append(f"CHECK ({name} IN ({allowed}))")
    return " ".join(parts)


_VISIT_DDL = ",\n    ".join(_column_ddl(name) for name in STORED_COLUMNS)
_COLS = ", ".join(STORED_COLUMNS)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,          -- UTC
    filename VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    active_sha256 VARCHAR UNIQUE,            -- file_sha256 until undone, then NULL
    rows_in_file INTEGER NOT NULL,
    rows_added INTEGER NOT NULL,
    rows_updated INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    date_format VARCHAR,
    undone_at TIMESTAMP                      -- UTC
);
CREATE TABLE IF NOT EXISTS visits (
    {_VISIT_DDL},
    import_id INTEGER NOT NULL,              -- the import that wrote this version
    PRIMARY KEY (patient_key, visit_date)
);
-- Versions an import replaced, so that undoing it can put them back.
CREATE TABLE IF NOT EXISTS replaced_visits (
    replaced_by INTEGER NOT NULL,
    {_VISIT_DDL},
    import_id INTEGER NOT NULL
);
-- What each import did to each visit of its file: added, updated or unchanged.
CREATE TABLE IF NOT EXISTS import_rows (
    import_id INTEGER NOT NULL,
    patient_key VARCHAR NOT NULL,
    visit_date DATE NOT NULL,
    action VARCHAR NOT NULL CHECK (action IN ('added', 'updated', 'unchanged'))
);
"""  # noqa: S608 -- column names and limits come from clinic_schema, never from a file

HISTORY_COLUMNS = (
    "import_id", "imported_at", "filename", "file_sha256", "rows_added", "rows_updated",
    "rows_rejected", "undone_at",
)  # fmt: skip
_SECRET_CHECK = b"rugzicht: which secret filled this database"
_write_locks: dict[Path, threading.Lock] = {}
_open_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def default_db_path() -> Path:
    """``$RUGZICHT_DB`` when set, else ``var/clinic.duckdb`` in the project folder."""
    return Path(os.environ.get("RUGZICHT_DB") or DEFAULT_DB_PATH)


def _write_lock(path: Path) -> threading.Lock:
    """One writer at a time per database inside this process (imports and undos)."""
    with _locks_guard:
        return _write_locks.setdefault(path.resolve(), threading.Lock())


def _open_lock(path: Path) -> threading.Lock:
    """Opening and closing connections to one file, one thread at a time: DuckDB shares one
    database instance per file within a process, and two threads opening it at the same moment
    can collide ("Unique file handle conflict")."""
    with _locks_guard:
        return _open_locks.setdefault(path.resolve(), threading.Lock())


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _empty_visits() -> pd.DataFrame:
    columns = {"patient_key": pd.Series(dtype="str")}
    for name in STORED_COLUMNS[1:]:
        columns[name] = pd.Series(dtype=_DTYPES[BY_NAME[name].kind])
    return pd.DataFrame(columns)


def _stage(con: duckdb.DuckDBPyConnection, staged: pd.DataFrame) -> dict[str, int]:
    """Compare the file's visits with the stored ones: each is added, updated or unchanged."""
    con.register("staged_frame", staged)
    casts = ", ".join(
        f"CAST({name} AS {_SQL_TYPES[BY_NAME[name].kind]}) AS {name}"
        if name != "patient_key"
        else name
        for name in STORED_COLUMNS
    )
    same = " AND ".join(f"s.{name} IS NOT DISTINCT FROM v.{name}" for name in STORED_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE incoming AS
        WITH s AS (SELECT {casts} FROM staged_frame)
        SELECT s.*,
               CASE WHEN v.patient_key IS NULL THEN 'added'
                    WHEN {same} THEN 'unchanged'
                    ELSE 'updated' END AS action
        FROM s LEFT JOIN visits v
          ON v.patient_key = s.patient_key AND v.visit_date = s.visit_date
    """)  # noqa: S608 -- names from clinic_schema
    con.unregister("staged_frame")
    counts = dict(con.execute("SELECT action, count(*) FROM incoming GROUP BY action").fetchall())
    return {action: int(counts.get(action, 0)) for action in ("added", "updated", "unchanged")}


def _write_visits(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Keep the versions being replaced, then write the added and updated visits."""
    con.execute(
        f"""INSERT INTO replaced_visits
            SELECT ?, {", ".join("v." + c for c in STORED_COLUMNS)}, v.import_id
            FROM visits v JOIN incoming i
              ON v.patient_key = i.patient_key AND v.visit_date = i.visit_date
            WHERE i.action = 'updated'""",  # noqa: S608 -- names from clinic_schema
        [import_id],
    )
    con.execute("""
        DELETE FROM visits USING incoming i
        WHERE visits.patient_key = i.patient_key AND visits.visit_date = i.visit_date
          AND i.action = 'updated'
    """)
    con.execute(
        f"INSERT INTO visits SELECT {_COLS}, ? FROM incoming "  # noqa: S608
        "WHERE action IN ('added', 'updated')",
        [import_id],
    )


def _log_rows(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Record what the import did to each visit of its file (what undo works from)."""
    con.execute(
        "INSERT INTO import_rows SELECT ?, patient_key, visit_date, action FROM incoming",
        [import_id],
    )


class ClinicStore:
    """The clinic's visits in one DuckDB file: atomic, idempotent imports, history and undo.

    Every method opens its own short-lived connection, so one store can be shared by threads
    (Streamlit reruns) and the file is free for other programs between operations.
    """

    def __init__(
        self,
        db_path: Path | str | None = None,
        *,
        secret_path: Path | str | None = None,
        busy_timeout: float = 3.0,
    ):
        self.db_path = Path(db_path) if db_path is not None else default_db_path()
        self.secret_path = Path(secret_path) if secret_path is not None else None
        self.busy_timeout = busy_timeout

    # -- connections ------------------------------------------------------------------------

    @contextmanager
    def _connect(self, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """A connection, or None when the database does not exist and `create` is False.

        A lock held by another process is waited for up to `busy_timeout` seconds, then
        reported as `ClinicDatabaseBusy` instead of DuckDB's IO error."""
        path = self.db_path
        new = not path.exists()
        if new:
            if not create:
                yield None
                return
            path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.busy_timeout
        guard = _open_lock(path)
        while True:
            try:
                with guard:
                    con = duckdb.connect(str(path))
                break
            except duckdb.IOException as exc:
                text = str(exc)
                if "lock" not in text.lower():
                    raise ClinicStoreError(
                        f"the clinic database {path} cannot be opened: {text}"
                    ) from None
                if time.monotonic() >= deadline:
                    held = re.search(r"Conflicting lock is held in (.*?)(?:\. See|$)", text)
                    by = f" ({held.group(1)})" if held else ""
                    raise ClinicDatabaseBusy(
                        f"the clinic database {path} is in use by another program{by}; close "
                        "it (or wait for its import to finish) and try again"
                    ) from None
                time.sleep(0.1)
            except duckdb.ConnectionException as exc:
                raise ClinicDatabaseBusy(
                    f"the clinic database {path} is open elsewhere in this program with "
                    f"other settings ({exc}); try again"
                ) from None
        try:
            if new:
                os.chmod(path, 0o600)  # pseudonymised health data: owner only
            yield con
        finally:
            with guard:
                con.close()

    def _has_schema(self, con: duckdb.DuckDBPyConnection) -> bool:
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_name IN ('imports', 'visits')"
        ).fetchall()[0]
        return bool(found and found[0] == 2)

    # -- reading ----------------------------------------------------------------------------

    def history(self) -> pd.DataFrame:
        """Every import, oldest first (times in UTC; undone ones keep their row)."""
        query = f"SELECT {', '.join(HISTORY_COLUMNS)} FROM imports ORDER BY import_id"  # noqa: S608
        with self._connect() as con:
            rows = con.execute(query).df() if con and self._has_schema(con) else None
        if rows is None:
            rows = pd.DataFrame({name: [] for name in HISTORY_COLUMNS})
        types = {name: "Int64" for name in HISTORY_COLUMNS if name.startswith("rows_")}
        types |= {"import_id": "Int64", "filename": "str", "file_sha256": "str"}
        types |= {"imported_at": "datetime64[us]", "undone_at": "datetime64[us]"}
        return rows.astype(types)

    def visits(self) -> pd.DataFrame:
        """The stored visits: patient_key, then the canonical columns (no patient_id).

        Read through Arrow (dates as timestamps): DuckDB's own pandas conversion makes a
        Python object of every text cell, several times slower for a large clinic."""
        columns = _COLS.replace("visit_date", "CAST(visit_date AS TIMESTAMP) AS visit_date")
        query = f"SELECT {columns} FROM visits ORDER BY patient_key, visit_date"  # noqa: S608
        with self._connect() as con:
            has_rows = con is not None and self._has_schema(con)
            rows = con.sql(query).to_arrow_table().to_pandas() if has_rows else None
        if rows is None:
            return _empty_visits()
        return rows.astype(_empty_visits().dtypes.to_dict())

    def has_data(self) -> bool:
        with self._connect() as con:
            if con is None or not self._has_schema(con):
                return False
            found = _one(con, "SELECT count(*) FROM visits")
        return bool(found and found[0] > 0)

    def _active_import(self, con, sha: str) -> int | None:
        found = _one(con, "SELECT import_id FROM imports WHERE active_sha256 = ?", [sha])
        return int(found[0]) if found else None

    # -- writing ----------------------------------------------------------------------------

    def import_file(
        self,
        data: bytes,
        filename: str,
        date_format: str | None = None,
        *,
        today: dt.date | None = None,
    ) -> ImportResult:
        """Validate the whole file, then write it in one transaction (or write nothing).

        The same bytes imported again are reported as already imported; an overlapping export
        adds its new visits and updates the changed ones."""
        sha = hashlib.sha256(data).hexdigest()
        name = Path(filename).name or "upload"
        with self._connect() as con:
            if con is not None and self._has_schema(con):
                existing = self._active_import(con, sha)
                if existing is not None:
                    return ImportResult(existing, name, sha, already_imported=True)

        read = read_export(data, name, date_format, today)
        if not read.ok:
            rejected = read.rows_with_problems
            return ImportResult(None, name, sha, rows_rejected=rejected, problems=read.problems)

        secret = secret_for(self.secret_path)
        staged = pseudonymise(read.visits, secret)
        check = hmac.new(secret, _SECRET_CHECK, hashlib.sha256).hexdigest()[:16]
        with _write_lock(self.db_path), self._connect(create=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(SCHEMA)
                self._check_secret(con, check)
                existing = self._active_import(con, sha)
                if existing is not None:
                    con.execute("ROLLBACK")
                    return ImportResult(existing, name, sha, already_imported=True)
                found = _one(con, "SELECT coalesce(max(import_id), 0) + 1 FROM imports")
                import_id = int(found[0])
                counts = _stage(con, staged)
                con.execute(
                    "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    [
                        import_id, _utcnow(), name, sha, sha, read.rows_read, counts["added"],
                        counts["updated"], counts["unchanged"], 0, read.date_format,
                    ],
                )  # fmt: skip
                _write_visits(con, import_id)
                _log_rows(con, import_id)
                con.execute("DROP TABLE incoming")
                con.execute("COMMIT")
            except BaseException as exc:
                _rollback(con)
                if isinstance(exc, duckdb.TransactionException):
                    raise ClinicDatabaseBusy(
                        "another import changed the clinic database at the same time; nothing "
                        "was written, try again"
                    ) from exc
                raise
        return ImportResult(
            import_id,
            name,
            sha,
            rows_added=counts["added"],
            rows_updated=counts["updated"],
            rows_unchanged=counts["unchanged"],
        )

    def _check_secret(self, con: duckdb.DuckDBPyConnection, check: str) -> None:
        """Refuse to mix patient keys made with two different secrets in one database."""
        found = _one(con, "SELECT value FROM meta WHERE key = 'secret_check'")
        if found is None:
            con.execute("INSERT INTO meta VALUES ('secret_check', ?)", [check])
        elif found[0] != check:
            raise ClinicStoreError(
                f"the clinic database {self.db_path} was filled using a different secret, so "
                "the same patient would get two keys. Point RUGZICHT_SECRET_FILE at the secret "
                "used before (or start a new database)"
            )

    def undo(self, import_id: int) -> None:
        """Restore the visits as they were before `import_id`: remove what it added, put back
        what it updated. Refused while a later import still builds on the same visits."""
        with _write_lock(self.db_path), self._connect() as con:
            if con is None or not self._has_schema(con):
                raise ClinicStoreError(f"there is no import {import_id}: nothing was imported")
            con.execute("BEGIN TRANSACTION")
            try:
                self._undo(con, int(import_id))
                con.execute("COMMIT")
            except BaseException:
                _rollback(con)
                raise

    def _undo(self, con: duckdb.DuckDBPyConnection, import_id: int) -> None:
        found = _one(
            con, "SELECT filename, undone_at FROM imports WHERE import_id = ?", [import_id]
        )
        if found is None:
            raise ClinicStoreError(f"there is no import {import_id}; `history` lists the imports")
        if found[1] is not None:
            raise ClinicStoreError(
                f"import {import_id} ({found[0]}) was already undone on {found[1]:%Y-%m-%d %H:%M}"
                " UTC"
            )
        later = con.execute(
            """SELECT DISTINCT other.import_id
               FROM import_rows mine
               JOIN import_rows other
                 ON other.patient_key = mine.patient_key AND other.visit_date = mine.visit_date
               JOIN imports i ON i.import_id = other.import_id
               WHERE mine.import_id = ? AND mine.action IN ('added', 'updated')
                 AND other.import_id > ? AND i.undone_at IS NULL
               ORDER BY 1""",
            [import_id, import_id],
        ).fetchall()
        if later:
            ids = ", ".join(str(row[0]) for row in later)
            raise ClinicStoreError(
                f"import {import_id} cannot be undone on its own: later import(s) {ids} "
                "changed or re-imported some of the same visits. Undo those first, newest first"
            )
        con.execute(
            """DELETE FROM visits USING import_rows r
               WHERE r.import_id = ? AND r.action IN ('added', 'updated')
                 AND visits.patient_key = r.patient_key AND visits.visit_date = r.visit_date""",
            [import_id],
        )
        con.execute(
            f"INSERT INTO visits SELECT {_COLS}, import_id FROM replaced_visits "  # noqa: S608
            "WHERE replaced_by = ?",
            [import_id],
        )
        con.execute(
            "UPDATE imports SET undone_at = ?, active_sha256 = NULL WHERE import_id = ?",
            [_utcnow(), import_id],
        )


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, reading the result to its end (DuckDB 2.0 refuses other work
    on a connection while a result is unfinished)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open (a failed COMMIT has already ended it)."""
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")


# --------------------------------------------------------------------------------------------
# Command line


def _history_text(history: pd.DataFrame) -> str:
    if history.empty:
        return "No imports yet."
    shown = history.assign(
        file_sha256=history["file_sha256"].str.slice(0, 12),
        imported_at=history["imported_at"].dt.strftime("%Y-%m-%d %H:%M"),
        undone_at=history["undone_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
    )
    return shown.to_string(index=False) + "\n(times in UTC)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analysis.clinic_store",
        description="Import a clinic's visit export into the clinic database, list the imports, "
        "or undo one.",
    )
    parser.add_argument("--db", type=Path, help="database file (default: $RUGZICHT_DB or var/)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_import = sub.add_parser("import", help="validate a CSV or XLSX export and import it")
    p_import.add_argument("file", type=Path)
    p_import.add_argument(
        "--date-format", help="how dates are written, e.g. %%d-%%m-%%Y or dd-mm-yyyy"
    )
    p_history = sub.add_parser("history", help="list the imports")
    sub.add_parser("contract", help="print the import contract as a Markdown table")
    p_undo = sub.add_parser("undo", help="undo one import")
    p_undo.add_argument("import_id", type=int)
    for p in (p_import, p_history, p_undo):
        p.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    args = parser.parse_args(argv)
    store = ClinicStore(args.db)
    try:
        if args.command == "import":
            try:
                data = args.file.read_bytes()
            except OSError as exc:
                print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
                return 2
            result = store.import_file(data, args.file.name, args.date_format)
            if not result.ok:
                print(result.summary(), file=sys.stderr)
                print(format_report(result.problems, limit=None), file=sys.stderr)
                return 2
            print(result.summary())
        elif args.command == "history":
            print(_history_text(store.history()))
        elif args.command == "contract":
            print(contract_markdown())
        else:
            store.undo(args.import_id)
            row = store.history().set_index("import_id").loc[args.import_id]
            print(
                f"Undid import {args.import_id} ({row['filename']}): removed the visits it "
                f"added ({row['rows_added']}) and restored the ones it updated "
                f"({row['rows_updated']})."
            )
    except ClinicStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
