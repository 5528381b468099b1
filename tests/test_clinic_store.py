"""The clinic importer: format matrix, refusals, atomicity, idempotence, undo, privacy, CLI.

Every file here is written by the tests themselves from synthetic visits (pseudonyms such as
PX-1001, practitioners "Therapeut A"); nothing resembles a real person.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analysis.clinic import (
    ClinicDatabaseBusy,
    ClinicStore,
    ClinicStoreError,
    contract,
    files,
    patient_key,
    problems_csv,
    pseudonymise,
    read_export,
    secret_for,
)
from analysis.clinic import store as store_module
from analysis.clinic.contract import BY_NAME, COLUMNS, HEADER_ALIASES, REQUIRED

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "demo" / "sample_export.csv"
DEMO = ROOT / "data" / "demo" / "clinic_visits_demo.csv"
TODAY = dt.date(2025, 6, 30)
SECRET = bytes(range(32))

# patient, episode, date, session, pain, duration, sex, age, region, odi, rmdq, treatment, who
VISITS = [
    ("PX-1001", "E1", dt.date(2025, 1, 3), 1, 7.5, "acute", "women", 45, "low_back", 40.0,
     12.0, "acupunctuur", "Therapeut A"),
    ("PX-1001", "E1", dt.date(2025, 1, 17), 2, 5.0, "acute", "women", 45, "low_back", 31.5,
     None, "acupunctuur én advies", "Therapeut A"),
    ("PX-1002", "E7", dt.date(2025, 2, 14), 1, 6.0, "chronic", "men", None, "neck", None, 8.0,
     "cupping €20, ë", "Therapeut B"),
    ("PX-1003", None, dt.date(2025, 3, 9), 1, 3.25, "subacute", None, 67, "upper_back", 12.0,
     None, None, None),
]  # fmt: skip
FIELDS = (
    "patient_id", "episode_id", "visit_date", "session_number", "pain_nrs", "complaint_duration",
    "sex", "age", "region", "odi", "rmdq", "treatment", "practitioner",
)  # fmt: skip
DUTCH_HEADERS = (
    "Patiëntnummer", "episode", "Datum", "sessie", "pijnscore", "klachtduur", "geslacht",
    "leeftijd", "regio", "ODI", "RMDQ", "behandeling", "behandelaar",
)  # fmt: skip
DUTCH_VALUES = {
    "acute": "acuut", "subacute": "subacuut", "chronic": "chronisch", "women": "V", "men": "M",
    "low_back": "lage rug", "neck": "nek", "upper_back": "bovenrug",
}  # fmt: skip
CATEGORIES = ("complaint_duration", "sex", "region")
# Day and month both 12 or less in every row: readable as dd-mm or mm-dd.
AMBIGUOUS_DATES = ["03-01-2025", "05-01-2025", "02-02-2025", "06-03-2025"]
DATE_STYLES = {
    "dd-mm-yyyy": lambda d: d.strftime("%d-%m-%Y"),
    "d-m-yyyy": lambda d: f"{d.day}-{d.month}-{d.year}",
    "iso": lambda d: d.isoformat(),
}


def expected_visits(rows=VISITS) -> pd.DataFrame:
    """The canonical table for `rows`, built by hand (the golden frame)."""
    frame = pd.DataFrame(rows, columns=list(FIELDS))
    frame["visit_date"] = pd.to_datetime(frame["visit_date"])
    return frame.astype(
        {
            "patient_id": "str", "episode_id": "str", "visit_date": "datetime64[us]",
            "session_number": "Int64", "pain_nrs": "float64", "complaint_duration": "str",
            "sex": "str", "age": "Int64", "region": "str", "odi": "float64", "rmdq": "float64",
            "treatment": "str", "practitioner": "str",
        }
    )  # fmt: skip


def _number(value, decimal: str) -> str:
    if value is None:
        return ""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", decimal)


def table(rows=VISITS, dutch=True, decimal=",", dates="dd-mm-yyyy") -> list[list[str]]:
    """Header plus rows as the cells of a CSV export."""
    out = [list(DUTCH_HEADERS if dutch else FIELDS)]
    for row in rows:
        cells = []
        for name, value in zip(FIELDS, row, strict=True):
            if value is None:
                cells.append("")
            elif name == "visit_date":
                cells.append(DATE_STYLES[dates](value))
            elif isinstance(value, int | float):
                cells.append(_number(value, decimal))
            elif dutch and name in CATEGORIES:
                cells.append(DUTCH_VALUES[value])
            else:
                cells.append(value)
        out.append(cells)
    return out


def to_bytes(cells: list[list[str]], delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(cells)
    return buffer.getvalue().encode(encoding)


def dutch_csv(**kwargs) -> bytes:
    return to_bytes(table(**kwargs))


def set_cell(cells: list[list[str]], row: int, header: str, value: str) -> list[list[str]]:
    """Change one cell, addressed as in a spreadsheet (header = row 1)."""
    cells[row - 1][cells[0].index(header)] = value
    return cells


def workbook(rows=VISITS, extra_sheet: bool = False) -> bytes:
    """An .xlsx export with real date cells and numeric cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bezoeken"
    sheet.append(list(DUTCH_HEADERS))
    for row in rows:
        # dates become date cells, numbers number cells
        cells = zip(FIELDS, row, strict=True)
        sheet.append([DUTCH_VALUES.get(v, v) if n in CATEGORIES else v for n, v in cells])
    if extra_sheet:
        book.create_sheet("Notities").append(["opmerking", "nog na te kijken"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, filename: str = "export.csv", **kwargs):
    kwargs.setdefault("today", TODAY)
    return read_export(data, filename, **kwargs)


def assert_problem(result, rule, row=None, column=None, value=None, fragment=None) -> str:
    """The result is refused with a problem of `rule` that names file, row, column and value."""
    assert not result.ok and result.visits is None
    found = result.problems[result.problems["rule"] == rule]
    assert not found.empty, f"no {rule!r} problem in:\n{result.problems.to_string()}"
    if row is not None:
        found = found[found["row"] == row]
        assert not found.empty, f"no {rule!r} problem at row {row}:\n{found.to_string()}"
    problem = found.iloc[0]
    message = problem["message"]
    assert message.startswith(result.filename) and f"(rule: {rule})" in message
    if row is not None:
        assert f"row {row}" in message
    if column is not None:
        assert problem["column"] == column and f"column '{column}'" in message
    if value is not None:
        assert problem["value"] == value and f"value '{value}'" in message
    if fragment is not None:
        assert fragment in message, message
    return message


@pytest.fixture
def store(tmp_path: Path) -> ClinicStore:
    return ClinicStore(tmp_path / "clinic.duckdb", secret_path=tmp_path / "secret")


# --------------------------------------------------------------------------------------------
# Formats


@pytest.mark.parametrize("dates", list(DATE_STYLES))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("decimal", [".", ","])
@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("dutch", [True, False], ids=["nl-headers", "en-headers"])
def test_every_csv_variant_gives_the_same_canonical_table(
    dutch, delimiter, decimal, encoding, dates
):
    data = to_bytes(table(dutch=dutch, decimal=decimal, dates=dates), delimiter, encoding)
    result = read(data)
    assert result.ok, result.problems["message"].tolist()
    assert_frame_equal(result.visits, expected_visits())
    assert (result.delimiter, result.encoding) == (delimiter, encoding)
    assert result.decimal == decimal
    assert result.date_format == ("%Y-%m-%d" if dates == "iso" else "%d-%m-%Y")


def test_xlsx_with_real_date_cells_gives_the_same_canonical_table():
    result = read(workbook(), "export.xlsx")
    assert result.ok, result.problems["message"].tolist()
    assert_frame_equal(result.visits, expected_visits())
    assert result.file_type == "xlsx" and result.date_format == "excel dates"
    assert result.sheet == "Bezoeken"


def test_xlsx_with_text_dates_and_numbers_as_text():
    cells = table()
    book = openpyxl.Workbook()
    for row in cells:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = read(buffer.getvalue(), "export.xlsx")
    assert result.ok, result.problems["message"].tolist()
    assert_frame_equal(result.visits, expected_visits())


def test_other_separators_tab_and_utf16_and_excel_sep_line():
    tab = to_bytes(table(decimal="."), "\t", "utf-16")
    assert_frame_equal(read(tab, "export.txt").visits, expected_visits())
    hinted = b"sep=;\r\n" + dutch_csv()
    result = read(hinted)
    assert_frame_equal(result.visits, expected_visits())
    assert_problem(
        read(b"sep=;\r\n" + to_bytes(set_cell(table(), 3, "pijnscore", "12"))), "pain_range", 3
    )


def test_date_format_can_be_named_in_two_spellings():
    cells = table()
    for row in cells[1:]:
        row[2] = row[2].replace("-", ".")
    assert read(to_bytes(cells)).date_format == "%d.%m.%Y"
    for fmt in ("%d.%m.%Y", "dd.mm.yyyy", "D.M.YYYY"):
        result = read(to_bytes(cells), date_format=fmt)
        assert result.ok, result.problems["message"].tolist()
        assert_frame_equal(result.visits, expected_visits())


def test_dates_with_a_time_of_day_keep_the_day():
    cells = table(dates="iso")
    for row in cells[1:]:
        row[2] += " 14:30:00"
    assert_frame_equal(read(to_bytes(cells)).visits, expected_visits())


def test_birth_year_fills_in_a_missing_age():
    cells = [[*row, "geboortejaar" if i == 0 else ""] for i, row in enumerate(table())]
    set_cell(cells, 4, "geboortejaar", "1971")  # PX-1002 has no age; visit in 2025
    set_cell(cells, 2, "geboortejaar", "1900")  # age given (45): the given age wins
    visits = read(to_bytes(cells)).visits
    assert visits["age"].tolist() == [45, 45, 54, 67]
    assert "birth_year" not in visits.columns
    set_cell(cells, 4, "geboortejaar", "2030")
    assert_problem(read(to_bytes(cells)), "age_range", 4, "geboortejaar", "2030")


def test_unknown_columns_are_ignored_and_listed():
    cells = [[*row, "notitie" if i == 0 else "rustig aan"] for i, row in enumerate(table())]
    result = read(to_bytes(cells))
    assert result.ok and result.ignored_columns == ("notitie",)
    assert_frame_equal(result.visits, expected_visits())


def test_formulas_and_html_stay_plain_text(store):
    cells = set_cell(table(), 2, "behandeling", '=HYPERLINK("http://x","klik")')
    set_cell(cells, 3, "behandelaar", "<img src=x onerror=alert(1)><script>")
    result = store.import_file(to_bytes(cells), "export.csv", today=TODAY)
    assert result.ok
    stored = store.visits().set_index("visit_date")
    assert stored.loc[pd.Timestamp("2025-01-03"), "treatment"] == '=HYPERLINK("http://x","klik")'
    assert stored.loc[pd.Timestamp("2025-01-17"), "practitioner"] == (
        "<img src=x onerror=alert(1)><script>"
    )


# --------------------------------------------------------------------------------------------
# Golden numbers: the committed sample file, worked out by hand


def test_sample_export_golden_numbers(store):
    result = read_export(SAMPLE.read_bytes(), SAMPLE.name, today=TODAY)
    assert result.ok, result.problems["message"].tolist()
    expected = expected_visits(
        [
            ("P0001", "1", dt.date(2024, 1, 8), 1, 7.0, "acute", "women", 42, "low_back",
             38.0, None, "acupunctuur", None),
            ("P0001", "1", dt.date(2024, 1, 15), 2, 5.5, "acute", "women", 42, "low_back",
             30.0, None, "acupunctuur", None),
            ("P0002", "1", dt.date(2024, 1, 9), 1, 6.0, "chronic", "men", 57, "neck", None,
             None, "acupunctuur en advies", None),
            ("P0002", "1", dt.date(2024, 1, 23), 2, 4.5, "chronic", "men", 57, "neck", None,
             None, "acupunctuur", None),
        ]
    )  # fmt: skip
    assert_frame_equal(result.visits, expected)
    # By hand: mean pain at the first session (7 + 6) / 2 = 6.5, at the second (5.5 + 4.5) / 2 = 5.
    by_session = result.visits.groupby("session_number")["pain_nrs"].mean()
    assert by_session.to_dict() == {1: 6.5, 2: 5.0}
    imported = store.import_file(SAMPLE.read_bytes(), SAMPLE.name, today=TODAY)
    assert (imported.rows_added, imported.rows_updated, imported.rows_unchanged) == (4, 0, 0)
    assert store.visits()["patient_key"].nunique() == 2


def test_the_demo_export_reads_when_it_has_been_generated():
    if not DEMO.exists():
        pytest.skip("data/demo/clinic_visits_demo.csv is written by `python -m analysis.demo`")
    result = read_export(DEMO.read_bytes(), DEMO.name)
    assert result.ok, result.problems["message"].head().tolist()
    assert len(result.visits) > 0 and result.encoding == "utf-8-sig"


# --------------------------------------------------------------------------------------------
# Refusals: each with its message


def test_pain_outside_the_scale():
    result = read(to_bytes(set_cell(table(), 3, "pijnscore", "11")))
    message = assert_problem(result, "pain_range", 3, "pijnscore", "11", "between 0 and 10")
    assert message == (
        "export.csv, row 3, column 'pijnscore', value '11': pain_nrs must be between 0 and 10 "
        "(rule: pain_range)"
    )


def test_pain_in_words():
    result = read(to_bytes(set_cell(table(), 2, "pijnscore", "zeven")))
    assert_problem(result, "not_a_number", 2, "pijnscore", "zeven", "must be a number")


def test_unknown_complaint_duration():
    result = read(to_bytes(set_cell(table(), 4, "klachtduur", "lang")))
    assert_problem(result, "unknown_duration", 4, "klachtduur", "lang", "acute, subacute, chronic")


def test_visit_in_the_future():
    result = read(to_bytes(set_cell(table(), 5, "Datum", "01-07-2025")))
    assert_problem(result, "future_date", 5, "Datum", "01-07-2025", "after today (2025-06-30)")


def test_duplicate_visit_names_the_first_row():
    cells = set_cell(table(), 3, "Datum", "03-01-2025")  # PX-1001 again on 3 January
    result = read(to_bytes(cells))
    assert_problem(result, "duplicate_visit", 3, "Datum", "03-01-2025", "in row 2")


@pytest.mark.parametrize("column", REQUIRED)
def test_missing_required_column(column):
    position = FIELDS.index(column)
    cells = [row[:position] + row[position + 1 :] for row in table()]
    result = read(to_bytes(cells))
    message = assert_problem(result, "missing_column", 1, column, fragment="is missing")
    assert "Accepted headers" in message


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Naam", "name"),
        ("Achternaam", "name"),
        ("Patient name", "name"),
        ("E-mail", "e-mail"),
        ("E-mailadres", "e-mail"),
        ("Telefoonnummer", "phone"),
        ("Mobiel", "phone"),
        ("Adres", "address"),
        ("Postcode", "address"),
        ("BSN", "BSN"),
        ("Burgerservicenummer", "BSN"),
        ("Geboortedatum", "date of birth"),
    ],
)
def test_direct_identifier_columns_are_refused(header, kind):
    marker = "Zzyzx-Identifier-Value"
    cells = [[*row, header if i == 0 else marker] for i, row in enumerate(table())]
    result = read(to_bytes(cells))
    assert_problem(result, "identifier_column", 1, header, fragment=f"direct identifier ({kind})")
    assert not result.problems["message"].str.contains(marker).any()
    assert result.problems["value"].isna().all()


