"""Reading an uploaded file into a table of cells: what the file is (CSV or XLSX, by name and
content), its size limits, encoding, delimiter, rows and header, refusing whatever is unreadable.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from analysis.clinic.problems import Problems, show

MAX_FILE_BYTES = 10 * 1024 * 1024  # what an upload may weigh
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # what an .xlsx (a zip archive) may unpack to
MAX_ROWS = 200_000  # data rows per file

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


@dataclass
class Table:
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


def read_table(data: bytes, filename: str, problems: Problems) -> tuple[str | None, Table | None]:
    """The file's type ('csv' or 'xlsx', None when refused) and its table (None when refused,
    with the reasons in `problems`)."""
    if len(data) > MAX_FILE_BYTES:
        problems.add(
            "file_too_large",
            f"the file is {len(data) / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB",
        )
        return None, None
    if not data.strip():
        problems.add("empty_file", "the file is empty")
        return None, None
    kind = _file_type(data, filename, problems)
    if kind is None:
        return None, None
    table = _read_xlsx(data, problems) if kind == "xlsx" else _read_csv(data, problems)
    return kind, table


def _file_type(data: bytes, filename: str, problems: Problems) -> str | None:
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


def _report_encoding(data: bytes, problems: Problems) -> None:
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


def _split_rows(numbered, blank, header_text, problems: Problems, what: str):
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


def _read_csv(data: bytes, problems: Problems) -> Table | None:
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
    return Table(header, rows, row_numbers, header_row, "csv", encoding, delimiter)


def _read_xlsx(data: bytes, problems: Problems) -> Table | None:
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


def _read_sheet(book, problems: Problems) -> Table | None:
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
            numbered, _blank_row, lambda cell: show(cell, 10_000), problems, "sheet"
        )
    if split is None:
        return None
    header, header_row, rows, row_numbers = split
    assert header is not None
    return Table(header, rows, row_numbers, header_row, "xlsx", sheet=sheet.title)


def check_widths(table: Table, problems: Problems) -> None:
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
