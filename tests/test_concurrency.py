"""Imports and reads at the same time (issue 7): "two imports and three readers at once, no lock
errors; either both commit or one gets a clear 'try again' message", in one process (Streamlit
sessions are threads) and across two processes (the command line beside the dashboard).

tests/test_clinic_store.py already runs several imports beside readers on one shared store, and
a bare DuckDB connection held by another process; this file adds two *different, overlapping*
exports started at the same instant by a barrier, each session with its own ClinicStore, and a
real command-line import holding the database while another process reads.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from analysis.clinic import ClinicDatabaseBusy, ClinicStore

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "data" / "demo" / "sample_export.csv"  # four visits in January 2024
TODAY = dt.date(2025, 6, 30)
HEADER = b"patientnummer;datum;sessie;pijnscore;klachtduur\r\n"
# Two different exports that share one visit: PX-3003 on 20-03-2024, pain 6 in A and 3 in B.
EXPORTS = {
    "a.csv": HEADER + b"PX-3001;13-03-2024;1;7;acuut\r\nPX-3002;14-03-2024;1;8;acuut\r\n"
    b"PX-3003;20-03-2024;1;6;acuut\r\n",
    "b.csv": HEADER + b"PX-3003;20-03-2024;1;3;acuut\r\nPX-3004;21-03-2024;1;5;acuut\r\n"
    b"PX-3005;22-03-2024;1;4;acuut\r\n",
}
# What a lock or thread-affinity failure would say (DuckDB, SQLite, Python's sqlite3).
LOCK_ERRORS = (
    "could not set lock", "conflicting lock", "database is locked", "unique file handle",
    "same thread", "transactioncontext", "write-write conflict",
)  # fmt: skip


def is_clear_busy(exc: BaseException) -> bool:
    """The refusal the issue asks for: our own busy error, telling the owner to try again."""
    return isinstance(exc, ClinicDatabaseBusy) and "try again" in str(exc)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding one good import (4 visits)."""
    store = ClinicStore(tmp_path / "clinic.duckdb", secret_path=tmp_path / "secret")
    assert store.import_file(GOOD.read_bytes(), GOOD.name, today=TODAY).rows_added == 4
    return store.db_path


def session(db: Path) -> ClinicStore:
    """What each Streamlit session does: its own store object on the shared file."""
    return ClinicStore(db, secret_path=db.parent / "secret")


@pytest.mark.parametrize("round_", range(3))
def test_two_imports_and_three_readers_at_once(db, round_):
    start = threading.Barrier(5)
    writers_done = threading.Event()
    outcomes: dict[str, object] = {}
    reader_errors: list[BaseException] = []
    seen: dict[int, list[tuple[int, int]]] = {}

    def write(name: str) -> None:
        start.wait()
        try:
            outcomes[name] = session(db).import_file(EXPORTS[name], name, today=TODAY)
        except BaseException as exc:  # judged below: only a clear busy error is allowed
            outcomes[name] = exc

    def read(reader: int) -> None:
        store = session(db)
        start.wait()
        try:
            while True:
                done = writers_done.is_set()
                seen.setdefault(reader, []).append((len(store.visits()), len(store.history())))
                if done:
                    return
        except BaseException as exc:  # reported below
            reader_errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in EXPORTS]
    readers = [threading.Thread(target=read, args=(i,)) for i in range(3)]
    for thread in threads + readers:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    writers_done.set()
    for thread in readers:
        thread.join(timeout=60)

    assert not reader_errors, reader_errors
    texts = [str(o).lower() for o in [*outcomes.values(), *reader_errors]]
    assert not [t for t in texts if any(lock in t for lock in LOCK_ERRORS)], texts
    committed = {}
    for name, outcome in outcomes.items():
        if isinstance(outcome, BaseException):
            assert is_clear_busy(outcome), f"{name}: {outcome!r}"
        else:
            assert outcome.ok and not outcome.already_imported, outcome.summary()
            committed[name] = outcome.import_id
    assert committed, "neither import committed"

    store = session(db)
    history = store.history()
    assert history["filename"].tolist()[1:] == sorted(committed, key=committed.get)
    visits = store.visits()
    added = {"a.csv": 3, "b.csv": 3}
    expected_visits = 4 + sum(added[name] for name in committed) - (len(committed) == 2)
    assert len(visits) == expected_visits
    # The shared visit holds the pain of whichever import committed last.
    last = max(committed, key=committed.get)
    shared = visits.loc[visits["visit_date"] == "2024-03-20", "pain_nrs"].tolist()
    assert shared == [{"a.csv": 6.0, "b.csv": 3.0}[last]]
    # Readers saw whole imports only, never going back: visits 4 -> 7 -> 9, history 1 -> 2 -> 3.
    for observations in seen.values():
        assert observations, "a reader never read"
        assert {v for v, _ in observations} <= {4, 7, expected_visits}
        assert {h for _, h in observations} <= {1, 2, 3}
        for column in zip(*observations, strict=True):
            assert list(column) == sorted(column)


def cli_child() -> None:
    """Run in the child process: the command-line import of argv's file, pausing inside its
    transaction (visits written, not committed) until the parent writes a line to stdin."""
    from analysis.clinic import cli
    from analysis.clinic import store as store_module

    write_visits = store_module._write_visits

    def paused(*args):
        write_visits(*args)
        print("importing", flush=True)
        sys.stdin.readline()

    store_module._write_visits = paused
    sys.exit(cli.main(sys.argv[1:]))


def test_a_command_line_import_in_progress_gives_readers_a_clear_try_again(db, tmp_path):
    export = tmp_path / "a.csv"
    export.write_bytes(EXPORTS["a.csv"])
    env = {**os.environ, "RUGZICHT_SECRET_FILE": str(db.parent / "secret")}
    command = [
        sys.executable, "-c", "from tests.test_concurrency import cli_child; cli_child()",
        "import", str(export), "--db", str(db),
    ]  # fmt: skip
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        try:
            assert child.stdout.readline().strip() == "importing", child.stderr.read()
            reader = ClinicStore(db, secret_path=db.parent / "secret", busy_timeout=0.2)
            for read in (reader.visits, reader.history, reader.has_data):
                with pytest.raises(ClinicDatabaseBusy) as refused:
                    read()
                assert "in use by another program" in str(refused.value)
                assert "try again" in str(refused.value)
            with pytest.raises(ClinicDatabaseBusy, match="try again"):
                reader.import_file(EXPORTS["b.csv"], "b.csv", today=TODAY)
            child.stdin.write("go on\n")
            child.stdin.flush()
            stdout, stderr = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == 0, stderr
    assert "Imported a.csv as import 2: 3 added" in stdout
    after = session(db)  # the reader retries once the import is done, and sees all of it
    assert after.history()["filename"].tolist() == [GOOD.name, "a.csv"]
    assert len(after.visits()) == 7
