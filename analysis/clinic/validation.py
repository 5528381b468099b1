"""Validating an export against the contract: headers mapped through the English and Dutch
aliases, every value parsed and checked (numbers, categories, dates; nothing guessed, so a date
column that reads two ways is refused until the format is named), and `read_export`, which turns
a file's bytes into the canonical visits table or a report of every problem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

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
from analysis.clinic.problems import Problems, empty_problems, show

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


def _map_header(table: Table, problems: Problems) -> tuple[dict[str, int], list[str]]:
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
    if raw.dtype == "str":  # a CSV column as read
        return raw
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
    cells = [v if v is None or isinstance(v, str) else show(v, 10_000) for v in raw]
    return pd.Series(cells, index=raw.index, dtype="str")


def per_value(texts: pd.Series, convert) -> pd.Series:
    """`convert` (Series -> Series) applied once per distinct value, spread back over the rows
    (an export repeats the same dates and words thousands of times). Missing stays missing."""
    codes, uniques = pd.factorize(texts)
    converted = convert(pd.Series(uniques, dtype=texts.dtype)).reset_index(drop=True)
    # reindex gives NA for code -1 (missing); when nothing is missing a take is the same, quicker
    complete = len(codes) and codes.min() >= 0
    spread = converted.take(codes) if complete else converted.reindex(codes)
    spread.index = texts.index
    return spread


def _spread(values, codes: np.ndarray, missing) -> pd.Series:
    """Values of the distinct cells spread back over the rows (code -1, a missing cell, takes
    `missing`)."""
    values = np.asarray(values)
    return pd.Series(np.append(values, np.array([missing], dtype=values.dtype))[codes])


def _sniff_decimal(v: _Validator, delimiter: str | None) -> str:
    """The decimal mark most numbers in the file use ('.' when the file shows none)."""
    counts = dict.fromkeys(_DECIMAL_EVIDENCE, 0)
    for name in _NUMERIC:
        if name in v.raw:
            codes, texts = v.distinct(name)
            weights = np.bincount(codes[codes >= 0], minlength=len(texts))
            for mark, pattern in _DECIMAL_EVIDENCE.items():
                counts[mark] += int(weights[texts.str.fullmatch(pattern).to_numpy(bool)].sum())
    if counts[","] > counts["."] or (counts[","] == counts["."] > 0 and delimiter == ";"):
        return ","
    return "."


class _Validator:
    """Turns the raw columns of one table into canonical typed columns, reporting problems."""

    def __init__(self, table: Table, mapping: dict[str, int], problems: Problems):
        self.problems = problems
        self.row_numbers = table.row_numbers
        self.raw = {name: table.columns[position] for name, position in mapping.items()}
        self.header = {name: table.header[position] for name, position in mapping.items()}
        self.decimal = "."
        self.text_only = table.file_type == "csv"  # no numeric or date cells
        self._distinct: dict[str, tuple[np.ndarray, pd.Series]] = {}

    def distinct(self, name: str) -> tuple[np.ndarray, pd.Series]:
        """The column's text cells as codes into its distinct texts (stripped; first seen
        first): an export repeats the same scores and dates thousands of times, so the rules
        run on the distinct texts and `_spread` carries their results back to the rows."""
        if name not in self._distinct:
            codes, uniques = pd.factorize(_texts(self.raw[name]))
            self._distinct[name] = (codes, pd.Series(uniques, dtype="str").str.strip())
        return self._distinct[name]

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
        codes = per_value(
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
        codes, texts = self.distinct(name)
        ok_text = texts.str.fullmatch(_NUMBER[self.decimal]).to_numpy(bool)
        other = "," if self.decimal == "." else "."
        other_mark = texts.str.fullmatch(_DECIMAL_EVIDENCE[other]).to_numpy(bool) & ~ok_text
        numbers = texts.where(ok_text).str.replace(",", ".", regex=False)
        values = _spread(pd.to_numeric(numbers, errors="coerce").astype("float64"), codes, np.nan)
        other_mark = _spread(other_mark, codes, False)
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
    codes, full = v.distinct(name)  # each distinct date text is parsed once
    texts = full.str.replace(_TIME_SUFFIX, "", regex=True).str.strip()
    has_text = _spread(texts.notna(), codes, False)
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
            parsed = _spread(parsed.astype("datetime64[us]").dt.normalize(), codes, "NaT")
            v.report(
                "bad_date",
                f"this date does not match the format you named ({date_format})",
                name,
                has_text & parsed.isna(),
            )
            used = date_format
        else:
            parsed, used = _infer_dates(v, texts, codes, has_text, header)
        result = result.mask(has_text, parsed)
    early = result.notna() & (result < _EARLIEST)
    v.report("bad_date", "dates before 1900 are not plausible visit dates", name, early)
    return result.mask(early), used


def _infer_dates(
    v: _Validator, texts: pd.Series, codes: np.ndarray, has_text: pd.Series, header: str
) -> tuple[pd.Series, str | None]:
    """The format that reads the most rows; `texts` are the distinct date texts, `codes` the
    rows' indexes into them."""
    name = "visit_date"
    weights = np.bincount(codes[codes >= 0], minlength=len(texts))
    readings = {fmt: _parse_with(texts, fmt) for fmt in _DATE_FORMATS}
    counts = {fmt: int(weights[parsed.notna()].sum()) for fmt, parsed in readings.items()}
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
        return _spread(readings[_DATE_FORMATS[0]], codes, "NaT"), None
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
            return _spread(chosen.where(chosen.isna()), codes, "NaT"), None
    chosen = _spread(chosen, codes, "NaT")
    unread = has_text & chosen.isna()
    other_format = pd.Series(False, index=unread.index)
    for fmt, parsed in readings.items():
        if fmt is not best:
            other_format |= unread & _spread(parsed.notna(), codes, False)
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
    problems = Problems(name)

    def stop(**kwargs) -> ReadResult:
        return ReadResult(None, problems.frame(), name, **kwargs)

    kind, table = read_table(data, name, problems)
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
        "rows_read": len(table.row_numbers),
        "header_row": table.header_row,
        "sheet": table.sheet,
        "ignored_columns": tuple(ignored),
    }
    if not len(table.row_numbers):
        problems.add(
            "no_rows",
            "the file has a header but no visits below it",
            row=table.header_row + 1,
        )
        return stop(**meta)

    v = _Validator(table, mapping, problems)
    if kind == "csv":
        check_widths(table, problems)
    v.decimal = _sniff_decimal(v, table.delimiter)
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
        visit_date = pd.Series([pd.NaT] * len(table.row_numbers), dtype="datetime64[us]")
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
    visits = visits.astype({col: DTYPES[BY_NAME[col].kind] for col in VISIT_COLUMNS})
    return ReadResult(visits, empty_problems(), name, **meta)


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
