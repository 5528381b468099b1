"""A large dirty CSV export is reported in full, never answered with an exception.

The file is one the reader takes record by record (a quoted line break in a cell, a blank
record, a one-field row), with more rows than one DuckDB vector (2,048) and a pain column that
needs trimming. On it, before the records were joined to their row numbers once into a table,
the number checks' query (the cells, then a view over that join, joined to the column's map)
made DuckDB 2.0's dictionary-passing hash join raise `InternalException: dict-surviving cache:
global dictionary column ... changed identity` (and, on similar files, `dict-surviving join`
in the duplicate-visit check), which also invalidated the connection.

Every expected problem below follows from how the file is built: data record i (0-based) is
spreadsheet row i + 2 (the header is row 1; rows count records, not lines).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from analysis.clinic import read_export

HEADER = ["Patiëntnummer", "Datum", "sessie", "pijnscore", "klachtduur", "behandeling"]
TODAY = dt.date(2025, 6, 30)
ROWS = 5000
START = dt.date(2019, 1, 7)  # the last clean visit, 1,999 days later, is before TODAY


def _clean(i: int) -> list[str]:
    """A valid visit: one per patient, dates before TODAY, decimal commas, no white ends."""
    return [
        f"PX-{i + 1}",
        (START + dt.timedelta(days=i % 2000)).strftime("%d-%m-%Y"),
        str(1 + i % 30),
        ("0", "2", "3,5", "5", "6", "7,5", "10")[i % 7],
        ("acuut", "subacuut", "chronisch")[i % 3],
        ("oefentherapie", "manuele therapie", "dry needling")[i % 3],
    ]


def _export() -> tuple[bytes, list[tuple]]:
    """The file's bytes and its expected problems as (row, column, rule, value)."""
    rows = [_clean(i) for i in range(ROWS)]
    expected = []

    def plant(i: int, position: int, cell: str, rule: str, value: object = "cell") -> None:
        rows[i][position] = cell
        expected.append((i + 2, HEADER[position], rule, cell if value == "cell" else value))

    plant(100, 4, "lang", "unknown_duration")
    plant(200, 3, "12", "pain_range")
    plant(300, 1, "31-02-2024", "bad_date")
    plant(400, 0, "", "missing_value", None)
    plant(500, 2, "2,5", "not_a_whole_number")
    plant(600, 3, "7.5", "mixed_decimal")
    plant(700, 1, "01-01-2026", "future_date")
    rows[800][:2] = rows[799][:2]  # the same patient on the same day, twice
    expected.append((802, "Datum", "duplicate_visit", rows[799][1]))
    plant(1829, 3, "zeven", "not_a_number")
    rows[1847] = [""]  # a record of one empty (quoted) field: a blank row, skipped
    rows[1852] = ["7,5"]  # one field that ',' would split, under a ';' header
    expected += [(1854, None, "field_count", None)] + [
        (1854, HEADER[position], "missing_value", None) for position in (1, 3, 4)
    ]
    plant(2975, 3, "\n6\n;\t", "not_a_number", "6 ;")  # quoted line breaks; shown as a space

    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8"), expected


def test_a_large_dirty_export_gets_its_whole_report():
    data, expected = _export()
    assert data.count(b"\n") > ROWS + 1  # more lines than records: read record by record

    result = read_export(data, "export.csv", today=TODAY)

    assert not result.ok and result.visits is None
    assert (result.delimiter, result.decimal, result.date_format) == (";", ",", "%d-%m-%Y")
    assert result.rows_read == ROWS - 1  # the blank record is not a row
    found = [(p["row"], p["column"], p["rule"], p["value"]) for p in result.report.records]
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    duplicate = next(p for p in result.report.records if p["rule"] == "duplicate_visit")
    assert "in row 801" in duplicate["message"]


def test_the_same_export_without_its_errors_imports_every_visit():
    """The clean file read the same way (record by record, > 2,048 rows) gives every visit."""
    rows = [_clean(i) for i in range(ROWS)]
    rows[1000][5] = "oefentherapie\nthuis"  # a quoted line break: read record by record
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([HEADER, *rows])

    result = read_export(out.getvalue().encode("utf-8"), "export.csv", today=TODAY)

    assert result.ok, result.report.records[:5]
    visits = result.visits
    assert len(visits) == ROWS
    assert visits["patient_id"].iloc[[0, -1]].tolist() == ["PX-1", f"PX-{ROWS}"]
    assert visits["treatment"].iloc[1000] == "oefentherapie\nthuis"
    assert visits["pain_nrs"].iloc[2] == 3.5
