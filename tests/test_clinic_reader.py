"""The CSV reading layer (analysis.clinic.files) on DuckDB's reader: cells, header and the
spreadsheet row numbers agree with Python's CSV module read record by record (the reference the
messages were written against), blank lines, quoted line breaks, short and long rows included;
a regular export is read without the record-by-record pass; and the command line's --help
loads none of the heavy libraries.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.clinic import files, read_export
from analysis.clinic.problems import Problems

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "pyarrow", "duckdb", "plotly", "streamlit", "scipy", "openpyxl")


def test_the_command_line_help_imports_no_heavy_library():
    """`python -m analysis.clinic --help` (and a usage error) answer without pandas, DuckDB...:
    `-X importtime` lists every module the process imported."""
    for args in (["--help"], ["import", "--help"], []):
        done = subprocess.run(  # noqa: S603 -- our own module
            [sys.executable, "-X", "importtime", "-m", "analysis.clinic", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == (2 if not args else 0), done.stderr[-2000:]
        imported = {
            line.split("|")[-1].strip()
            for line in done.stderr.splitlines()
            if line.startswith("import time:")
        }
        assert "analysis.clinic.cli" in imported
        heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
        assert heavy == [], f"{args}: {heavy}"


def test_the_public_api_still_loads_through_the_package():
    from analysis import clinic

    assert callable(clinic.read_export) and clinic.ClinicStore.__name__ == "ClinicStore"
    assert set(clinic.__all__) <= set(dir(clinic))
    with pytest.raises(AttributeError):
        clinic.no_such_name  # noqa: B018


def reference(text: str, delimiter: str, skip_first: bool):
    """What the reader must make of `text`: Python's csv module record by record, cells stripped
    (blank -> None), blank records skipped, the first other record the header."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    kept = []
    for number, record in enumerate(records, 0 if skip_first else 1):
        cells = [cell.strip() or None for cell in record]
        if number and any(cell is not None for cell in cells):
            kept.append((number, cells))
    (header_row, header), rows = kept[0], kept[1:]
    return header_row, ["" if c is None else c for c in header], rows


_FIELD = st.text(st.sampled_from(list('ab1é;,\t "\n')), max_size=6)
_RECORD = st.lists(_FIELD, min_size=1, max_size=6)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.sampled_from(["patientnr", "datum", "pijn", "x", "y"]), min_size=2,
                    max_size=5),
    records=st.lists(st.one_of(_RECORD, st.just([]), st.just(["", ""])), max_size=12),
    delimiter=st.sampled_from([";", ",", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    sep_line=st.booleans(),
)  # fmt: skip
def test_cells_and_row_numbers_match_the_record_by_record_reading(
    header, records, delimiter, newline, encoding, sep_line
):
    assume(not (sep_line and delimiter == "\t"))  # "sep=<tab>" strips to "sep=": not a hint
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    for record in [header, *records]:
        if record:
            writer.writerow(record)
        else:
            buffer.write(newline)  # a blank line
    text = (f"sep={delimiter}{newline}" if sep_line else "") + buffer.getvalue()
    problems = Problems("t.csv")
    kind, table = files.read_table(text.encode(encoding), "t.csv", problems)
    header_row, ref_header, rows = reference(text, delimiter, sep_line)
    if table is None:  # refused: only when there is nothing below the header
        assert set(problems.frame()["rule"]) == {"empty_file"} and not rows, problems.frame()
        return
    assert kind == "csv" and table.delimiter == delimiter
    assert (table.header_row, table.header) == (header_row, ref_header)
    records = table.records()  # (row, c0, c1, ...[, fields]) in file order
    assert [record[0] for record in records] == [number for number, _ in rows]
    width = len(ref_header)
    for record, (_number, cells) in zip(records, rows, strict=True):
        padded = (cells + [None] * width)[:width]
        assert list(record[1 : width + 1]) == padded
        others = [d for d in ";,\t|" if d != delimiter]
        lone = len(cells) == 1 < width and any(d in (cells[0] or "") for d in others)
        long = len(cells) > width and any(cell is not None for cell in cells[width:])
        if long or lone:  # what check_widths reports needs the exact field count
            assert table.lengths and record[-1] == len(cells)


def test_a_regular_export_is_read_without_the_record_by_record_pass(monkeypatch):
    """The usual export (one record per line, rows as wide as the header) is read by DuckDB
    alone; the Python pass is only for blank lines, quoted line breaks and ragged rows."""

    def never(*args):
        raise AssertionError("record-by-record pass used for a regular file")

    monkeypatch.setattr(files, "_record_shapes", never)
    data = (ROOT / "data" / "demo" / "sample_export.csv").read_bytes()
    result = read_export(data, "sample_export.csv")
    assert result.ok and result.rows_read == 4, result.problems["message"].tolist()


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", ""])
def test_white_at_either_end_of_any_cell_is_seen_before_the_cells_are_left_untrimmed(
    delimiter, newline
):
    """A regular export whose cells are ASCII and none starts or ends white is read without
    asking DuckDB about every cell's ends (`_white_ends` False); a space, tab or non-ASCII white
    at either end of any cell (first, last, header, the file's last) is seen, and stripped."""
    rows = [["patient", "datum", "pijn"], ["P1", "05-02-2024", "7"], ["P2", "06-02-2024", "8"]]

    def text(rows):
        return (newline or "\n").join(delimiter.join(row) for row in rows) + newline

    clean = text(rows)
    assert not files._white_ends(clean, clean.encode(), delimiter, 0)
    for white in (" ", "\t", "\u00a0"):
        for r, c, start in ((r, c, s) for r in range(3) for c in range(3) for s in (0, 1)):
            if white == delimiter:
                continue
            changed = [list(row) for row in rows]
            changed[r][c] = white + rows[r][c] if start else rows[r][c] + white
            data = text(changed)
            assert files._white_ends(data, data.encode(), delimiter, 0), repr(data)
            table = files.read_table(data.encode(), "w.csv", Problems("w.csv"))[1]
            assert table.header == rows[0] and not table.lengths
            assert [r[1:] for r in table.records()] == [tuple(row) for row in rows[1:]]


def test_blank_lines_and_a_quoted_line_break_keep_the_spreadsheet_row_numbers():
    data = (
        "\ufeffpatientnummer;datum;pijnscore;klachtduur;behandeling\r\n"
        "\r\n"
        'PX-1;05-02-2024;7;acuut;"twee\r\nregels"\r\n'
        "PX-1;13-02-2024;11;acuut;\r\n"
    ).encode()
    result = read_export(data, "rows.csv", today=None)
    assert result.problems[["row", "rule"]].values.tolist() == [[4, "pain_range"]]


def test_an_empty_header_cell_and_white_cells_are_read_as_they_are():
    """The header is the first filled row as it is (an empty header cell stays empty, whatever
    the rows below hold), and cells are stripped of white space wherever it is."""
    text = "\n;patient;x\nA ;\u3000P1 ; 5\t\n\t\n  ;P2;\n"
    table = files.read_table(text.encode(), "w.csv", Problems("w.csv"))[1]
    assert (table.header_row, table.header) == (2, ["", "patient", "x"])
    assert [r[:4] for r in table.records()] == [(3, "A", "P1", "5"), (5, None, "P2", None)]