def test_dates_ambiguous_in_every_row_are_refused_until_the_format_is_named():
    cells = table()
    for row, date in zip(cells[1:], AMBIGUOUS_DATES, strict=True):
        row[2] = date
    result = read(to_bytes(cells))
    message = assert_problem(result, "ambiguous_dates", column="Datum", value="03-01-2025")
    assert "--date-format %d-%m-%Y" in message and "--date-format %m-%d-%Y" in message
    assert len(result.problems) == 1
    day_first = read(to_bytes(cells), date_format="%d-%m-%Y")
    assert day_first.visits["visit_date"].dt.month.tolist() == [1, 1, 2, 3]
    month_first = read(to_bytes(cells), date_format="mm-dd-yyyy")
    assert month_first.visits["visit_date"].dt.month.tolist() == [3, 5, 2, 6]


def test_one_unambiguous_date_settles_the_format():
    cells = table()
    for row, date in zip(
        cells[1:], ["03-01-2025", "05-01-2025", "02-02-2025", "13-03-2025"], strict=True
    ):
        row[2] = date
    result = read(to_bytes(cells))
    assert result.ok and result.date_format == "%d-%m-%Y"
    assert result.visits["visit_date"].dt.month.tolist() == [1, 1, 2, 3]


def test_mixed_date_formats_are_refused_with_their_rows():
    cells = set_cell(table(), 3, "Datum", "2025-01-17")
    set_cell(cells, 5, "Datum", "03/09/2025")
    result = read(to_bytes(cells))
    assert_problem(result, "mixed_date_formats", 3, "Datum", "2025-01-17", "dd-mm-yyyy")
    assert_problem(result, "mixed_date_formats", 5, "Datum", "03/09/2025")
    assert sorted(result.problems["row"].tolist()) == [3, 5]


