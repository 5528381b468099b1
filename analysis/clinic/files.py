"""Reading an uploaded file into a table of cells: what the file is (CSV or XLSX, by name and
content), its size limits, encoding, delimiter, rows and header, refusing whatever is unreadable.
The cells go into a DuckDB table (`Table`), where the validation works on them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import tempfile
import warnings
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb

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
_CONTROL = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_WS = "'" + "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "'"  # str.strip's


@dataclass
class Table:
    """A sheet as read. Its data rows are `con`'s `cells` (for a CSV a view): the row number
    (`row`), every cell as text (`c0`, `c1`, ...: stripped, blank cells NULL; a workbook's numbers
    and dates as `show` writes them, their kind, 'n' or 'd', in `k0`, `k1`, ...) and, when some
    CSV row may not fit the header, the row's number of fields (`fields`)."""

    con: duckdb.DuckDBPyConnection
    header: list[str]
    rows: int
    width: int  # cell columns: at least one per header cell, more when rows are longer
    header_row: int
    file_type: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    lengths: bool = False  # whether `cells` has the `fields` column

    def records(self) -> list[tuple]:
        """Every data row, (row, c0, c1, ...[, fields]), in file order (for tests)."""
        return self.con.execute("SELECT * FROM cells ORDER BY row").fetchall()


def _cell(value: object) -> tuple[str | None, str | None]:
    """A workbook cell as text (stripped, blank -> None; numbers and dates as `show` writes them)
    and its kind: 'n' for a number, 'd' for a date, None for text (times, durations, TRUE...)."""
    if isinstance(value, bool):
        return str(value).upper(), None
    if isinstance(value, int | float) and value == value:  # (NaN is blank)
        return show(value, 10_000), "n"
    if isinstance(value, dt.date):  # a date or a datetime
        return show(value, 10_000), "d"
    if value is None or isinstance(value, float):  # blank, or NaN
        return None, None
    return str(value).strip() or None, None  # text, times, durations...


