"""The bad-import corpus, end to end through the store: every file in tests/fixtures/bad_imports
is imported into a database that already holds a good import; it must be refused with a message
naming the file (and the row and column where there is one), and the database files must stay
byte-for-byte the same. The few files whose content the contract allows are accepted verbatim.

What each file is and what the importer must say about it is in the manifest, cases.toml; the
two files too large to commit (50 MB, an XLSX that unpacks past the cap) are written here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clinic import ClinicStore, files, read_export

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "bad_imports"
MANIFEST = CORPUS / "cases.toml"
CASES: list[dict] = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["case"]
GOOD = ROOT / "data" / "demo" / "sample_export.csv"  # four visits in January 2024
TODAY = dt.date(2025, 6, 30)
KEYS = {
    "file", "what", "outcome", "rule", "row", "column", "value", "fragments", "rules", "absent",
    "cli", "made", "generated", "stored",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Helpers


def fingerprint(db: Path) -> dict[str, str]:
    """SHA-256 of every file DuckDB keeps for `db` (the database, and its WAL if there is one),
    after checking that no connection to it is open in this process (DuckDB refuses a read-only
    connection beside a read-write one, so this open fails if a writer were still holding it)."""
    if db.exists():
        duckdb.connect(str(db), read_only=True).close()
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in db.parent.glob("*.duckdb*")}


@pytest.fixture(scope="session")
def good_template(tmp_path_factory) -> Path:
    """A folder with a database holding one good import (the committed sample export) and the
    secret it was made with; each test copies it rather than importing again."""
    folder = tmp_path_factory.mktemp("good_store")
    store = ClinicStore(folder / "clinic.duckdb", secret_path=folder / "secret")
    result = store.import_file(GOOD.read_bytes(), GOOD.name, today=TODAY)
    assert result.ok and result.rows_added == 4, result.problems["message"].tolist()
    return folder


def good_store(template: Path, folder: Path) -> ClinicStore:
    """A private copy of the template store in `folder`."""
    for path in template.iterdir():
        shutil.copy2(path, folder / path.name)
    return ClinicStore(folder / "clinic.duckdb", secret_path=folder / "secret")


def big_csv(path: Path) -> None:
    """50 MB of valid-looking visit rows (over the 10 MB upload limit)."""
    header = b"patientnummer;datum;pijnscore;klachtduur\r\n"
    row = b"PX-9001;05-02-2024;7;acuut\r\n"
    path.write_bytes(header + row * ((50 * 2**20 - len(header)) // len(row) + 1))


def zip_bomb(path: Path) -> None:
    """A real workbook plus a 60 MB member of zeros: about 60 kB on disk, past the 50 MB cap."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(CORPUS / "several_filled_sheets.xlsx") as workbook:
            for info in workbook.infolist():
                archive.writestr(info, workbook.read(info.filename))
        archive.writestr("xl/media/padding.bin", bytes(60 * 2**20))
    path.write_bytes(buffer.getvalue())


GENERATORS = {"big_csv": big_csv, "zip_bomb": zip_bomb}


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The folder holding the corpus files that are written at test time (once per session)."""
    folder = tmp_path_factory.mktemp("generated_bad_imports")
    for case in CASES:
        if "generated" in case:
            GENERATORS[case["generated"]](folder / case["file"])
    return folder


def case_path(case: dict, request: pytest.FixtureRequest) -> Path:
    if "generated" in case:
        return request.getfixturevalue("generated") / case["file"]
    return CORPUS / case["file"]


def check_problems(problems: pd.DataFrame, case: dict) -> str:
    """The refusal is the one the manifest describes: the same set of rules, and a first problem
    with the rule, row, column, value and wording given. Returns that problem's message."""
    name = case["file"]
    assert not problems.empty
    assert set(problems["rule"]) == set(case.get("rules", [case["rule"]])), problems.to_string()
    for message in problems["message"]:  # every problem names the file first, and its rule
        assert message.startswith((f"{name}, ", f"{name}: ")) and "(rule: " in message, message
    first = problems.iloc[0]
    message = first["message"]
    assert first["rule"] == case["rule"] and message.endswith(f"(rule: {case['rule']})"), message
    if "row" in case:
        assert first["row"] == case["row"] and f"{name}, row {case['row']}" in message, message
    else:
        assert pd.isna(first["row"]) and ", row " not in message.split(":")[0], message
    if "column" in case:
        assert first["column"] == case["column"], message
        assert f"column '{case['column']}'" in message, message
    else:
        assert pd.isna(first["column"]), message
    if "value" in case:
        assert first["value"] == case["value"] and f"value '{case['value']}'" in message, message
    else:
        assert pd.isna(first["value"]), message
    for fragment in case["fragments"]:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    for secret in case.get("absent", []):
        assert not problems["message"].str.contains(secret, regex=False).any()
        assert not problems["value"].str.contains(secret, regex=False).fillna(False).any()
    return message