def test_impossible_and_unreadable_dates():
    cells = set_cell(table(), 2, "Datum", "31-02-2025")
    set_cell(cells, 3, "Datum", "gisteren")
    result = read(to_bytes(cells))
    assert_problem(result, "bad_date", 2, "Datum", "31-02-2025")
    assert_problem(result, "bad_date", 3, "Datum", "gisteren")
    bad = read(dutch_csv(), date_format="%Y")
    assert_problem(bad, "bad_date_format", fragment="day, a month and a year")
    wrong = read(dutch_csv(), date_format="%Y-%m-%d")
    assert_problem(wrong, "bad_date", 2, "Datum", "03-01-2025", "(%Y-%m-%d)")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b";;;\r\n;;\r\n"])
def test_empty_file(data):
    assert_problem(read(data), "empty_file", fragment="empty")


def test_header_only_file():
    result = read(to_bytes(table()[:1]))
    assert_problem(result, "no_rows", 2, fragment="no visits")


def test_png_is_not_a_table():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    assert_problem(read(png), "file_type", fragment="PNG image")
    assert_problem(read(png, "export.xlsx"), "file_type", fragment="PNG image")


def test_binary_and_misnamed_files():
    assert_problem(read(b"abc\x00def\x00" * 10), "file_type", fragment="binary data")
    assert_problem(read(dutch_csv(), "export.xlsx"), "file_type", fragment="not an Excel")
    assert_problem(read(workbook(), "export.csv"), "file_type", fragment="ZIP archive")
    assert_problem(read(dutch_csv(), "export.pdf"), "file_type", fragment="only .csv and .xlsx")
    assert_problem(read(b"PK\x03\x04garbage", "export.xlsx"), "file_type", fragment=".xlsx")