def read_table(
    data: bytes, filename: str, problems: Problems, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[str | None, Table | None]:
    """The file's type ('csv' or 'xlsx', None when refused) and its table (None when refused,
    with the reasons in `problems`), its cells in temporary tables of `con` (the store's own
    connection, so that the visits are written where they were read; else a new one)."""
    if len(data) > MAX_FILE_BYTES:
        problems.add(
            "file_too_large",
            f"the file is {len(data) / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB",
        )
        return None, None
    if data.isspace() or not data:
        problems.add("empty_file", "the file is empty")
        return None, None
    kind = _file_type(data, filename, problems)
    if kind is None:
        return None, None
    con = duckdb.connect() if con is None else con
    table = _read_xlsx(data, problems, con) if kind == "xlsx" else _read_csv(data, problems, con)
    return kind, table


def _file_type(data: bytes, filename: str, problems: Problems) -> str | None:
    """'csv' or 'xlsx' when name and content agree, else None with the reason recorded."""
    suffix = Path(filename).suffix.lower()
    kind = "xlsx" if suffix == ".xlsx" else "csv" if suffix in _TEXT_SUFFIXES else None
    what = next((what for sign, what in _SIGNATURES.items() if data.startswith(sign)), None)
    if what is not None:
        reason = f"this is {what}, not a CSV or .xlsx table"
    elif kind is None:
        reason = f"only .csv and .xlsx files can be imported (this one is called '{filename}')"
    elif (kind == "xlsx") == data.startswith(_ZIP):
        return kind
    elif kind == "xlsx":
        reason = "the file is named .xlsx but is not an Excel workbook"
    else:
        reason = (
            f"the file is named {suffix} but is a ZIP archive (an Excel workbook?); "
            "name it .xlsx or save it as CSV"
        )
    problems.add("file_type", reason)
    return None


def _decode(data: bytes, problems: Problems) -> tuple[str, str] | None:
    """Text and encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252. None
    when it is neither, with the reason: NUL bytes (UTF-16 saved without a BOM, when they sit in
    every other position, else binary data), or the row of the first byte that breaks the
    encoding (a UTF-8 file, the BOM says so, with Windows-1252 text pasted in, or a byte that
    neither encoding has)."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    bom = data.startswith(codecs.BOM_UTF8)
    if b"\x00" in data and not utf16:
        even, odd = data[:4096:2], data[1:4096:2]
        zeros = sorted((even.count(0) / len(even), odd.count(0) / max(len(odd), 1)))
        if len(odd) >= 2 and zeros[0] < 0.1 and zeros[1] > 0.9:
            problems.add(
                "encoding",
                "the file is UTF-16 text without the byte-order mark that says so; save it "
                "from Excel as 'CSV UTF-8'",
            )
        else:
            problems.add("file_type", "the file contains binary data; it is not a CSV table")
        return None
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig",) if bom else ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            row = None if utf16 else exc.object.count(b"\n", 0, exc.start) + 1
    if utf16:
        text = "the file says it is UTF-16 but is not; save it as 'CSV UTF-8'"
    elif bom:
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
    return None


def _sniff_delimiter(line: str) -> str:
    """The candidate that splits the header line into the most fields (';' wins ties)."""
    counts = {}
    for candidate in _DELIMITERS:
        with suppress(csv.Error):  # e.g. a field longer than the csv module's limit
            counts[candidate] = len(next(csv.reader([line], delimiter=candidate), []))
    best = max(counts, key=counts.__getitem__, default=",")
    return best if counts.get(best, 0) > 1 else ","


def _dialect(text: str) -> tuple[str, bool, int]:
    """Delimiter (Excel's "sep=;" first line, else sniffed from the first non-blank line),
    whether that "sep=" line is to be skipped, and the header's width."""
    head = text[: 1 << 20]
    first = next((line for line in head.splitlines() if line.strip()), "")
    hint = re.fullmatch(r'"?sep=(.)"?', first.strip())
    skip_first = bool(hint) and head.splitlines()[0].strip() == first.strip()
    delimiter = hint.group(1) if skip_first else _sniff_delimiter(first)
    records = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    with suppress(csv.Error):
        filled = (r for r in itertools.islice(records, skip_first, None) if any(map(str.strip, r)))
        return delimiter, skip_first, max(len(next(filled, [])), 1)
    return delimiter, skip_first, 1


def _duckdb_cells(con, path: str, delimiter: str, width: int, strict: bool) -> int | None:
    """Every record's fields as text into table `raw` (columns c0..., in file order; how many
    records, None when DuckDB cannot read it so): DuckDB's reader with the dialect given (nothing
    sniffed or typed), short rows padded with nulls, empty lines skipped. Strict (and parallel),
    it refuses a row longer than `width`, an open quote, a line break inside quotes or a line
    over 11 MB (more than a file within the size cap holds; DuckDB's buffers are smaller and read
    faster); otherwise it reads one record after the other, lines up to 100 MB."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    flag, longest = str(strict).lower(), 11e6 if strict else 1e8
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(?, delim = ?, "  # noqa: S608
            "header = false, auto_detect = false, all_varchar = true, quote = '\"', escape = '\"', "
            f"null_padding = true, strict_mode = {flag}, parallel = {flag}, "
            f"max_line_size = {longest}, columns = {{{columns}}})",
            [path, delimiter],
        )
    except duckdb.Error:
        return None
    return con.execute("SELECT count(*) FROM raw").fetchall()[0][0]


def _record_shapes(text: str, delimiter: str, first: int, problems: Problems):
    """Row numbers and field counts of the non-empty records, by Python's CSV reader (a pass
    over the records, not the cells); None with a problem when the text is not CSV or ends
    inside a quote (a lenient reader would read the rest of the file as one cell)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        shapes = [(n, len(r), any(map(str.strip, r))) for n, r in enumerate(reader, first) if r]
    except csv.Error as exc:
        problems.add("csv_syntax", f"the file cannot be read as CSV ({exc})", row=reader.line_num)
        return None
    strict = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for _ in strict if '"' in text else ():
            pass
    except csv.Error as exc:  # strict mode also stops at other quirks: only this one counts
        if "unexpected end of data" in str(exc):
            problems.add(
                "csv_syntax",
                'a quote (") opens a cell in this row and is never closed, so everything after '
                "it was read as that one cell; remove the stray quote or close it",
                row=max((n for n, _, filled in shapes if filled), default=None),
            )
            return None
    return [n for n, _, _ in shapes], [length for _, length, _ in shapes]


def _read_csv(data: bytes, problems: Problems, con) -> Table | None:
    decoded = _decode(data, problems)
    if decoded is None:
        return None
    text, encoding = decoded
    text = text.lstrip("\ufeff")
    utf8 = data if encoding.startswith("utf-8") else text.encode()  # what DuckDB reads
    controls = len(utf8) - len(utf8.translate(None, _CONTROL))
    if controls and controls > len(text) / 100:
        problems.add("file_type", "the file contains control characters; it is not a CSV table")
        return None
    if text.isspace() or not text:
        problems.add("empty_file", "the file is empty")
        return None
    delimiter, skip_first, width = _dialect(text)
    first = 0 if skip_first else 1  # Excel's "sep=" line is not a row of the sheet
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(utf8)
        handle.flush()
        # The usual export: one record per line, none wider than the header (else see the
        # records: a long row, an open quote...).
        read = _duckdb_cells(con, handle.name, delimiter, width, strict=True)
        lines = utf8.count(b"\n") + (not utf8.endswith(b"\n"))  # row N is line N when...
        if (
            read == lines  # ...no line is empty or inside quotes,
            and not re.search(rb"\r(?!\n)", utf8)  # ...no lone CR ends a line,
            and not _lone_fields(con, width, delimiter)  # ...and no row may be one lone field
        ):
            white = _white_ends(text, utf8, delimiter, controls)
            row = f"{first} + rowid"
            return _table(con, width, row, "raw", problems, encoding, delimiter, white=white)
        shapes = _record_shapes(text, delimiter, first, problems)
        if shapes is None:
            return None
        if read is None:  # whatever DuckDB cannot read at all is refused below
            width = max(width, *shapes[1], 1)
            read = _duckdb_cells(con, handle.name, delimiter, width, strict=False)
    if read != len(shapes[0]):
        problems.add("csv_syntax", "the file cannot be read as CSV (check its quotes)")
        return None
    con.execute(
        "CREATE TEMP TABLE shapes AS SELECT unnest(range(?)) AS pos, unnest(?::BIGINT[]) AS row, "
        "unnest(?::BIGINT[]) AS fields",
        [read, *shapes],
    )
    # The records with their rows, joined once into a table (not a view: every check would
    # join again below its own join with a column's map, and there DuckDB 2.0's hash join that
    # passes dictionaries through can raise an internal error, "dict-surviving cache/join").
    con.execute(
        "CREATE TEMP TABLE records AS SELECT * EXCLUDE (pos) "
        "FROM (SELECT rowid AS pos, * FROM raw) JOIN shapes USING (pos)"
    )
    return _table(con, width, "row", "records", problems, encoding, delimiter, lengths=True)


def _white_ends(text: str, utf8: bytes, delimiter: str, controls: int) -> bool:
    """Whether a cell of a file read one record per line may start or end with white space or a
    character past ASCII. False (no cell needs trimming) only for ASCII text with no control
    character, no quote, no tab unless it is the delimiter, and no space that starts the file
    or touches a delimiter or a line break."""
    if not text.isascii() or controls or '"' in text or text.startswith(" "):
        return True
    if delimiter != "\t" and "\t" in text:
        return True
    ends = re.escape(delimiter).encode()
    return bool(re.search(rb" (?:(?<=[%b\n] )|[%b\r\n]|\Z)" % (ends, ends), utf8))


def _lone_fields(con, width: int, delimiter: str) -> bool:
    """Whether a row has only a first field, holding another delimiter: only the records can
    tell one field from a first field followed by empty ones (see `check_widths`)."""
    if width < 2:
        return False
    others = "[" + re.escape("".join(d for d in _DELIMITERS if d != delimiter)) + "]"
    empty = " AND ".join(f"c{i} IS NULL" for i in range(1, width))
    query = f"SELECT count(*) FROM raw WHERE {empty} AND regexp_matches(c0, ?)"  # noqa: S608
    return con.execute(query, [others]).fetchall()[0][0] > 0


def _table(
    con, width, row, source, problems, encoding, delimiter, lengths=False, white=True
) -> Table | None:
    """View `cells` over DuckDB's records: cells stripped, blank cells NULL, blank rows skipped,
    the first row taken out as the header; the sheet refused when it is empty or longer than
    MAX_ROWS; cells trimmed only in the columns that need it (none unless some cell may start
    or end `white`). (The file order is in `row` from here on: queries order by it. The setting
    is global: in the store's connection it also holds for the store's reads, which all order.)"""
    con.execute("SET preserve_insertion_order = false")
    ends = ", ".join(  # whether a column may need trimming: an end white or not ASCII (slow:
        # asked of each distinct cell once)
        f"(SELECT bool_or(c < '!' OR c >= chr(127) OR reverse(c) < '!' OR reverse(c) >= "  # noqa: S608
        f"chr(127)) FROM (SELECT DISTINCT c{i} AS c FROM {source}))"
        for i in range(width)
    )
    trims = con.execute(f"SELECT {ends}").fetchall()[0] if white else [False] * width  # noqa: S608
    cells = [  # trimmed only where an end is white
        f"CASE WHEN contains({_WS}, c{i}[1]) OR contains({_WS}, c{i}[-1]) "
        f"THEN nullif(trim(c{i}, {_WS}), '') ELSE c{i} END AS c{i}"
        if trim
        else f"c{i}"
        for i, trim in enumerate(trims)
    ]
    filled = " OR ".join(f"c{i} IS NOT NULL" for i in range(width))
    con.execute(  # (a view: the cells are trimmed where they are read)
        f"CREATE TEMP VIEW lines AS SELECT * FROM (SELECT {row} AS row, {', '.join(cells)}"  # noqa: S608
        f"{', fields' if lengths else ''} FROM {source}) WHERE row > 0 AND ({filled})"
    )
    rows, *head = con.execute(
        "SELECT count(*), arg_min_null(COLUMNS(*), row) FROM lines"
    ).fetchall()[0]
    first = head[0]
    if not rows:
        problems.add("empty_file", "the file is empty")
        return None
    if _too_many_rows(rows - 1, "file", problems):
        return None
    con.execute(f"CREATE TEMP VIEW cells AS SELECT * FROM lines WHERE row > {first:d}")  # noqa: S608
    header = ["" if cell is None else cell for cell in head[1 : width + 1]]
    header = header[: head[-1]] if lengths else header
    return Table(con, header, rows - 1, width, first, "csv", encoding, delimiter, lengths=lengths)


def _too_many_rows(rows: int, what: str, problems: Problems) -> bool:
    """Whether a sheet has more data rows than MAX_ROWS (then reported: it is refused)."""
    if rows > MAX_ROWS:
        text = f"the {what} has more than {MAX_ROWS:,} rows; split it into smaller exports"
        problems.add("too_many_rows", text)
    return rows > MAX_ROWS


def _read_xlsx(data: bytes, problems: Problems, con) -> Table | None:
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

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
            problems.add("file_type", f"the file cannot be opened as an .xlsx workbook ({exc})")
            return None
        try:
            return _read_sheet(book, problems, con)
        except Exception as exc:  # a damaged sheet surfaces while iterating
            name = type(exc).__name__
            problems.add("file_type", f"the workbook cannot be read ({name}: {exc})")
            return None
        finally:
            book.close()


def _read_sheet(book, problems: Problems, con) -> Table | None:
    sheets = {
        sheet.title: [list(map(_cell, values)) for values in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }
    numbers = {
        title: [n for n, cells in enumerate(rows, 1) if any(text for text, _ in cells)]
        for title, rows in sheets.items()
    }
    filled = [title for title, found in numbers.items() if found]
    if len(filled) != 1:
        names = ", ".join(f"'{title}'" for title in filled)
        problems.add(
            *("several_sheets", f"the workbook has {len(filled)} sheets with data ({names}); keep "
              "the visits on one sheet and delete or empty the others")
            if filled else ("empty_file", "the workbook is empty")
        )  # fmt: skip
        return None
    rows, (head, *numbers) = sheets[filled[0]], numbers[filled[0]]
    if _too_many_rows(len(numbers), "sheet", problems):
        return None
    header = [show(text, 10_000) if text else "" for text, _ in rows[head - 1]]
    width = max(map(len, rows))
    lists: list[list] = [numbers]
    for i in range(width):
        cells = [rows[n - 1][i] if i < len(rows[n - 1]) else (None, None) for n in numbers]
        lists += [[text for text, _ in cells], [kind for _, kind in cells]]
    columns = ", ".join(f"unnest(?::VARCHAR[]) AS {x}{i}" for i in range(width) for x in "ck")
    con.execute(f"CREATE TEMP TABLE cells AS SELECT unnest(?::BIGINT[]) AS row, {columns}", lists)  # noqa: S608
    return Table(con, header, len(numbers), width, head, "xlsx", sheet=filled[0])


def check_widths(table: Table, problems: Problems) -> None:
    """Rows with more filled fields than the header has columns (often unquoted decimal commas
    in a comma-separated file), and one-field rows that another delimiter would split (the
    header and the rows use different delimiters), are reported; otherwise missing trailing
    fields count as empty cells."""
    width, delimiter = len(table.header), table.delimiter
    if not table.lengths:
        return  # DuckDB's strict read: every row fits the header and none is one lone field
    extra = " OR ".join(f"c{i} IS NOT NULL" for i in range(width, table.width)) or "false"
    hint = "; numbers with a decimal comma must be quoted in a comma-separated file, or use ';'"
    hint = f"{hint} as the delimiter" if delimiter == "," else ""
    for row, fields, cell in table.con.execute(
        f"SELECT row, fields, c0 FROM cells WHERE fields > {width} AND ({extra}) "  # noqa: S608
        f"OR fields = 1 AND {width} > 1 AND c0 IS NOT NULL ORDER BY row"
    ).fetchall():
        if fields > width:
            text = f"this row has {fields} fields but the header has {width}{hint}"
            problems.add("field_count", text, row=row)
        elif (other := _sniff_delimiter(cell)) != delimiter and other in cell:
            problems.add(
                "field_count",
                f"this row is one field, but the header has {width} columns separated by "
                f"'{delimiter}'; this row seems to be separated by '{other}'. Use one "
                "delimiter throughout the file",
                row=row,
            )