# --------------------------------------------------------------------------------------------
# The manifest and the folder agree


def test_every_fixture_is_listed_and_every_listed_file_exists():
    on_disk = {path.name for path in CORPUS.iterdir()} - {MANIFEST.name}
    listed = [case["file"] for case in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    committed = {case["file"] for case in CASES if "generated" not in case}
    assert sorted(on_disk - committed) == [], "fixtures missing from cases.toml"
    assert sorted(committed - on_disk) == [], "cases.toml lists files that do not exist"
    assert not {case["file"] for case in CASES if "generated" in case} & on_disk
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_the_manifest_entry_is_complete(case):
    assert set(case) <= KEYS, set(case) - KEYS
    assert case["what"].strip()
    if case.get("outcome", "refused") == "refused":
        assert case["rule"] and case["fragments"], "a refusal needs its rule and wording"
    else:
        assert case["outcome"] == "accepted" and case["stored"]
    if "generated" in case:
        assert case["generated"] in GENERATORS
    else:
        assert (CORPUS / case["file"]).stat().st_size <= 64 * 1024, "keep committed files small"


# --------------------------------------------------------------------------------------------
# Each file, through the store


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_a_bad_export_is_refused_by_name_and_leaves_the_database_byte_identical(
    case, good_template, tmp_path, request
):
    store = good_store(good_template, tmp_path)
    data = case_path(case, request).read_bytes()
    before = fingerprint(store.db_path)
    assert set(before) == {"clinic.duckdb"}

    result = store.import_file(data, case["file"], today=TODAY)

    if case.get("outcome", "refused") == "accepted":
        check_accepted(case, store, data, result, before)
        return
    assert not result.ok and result.import_id is None and not result.already_imported
    assert result.summary().startswith(f"Refused {case['file']}: {len(result.problems)} problem")
    assert result.summary().endswith("nothing was written.")
    check_problems(result.problems, case)
    assert fingerprint(store.db_path) == before


def check_accepted(case, store, data, result, before) -> None:
    """Valid under the contract: imported as one new import, the text stored exactly as written
    (in file order, as the reader read it) and nothing else changed meaning."""
    assert result.ok, result.problems["message"].tolist()
    assert (result.import_id, result.rows_added, result.rows_updated) == (2, 5, 0)
    assert fingerprint(store.db_path) != before  # the fingerprint does see a real write
    read = read_export(data, case["file"], today=TODAY)
    stored = store.visits()
    new = stored[stored["visit_date"] >= "2024-02-01"].sort_values("visit_date")
    in_order = read.visits.sort_values("visit_date")
    for column, expected in case["stored"].items():
        assert read.visits[column].tolist() == expected
        assert new[column].tolist() == in_order[column].tolist()


# --------------------------------------------------------------------------------------------
# The command line refuses the same files, with its documented exit code


def test_the_command_line_refuses_the_same_files_with_exit_code_2(good_template, tmp_path, request):
    """`python -m analysis.clinic import FILE` exits 2 for a refused file (module
    docstring), prints the summary and every problem on stderr, and writes nothing. The runs go
    in parallel, each on its own copy of the store, to keep the suite quick."""
    cases = [case for case in CASES if case.get("cli")]
    assert len(cases) >= 5
    runs = []
    for case in cases:
        folder = tmp_path / Path(case["file"]).stem
        folder.mkdir()
        store = good_store(good_template, folder)
        path = case_path(case, request)
        env = {**os.environ, "RUGZICHT_SECRET_FILE": str(store.secret_path)}
        env.pop("RUGZICHT_DB", None)
        command = [
            sys.executable, "-m", "analysis.clinic", "import", str(path),
            "--db", str(store.db_path),
        ]  # fmt: skip
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        runs.append((case, store, path, fingerprint(store.db_path), process))
    for case, store, path, before, process in runs:
        stdout, stderr = process.communicate(timeout=120)
        name = case["file"]
        assert process.returncode == 2, f"{name}: exit {process.returncode}\n{stderr}"
        assert stdout == "" and "Traceback" not in stderr, stderr
        assert stderr.startswith(f"Refused {name}: ")
        expected = read_export(path.read_bytes(), name).problems  # today's date, like the CLI
        check_problems(expected, case)
        for message in expected["message"]:
            assert f"  - {message}\n" in stderr, f"{name}: {message!r} not printed"
        assert fingerprint(store.db_path) == before


def test_the_upload_limits_used_here_are_the_documented_ones():
    """The 50 MB and zip-bomb cases rely on these caps (module constants, README)."""
    assert files.MAX_FILE_BYTES == 10 * 2**20
    assert files.MAX_UNPACKED_BYTES == 50 * 2**20


# --------------------------------------------------------------------------------------------
# Fuzzing through the store: never an unhandled exception, never a write on refusal

# Cells an export might hold, per column, mostly good: the fuzzer builds near-valid files from
# them, so some are accepted and most of the rest fail late (in validation), not at the first
# byte. Any cell may also be one of the hostile ones.
_GOOD_CELLS = {
    "patientnummer": ["PX-1", "PX-2", "PX-3"],
    "datum": ["13-02-2024", "20-02-2024", "21-03-2024"],
    "pijnscore": ["7", "5,5", "0", "10"],
    "klachtduur": ["acuut", "chronisch", "subacuut"],
    "geslacht": ["V", "M", ""],
    "sessie": ["1", "2", ""],
}
_BAD_CELLS = [
    "px@example.invalid", "2024-02-21", "31-02-2024", "05-02-2024", "14-03-2099", "4.5", "11",
    "-1", "zeven", "=1+1", "lang", "X", "<script>alert(1)</script>", '"', "é€", "", ";", "\x00",
]  # fmt: skip
_header = st.lists(st.sampled_from(["geslacht", "sessie"]), unique=True).flatmap(
    lambda extra: st.permutations(["patientnummer", "datum", "pijnscore", "klachtduur", *extra])
)


def _row(header: list[str]):
    cells = [st.sampled_from(_GOOD_CELLS[name]) for name in header]
    good = st.tuples(*cells).map(list)
    return st.one_of(good, st.lists(st.sampled_from(_BAD_CELLS), max_size=len(header) + 1))


_csv_like = st.builds(
    lambda table, sep, encoding: "\r\n".join(sep.join(cells) for cells in table).encode(
        encoding, "replace"
    ),
    _header.flatmap(lambda h: st.lists(_row(h), min_size=1, max_size=5).map(lambda r: [h, *r])),
    st.sampled_from([";", ";", ",", "|", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
_files = st.one_of(_csv_like, _csv_like, st.binary(max_size=400))


@pytest.fixture(scope="module")
def fuzz_store(good_template, tmp_path_factory) -> ClinicStore:
    """One store for all fuzz examples (a new one per example would dominate the run time)."""
    return good_store(good_template, tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=40, deadline=None)
@given(data=_files, filename=st.sampled_from(["export.csv", "export.csv", "export.txt", "x.xlsx"]))
def test_the_store_never_raises_and_a_refusal_writes_nothing(fuzz_store, data, filename):
    before = fingerprint(fuzz_store.db_path)
    result = fuzz_store.import_file(data, filename, today=TODAY)
    if result.ok:
        assert result.already_imported or result.import_id is not None
        return
    assert result.import_id is None and result.summary().startswith(f"Refused {filename}: ")
    for message in result.problems["message"]:
        assert message.startswith((f"{filename}, ", f"{filename}: ")) and "(rule: " in message
    assert fingerprint(fuzz_store.db_path) == before