def test_xlsx_with_two_filled_sheets():
    result = read(workbook(extra_sheet=True), "export.xlsx")
    assert_problem(result, "several_sheets", fragment="'Bezoeken', 'Notities'")


def test_size_and_row_caps(monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    assert_problem(read(dutch_csv()), "file_too_large", fragment="the limit is")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10 * 2**20)
    monkeypatch.setattr(files, "MAX_ROWS", 3)
    assert_problem(read(dutch_csv()), "too_many_rows", fragment="more than 3 rows")
    assert_problem(read(workbook(), "export.xlsx"), "too_many_rows")
    monkeypatch.setattr(files, "MAX_UNPACKED_BYTES", 1000)
    assert_problem(read(workbook(), "export.xlsx"), "file_too_large", fragment="unpacks")


def test_decimal_marks_are_sniffed_for_the_whole_file():
    cells = set_cell(table(), 3, "pijnscore", "5.5")  # the rest of the file uses commas
    result = read(to_bytes(cells))
    assert_problem(result, "mixed_decimal", 3, "pijnscore", "5.5", "decimal point")
    unquoted = "\r\n".join(",".join(row) for row in table(decimal=",")).encode()
    assert_problem(read(unquoted), "field_count", 2, fragment="must be quoted")


def test_other_value_rules():
    cells = set_cell(table(), 2, "Patiëntnummer", "")
    set_cell(cells, 3, "Patiëntnummer", "someone@example.org")
    set_cell(cells, 4, "geslacht", "x")
    set_cell(cells, 5, "leeftijd", "67,5")
    set_cell(cells, 2, "regio", "knie")
    set_cell(cells, 3, "ODI", "101")
    set_cell(cells, 4, "RMDQ", "25")
    set_cell(cells, 5, "sessie", "0")
    result = read(to_bytes(cells))
    assert_problem(result, "missing_value", 2, "Patiëntnummer", fragment="required")
    assert_problem(result, "identifier_value", 3, "Patiëntnummer", "someone@example.org")
    assert_problem(result, "unknown_sex", 4, "geslacht", "x", "men, women")
    assert_problem(result, "not_a_whole_number", 5, "leeftijd", "67,5")
    assert_problem(result, "unknown_region", 2, "regio", "knie")
    assert_problem(result, "odi_range", 3, "ODI", "101", "between 0 and 100")
    assert_problem(result, "rmdq_range", 4, "RMDQ", "25", "between 0 and 24")
    assert_problem(result, "session_range", 5, "sessie", "0")


def test_duplicate_header_for_one_column():
    cells = [[*row, "datum" if i == 0 else row[2]] for i, row in enumerate(table())]
    assert_problem(read(to_bytes(cells)), "duplicate_column", 1, "datum", fragment="'Datum'")


def test_problem_report_download_neutralises_formulas():
    cells = set_cell(table(), 2, "pijnscore", "=1+1")
    report = problems_csv(read(to_bytes(cells)).problems).decode("utf-8-sig")
    parsed = pd.read_csv(io.StringIO(report), dtype=str)
    assert parsed.loc[0, "value"] == "'=1+1"
    assert list(parsed.columns) == ["row", "column", "value", "rule", "message"]


# --------------------------------------------------------------------------------------------
# The store: refusal writes nothing, atomicity, idempotence, undo


def overlapping_export() -> bytes:
    """The export a month later: one visit changed (pain), one new, the rest as before."""
    changed = [list(v) for v in VISITS]
    changed[2][4] = 4.0  # PX-1002 on 14 February: pain corrected from 6 to 4
    new = ("PX-1003", None, dt.date(2025, 3, 23), 2, 2.0, "subacute", None, 67, "upper_back",
           None, None, "acupunctuur", "Therapeut B")  # fmt: skip
    return to_bytes(table([tuple(v) for v in changed] + [new]))


def test_a_refused_file_writes_nothing(store):
    refused = store.import_file(to_bytes(set_cell(table(), 3, "pijnscore", "11")), "a.csv")
    assert not refused.ok and refused.import_id is None and refused.rows_rejected == 1
    assert refused.summary() == (
        "Refused a.csv: 1 problem(s) in 1 data row(s); nothing was written."
    )
    header_only_problem = [[*row, "BSN" if i == 0 else ""] for i, row in enumerate(table())]
    refused = store.import_file(to_bytes(header_only_problem), "a.csv", today=TODAY)
    assert refused.rows_rejected == 0 and refused.summary().startswith("Refused a.csv: 1 problem")
    assert not store.db_path.exists() and not store.has_data()
    assert store.import_file(dutch_csv(), "b.csv", today=TODAY).ok
    before = (store.visits(), store.history())
    store.import_file(to_bytes(set_cell(table(), 3, "pijnscore", "11")), "a.csv", today=TODAY)
    assert_frame_equal(store.visits(), before[0])
    assert_frame_equal(store.history(), before[1])


def test_a_failure_mid_import_leaves_the_database_unchanged(store, monkeypatch):
    assert store.import_file(dutch_csv(), "january.csv", today=TODAY).rows_added == 4
    visits_before, history_before = store.visits(), store.history()
    seen_inside = {}

    def fail_after_writing(con, import_id):
        # The visits are written by now: prove it, then fail before the import is complete.
        seen_inside["visits"] = con.execute("SELECT count(*) FROM visits").fetchall()[0][0]
        raise RuntimeError("disk full (injected)")

    monkeypatch.setattr(store_module, "_log_rows", fail_after_writing)
    with pytest.raises(RuntimeError, match="injected"):
        store.import_file(overlapping_export(), "february.csv", today=TODAY)
    assert seen_inside["visits"] == 5  # one added inside the transaction, then rolled back
    assert_frame_equal(store.visits(), visits_before)
    assert_frame_equal(store.history(), history_before)
    monkeypatch.undo()
    retried = store.import_file(overlapping_export(), "february.csv", today=TODAY)
    assert (retried.rows_added, retried.rows_updated, retried.import_id) == (1, 1, 2)


def test_a_failed_first_import_leaves_no_database(store, monkeypatch):
    """The file is read in the store's own connection, which creates the database: a first
    import that fails after that removes it again."""
    monkeypatch.setattr(store_module, "_log_rows", lambda con, import_id: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        store.import_file(dutch_csv(), "january.csv", today=TODAY)
    assert not store.db_path.exists() and not store.has_data()
    monkeypatch.undo()
    assert store.import_file(dutch_csv(), "january.csv", today=TODAY).rows_added == 4


def test_the_same_file_twice_adds_nothing(store):
    first = store.import_file(dutch_csv(), "january.csv", today=TODAY)
    assert (first.import_id, first.rows_added, first.already_imported) == (1, 4, False)
    again = store.import_file(dutch_csv(), "renamed.csv", today=TODAY)
    assert again.already_imported and again.import_id == 1 and again.rows_added == 0
    assert "already imported" in again.summary()
    assert len(store.visits()) == 4 and len(store.history()) == 1


def test_an_overlapping_export_adds_and_updates(store):
    store.import_file(dutch_csv(), "january.csv", today=TODAY)
    result = store.import_file(overlapping_export(), "february.csv", today=TODAY)
    assert (result.rows_added, result.rows_updated, result.rows_unchanged) == (1, 1, 3)
    visits = store.visits()
    assert len(visits) == 5
    assert visits.loc[visits["visit_date"] == "2025-02-14", "pain_nrs"].item() == 4.0
    same_in_xlsx = store.import_file(workbook(), "january.xlsx", today=TODAY)
    assert (same_in_xlsx.rows_added, same_in_xlsx.rows_updated) == (0, 1)  # pain back to 6
    history = store.history()
    assert list(history.columns) == list(store_module.HISTORY_COLUMNS)
    assert history["rows_added"].tolist() == [4, 1, 0]
    assert history["rows_updated"].tolist() == [0, 1, 1]
    assert history["file_sha256"].str.len().eq(64).all()


def test_undo_restores_exactly_the_previous_state(store):
    store.import_file(dutch_csv(), "january.csv", today=TODAY)
    before = store.visits()
    second = store.import_file(overlapping_export(), "february.csv", today=TODAY)
    assert not store.visits().equals(before)
    store.undo(second.import_id)
    assert_frame_equal(store.visits(), before)  # the new visit gone, the updated one restored
    history = store.history()
    assert history["undone_at"].isna().tolist() == [True, False]
    with pytest.raises(ClinicStoreError, match="already undone"):
        store.undo(second.import_id)
    with pytest.raises(ClinicStoreError, match="no import 9"):
        store.undo(9)
    again = store.import_file(overlapping_export(), "february.csv", today=TODAY)
    assert not again.already_imported and (again.rows_added, again.rows_updated) == (1, 1)
    store.undo(again.import_id)
    store.undo(1)
    assert not store.has_data() and store.visits().empty


def test_the_first_visits_are_stored_as_a_compared_import_stores_them(store, tmp_path):
    """Into a store with no visits every visit is added, so they are written without being
    compared; a store holding another visit compares them. Same visits, counts and undo log,
    also once everything was undone (the store empty again)."""
    march = to_bytes(table([v for v in VISITS if v[2].month == 3], dates="iso"))
    rest = to_bytes(table([v for v in VISITS if v[2].month != 3]))
    compared = ClinicStore(tmp_path / "compared.duckdb", secret_path=tmp_path / "secret")
    compared.import_file(march, "march.csv", today=TODAY)

    def stored(where: ClinicStore, import_id: int) -> tuple:
        visits = where.visits()
        visits = visits[visits["visit_date"].dt.month != 3].sort_values("visit_date")
        with duckdb.connect(str(where.db_path), read_only=True) as con:
            log = con.execute(
                "SELECT patient_key, visit_date, action FROM import_rows WHERE import_id = ? "
                "ORDER BY ALL",
                [import_id],
            ).fetchall()
        return visits.reset_index(drop=True), log

    later = compared.import_file(rest, "rest.csv", today=TODAY)
    first = store.import_file(rest, "rest.csv", today=TODAY)
    counts = (first.rows_added, first.rows_updated, first.rows_unchanged)
    assert counts == (later.rows_added, later.rows_updated, later.rows_unchanged) == (3, 0, 0)
    visits, log = stored(store, 1)
    assert_frame_equal(visits, stored(compared, 2)[0])
    assert log == stored(compared, 2)[1] and len(log) == 3
    assert store.history()["rows_added"].tolist() == [3]
    store.undo(1)
    assert store.visits().empty
    again = store.import_file(rest, "rest.csv", today=TODAY)
    assert (again.import_id, again.rows_added, again.rows_updated) == (2, 3, 0)
    assert_frame_equal(stored(store, 2)[0], visits) and stored(store, 2)[1] == log
    store.undo(2)
    assert store.visits().empty


def test_undo_is_refused_while_a_later_import_builds_on_the_same_visits(store):
    store.import_file(dutch_csv(), "january.csv", today=TODAY)
    store.import_file(overlapping_export(), "february.csv", today=TODAY)
    with pytest.raises(ClinicStoreError, match=r"later import\(s\) 2"):
        store.undo(1)
    assert len(store.visits()) == 5
    store.undo(2)
    store.undo(1)
    assert store.visits().empty


def test_undo_of_an_independent_earlier_import(store):
    march = to_bytes(table([v for v in VISITS if v[2].month == 3], dates="iso"))
    january = to_bytes(table([v for v in VISITS if v[2].month == 1], dates="iso"))
    store.import_file(january, "january.csv", today=TODAY)
    store.import_file(march, "march.csv", today=TODAY)
    store.undo(1)
    assert store.visits()["visit_date"].dt.month.tolist() == [3]


def test_concurrent_imports_and_reads_in_one_process(store):
    """Like Streamlit sessions: four imports at once while three threads read."""
    store.import_file(to_bytes(table(VISITS[:1], dates="iso")), "first.csv", today=TODAY)
    files = [to_bytes(table([v], dates="iso")) for v in VISITS[1:]]
    results, errors = [], []
    seen: dict[int, list[tuple[int, int]]] = {}
    importing = threading.Event()

    def write(data):
        try:
            results.append(store.import_file(data, "one.csv", today=TODAY))
        except Exception as exc:  # reported below
            errors.append(exc)

    def read(reader):
        try:
            while not importing.is_set():
                seen.setdefault(reader, []).append((len(store.visits()), len(store.history())))
        except Exception as exc:  # reported below
            errors.append(exc)

    readers = [threading.Thread(target=read, args=(i,)) for i in range(3)]
    writers = [threading.Thread(target=write, args=(data,)) for data in files]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    importing.set()
    for thread in readers:
        thread.join()
    assert not errors, errors
    assert sorted(r.import_id for r in results) == [2, 3, 4]
    assert len(store.visits()) == 4
    for counts in seen.values():  # each reader sees whole imports, and never one undone
        assert counts == sorted(counts) and all(1 <= n <= 4 for pair in counts for n in pair)


def test_a_database_held_by_another_process_gives_a_clear_error(tmp_path):
    store = ClinicStore(tmp_path / "clinic.duckdb", secret_path=tmp_path / "s", busy_timeout=0.2)
    store.import_file(dutch_csv(), "january.csv", today=TODAY)
    command = [
        sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        "print('ready', flush=True); time.sleep(60)", str(store.db_path),
    ]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout.readline().strip() == "ready"
            with pytest.raises(ClinicDatabaseBusy, match="in use by another program"):
                store.import_file(overlapping_export(), "february.csv", today=TODAY)
            with pytest.raises(ClinicDatabaseBusy):
                store.history()
            env = {**os.environ, "RUGZICHT_SECRET_FILE": str(tmp_path / "s")}
            cli = run_cli("history", "--db", str(store.db_path), env=env)
            assert cli.returncode == 1 and "in use" in cli.stderr
            assert "Traceback" not in cli.stderr
        finally:
            holder.kill()
    assert len(store.history()) == 1


def test_a_database_another_thread_is_removing_is_named_as_such(tmp_path):
    """A failed first import removes its new database file while another thread of the same
    process may still hold it open (DuckDB keeps one instance per file in a process): an import
    that waits that out past its timeout is told so, not that another program holds the file."""
    path = tmp_path / "clinic.duckdb"
    held = duckdb.connect(str(path))  # the other thread's connection to the file...
    path.unlink()  # ...which its failed first import has just removed
    store = ClinicStore(path, secret_path=tmp_path / "s", busy_timeout=0.2)
    try:
        with pytest.raises(ClinicDatabaseBusy, match="being removed by a failed first import"):
            store.import_file(dutch_csv(), "january.csv", today=TODAY)
    finally:
        held.close()
    assert not path.exists()
    assert store.import_file(dutch_csv(), "january.csv", today=TODAY).rows_added > 0


def test_a_database_filled_with_another_secret_is_refused(tmp_path):
    db = tmp_path / "clinic.duckdb"
    ClinicStore(db, secret_path=tmp_path / "a").import_file(dutch_csv(), "j.csv", today=TODAY)
    other = ClinicStore(db, secret_path=tmp_path / "b")
    with pytest.raises(ClinicStoreError, match="different secret"):
        other.import_file(overlapping_export(), "f.csv", today=TODAY)
    assert len(other.visits()) == 4


def test_stored_schema_follows_the_contract(store):
    store.import_file(dutch_csv(), "january.csv", today=TODAY)
    visits = store.visits()
    assert list(visits.columns) == ["patient_key", *FIELDS[1:]]
    expected = pseudonymise(expected_visits(), secret_for(store.secret_path))
    assert_frame_equal(visits, expected.sort_values(["patient_key", "visit_date"]).reset_index(
        drop=True))  # fmt: skip
    with duckdb.connect(str(store.db_path)) as con:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        with pytest.raises(duckdb.ConstraintException):
            con.execute("UPDATE visits SET pain_nrs = 11")
        with pytest.raises(duckdb.ConstraintException):  # one visit per patient and date
            con.execute("INSERT INTO visits SELECT * FROM visits LIMIT 1")
    assert tables == {"meta", "imports", "visits", "replaced_visits", "import_rows"}


# --------------------------------------------------------------------------------------------
# Privacy: keyed hashes, the secret, nothing identifying in the file


def test_patient_keys_are_keyed_hashes():
    assert patient_key("PX-1001", SECRET) == patient_key("PX-1001", SECRET)
    assert patient_key("PX-1001", SECRET) != patient_key("PX-1002", SECRET)
    assert patient_key("PX-1001", SECRET) != patient_key("PX-1001", b"another secret")
    keyed = pseudonymise(expected_visits(), SECRET)
    assert list(keyed.columns) == ["patient_key", *FIELDS[1:]]
    assert keyed["patient_key"].str.fullmatch("[0-9a-f]{16}").all()
    assert keyed["patient_key"].nunique() == 3


def test_the_secret_is_created_once_with_owner_only_permissions(tmp_path, monkeypatch):
    path = tmp_path / "var" / "clinic_secret"
    first = secret_for(path)
    assert len(first) == 32 and secret_for(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("RUGZICHT_SECRET_FILE", str(path))
    assert secret_for() == first
    path.write_text("not hex\n")
    with pytest.raises(ClinicStoreError, match="damaged"):
        secret_for(path)


def test_threads_creating_the_secret_at_once_agree_on_one(tmp_path):
    path = tmp_path / "secret"
    found = []
    threads = [threading.Thread(target=lambda: found.append(secret_for(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and len(set(found)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]  # no drafts left behind


def test_no_patient_id_is_written_to_the_database_file(store):
    ids = ("PX-1001", "PX-1002", "PX-1003")
    store.import_file(dutch_csv(), "january.csv", today=TODAY)
    store.import_file(overlapping_export(), "february.csv", today=TODAY)
    store.undo(2)
    files = [p for p in store.db_path.parent.iterdir() if p.name.startswith("clinic.duckdb")]
    content = b"".join(p.read_bytes() for p in files)
    for pid in ids:
        for encoding in ("utf-8", "utf-16-le"):
            assert pid.encode(encoding) not in content
    with duckdb.connect(str(store.db_path)) as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'"
        ).fetchall()
        for table_name, column in columns:
            query = f'SELECT DISTINCT "{column}" FROM "{table_name}"'  # noqa: S608 -- our schema
            values = con.execute(query).fetchall()
            assert not any(any(pid in str(v[0]) for pid in ids) for v in values)
    assert stat.S_IMODE(store.db_path.stat().st_mode) == 0o600


# --------------------------------------------------------------------------------------------
# Command line


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis.clinic", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip


def test_command_line_import_history_undo(tmp_path):
    env = {
        **os.environ,
        "RUGZICHT_DB": str(tmp_path / "clinic.duckdb"),
        "RUGZICHT_SECRET_FILE": str(tmp_path / "secret"),
    }
    good = tmp_path / "january.csv"
    good.write_bytes(dutch_csv())
    bad = tmp_path / "broken.csv"
    bad.write_bytes(to_bytes(set_cell(table(), 3, "pijnscore", "zeven")))

    done = run_cli("import", str(good), env=env)
    assert done.returncode == 0, done.stderr
    assert "import 1: 4 added, 0 updated, 0 unchanged" in done.stdout
    assert run_cli("import", str(good), env=env).stdout.startswith("january.csv was already")

    refused = run_cli("import", str(bad), env=env)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "Refused broken.csv" in refused.stderr
    assert "broken.csv, row 3, column 'pijnscore', value 'zeven'" in refused.stderr

    history = run_cli("history", env=env)
    assert history.returncode == 0 and "january.csv" in history.stdout
    assert "rows_added" in history.stdout

    undone = run_cli("undo", "1", env=env)
    assert undone.returncode == 0 and "Undid import 1" in undone.stdout
    assert run_cli("undo", "1", env=env).returncode == 1

    elsewhere = tmp_path / "other.duckdb"
    dated = tmp_path / "ambiguous.csv"
    cells = table()
    for row, date in zip(cells[1:], AMBIGUOUS_DATES, strict=True):
        row[2] = date
    dated.write_bytes(to_bytes(cells))
    assert run_cli("import", str(dated), "--db", str(elsewhere), env=env).returncode == 2
    named = run_cli("import", str(dated), "--db", str(elsewhere), "--date-format", "%d-%m-%Y",
                    env=env)  # fmt: skip
    assert named.returncode == 0, named.stderr
    assert ClinicStore(elsewhere).history()["rows_added"].tolist() == [4]
    assert run_cli("import", str(tmp_path / "missing.csv"), env=env).returncode == 2


def test_default_paths_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RUGZICHT_DB", str(tmp_path / "x.duckdb"))
    assert ClinicStore().db_path == tmp_path / "x.duckdb"
    monkeypatch.delenv("RUGZICHT_DB")
    assert ClinicStore().db_path == ROOT / "var" / "clinic.duckdb"


# --------------------------------------------------------------------------------------------
# Properties

_NAMES = st.sampled_from(["export.csv", "export.xlsx", "export.txt"])


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000), filename=_NAMES)
def test_read_export_never_raises_on_arbitrary_bytes(data, filename):
    result = read_export(data, filename)
    assert result.ok or (result.visits is None and not result.problems.empty)


_CSVISH = st.text(alphabet=st.sampled_from(list("0123456789;,.-/\"' \r\nPXacuteëé€=@\t")))


@settings(max_examples=300, deadline=None)
@given(body=_CSVISH, dutch=st.booleans(), zip_prefix=st.booleans())
def test_read_export_never_raises_on_csv_like_text(body, dutch, zip_prefix):
    header = ";".join(DUTCH_HEADERS if dutch else FIELDS)
    data = (header + "\r\n" + body).encode("utf-8")
    result = read_export(b"PK\x03\x04" + data if zip_prefix else data, "export.csv")
    assert result.ok or (result.visits is None and not result.problems.empty)
    for message in result.problems["message"]:
        assert message.startswith("export.csv") and "(rule: " in message


_TEXT = (
    st.text(
        alphabet=st.characters(
            codec="cp1252", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u00a0"
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
_VISIT = st.tuples(
    st.sampled_from(["PX-1", "PX-2", "PX-3", "PX-4"]),
    st.one_of(st.none(), st.sampled_from(["E1", "E2", "12"])),
    st.dates(dt.date(2000, 1, 1), TODAY),
    st.one_of(st.none(), st.integers(1, 200)),
    st.integers(0, 40).map(lambda x: x / 4),
    st.sampled_from(BY_NAME["complaint_duration"].categories),
    st.one_of(st.none(), st.sampled_from(BY_NAME["sex"].categories)),
    st.one_of(st.none(), st.integers(0, 120)),
    st.one_of(st.none(), st.sampled_from(BY_NAME["region"].categories)),
    st.one_of(st.none(), st.integers(0, 200).map(lambda x: x / 2)),
    st.one_of(st.none(), st.integers(0, 24).map(float)),
    st.one_of(st.none(), _TEXT),
    st.one_of(st.none(), _TEXT),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(_VISIT, min_size=1, max_size=25, unique_by=lambda v: (v[0], v[2])),
    delimiter=st.sampled_from([",", ";", "\t"]),
    decimal=st.sampled_from([".", ","]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    dates=st.sampled_from(list(DATE_STYLES)),
    dutch=st.booleans(),
)
def test_valid_rows_round_trip_through_csv(rows, delimiter, decimal, encoding, dates, dutch):
    assume(not (delimiter == "\t" and any("\t" in str(v) for row in rows for v in row)))
    data = to_bytes(table(rows, dutch=dutch, decimal=decimal, dates=dates), delimiter, encoding)
    if encoding == "cp1252":
        # Windows-1252 bytes that also read as UTF-8 (text such as "Â¡", which is how "¡" looks
        # when UTF-8 is misread) are read as UTF-8, as a BOM-less file must be tried first. Real
        # cp1252 text (é, ë, € next to plain letters) is never valid UTF-8.
        try:
            data.decode("utf-8")
            assume(data.isascii())
        except UnicodeDecodeError:
            pass
    result = read(data)
    ambiguous = (
        dates != "iso"
        and all(r[2].day <= 12 and r[2].month <= 12 for r in rows)
        and any(r[2].day != r[2].month for r in rows)
    )
    if ambiguous:
        assert_problem(result, "ambiguous_dates")
        result = read(data, date_format="%d-%m-%Y")
    assert result.ok, result.problems["message"].tolist()
    assert_frame_equal(result.visits, expected_visits(rows))


def test_contract_columns_all_have_header_aliases():
    assert {c.name for c in COLUMNS} <= set(HEADER_ALIASES.values())
    assert contract.VISIT_COLUMNS == FIELDS


def test_readme_carries_the_generated_contract_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert contract.contract_markdown() in readme, (
        "README's contract table is out of date: paste `python -m analysis.clinic contract`"
    )
    assert "data/demo/sample_export.csv" in readme and SAMPLE.exists()
