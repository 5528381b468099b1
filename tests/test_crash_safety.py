"""A crash in the middle of an import loses nothing that was there before.

A child process imports a large valid export (130,000 visits, past DuckDB's row-group size, so
DuckDB writes blocks to the database file before COMMIT) into a store that already holds an
import, and is killed with SIGKILL at a fixed point: the child announces the point on stdout and
then waits, so "halfway" is the same on every run. The parent then opens the database: it must
open without error and hold exactly the previous import (every table), or, when the kill came
after COMMIT, the new import too (DuckDB replays its write-ahead log).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from pandas.testing import assert_frame_equal

from analysis.clinic import ClinicStore

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "data" / "demo" / "sample_export.csv"  # four visits in January 2024
TODAY = dt.date(2025, 6, 30)
PATIENTS, SESSIONS = 13_000, 10  # 130,000 visits, about 9 MB: under the 10 MB upload cap
# Where the child stops: inside the transaction after the visits are written, after the import
# log is written (all but COMMIT), and after COMMIT but before the connection is closed.
KILL_POINTS = ("visits_written", "logged", "committed")


def large_export() -> bytes:
    """A valid Dutch export of PATIENTS x SESSIONS weekly visits (patients PX-000000...)."""
    lines = [
        "patientnummer;episode;datum;sessie;pijnscore;klachtduur;geslacht;leeftijd;regio;odi;"
        "behandeling"
    ]
    start = dt.date(2023, 1, 2)
    for patient in range(PATIENTS):
        for session in range(SESSIONS):
            day = start + dt.timedelta(days=patient % 300 + 7 * session)
            pain = f"{max(8 - session * 0.5, 0):g}".replace(".", ",")
            lines.append(
                f"PX-{patient:06d};1;{day:%d-%m-%Y};{session + 1};{pain};chronisch;V;"
                f"{20 + patient % 60};lage rug;{30 + session};acupunctuur"
            )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def child() -> None:
    """Run in the child process: import argv's file, pausing (until killed) at argv's point.

    The pause wraps the importer's own steps, so the kill lands at the same place every time;
    nothing in analysis.clinic needs a test hook."""
    from analysis.clinic import store as store_module

    db, secret, path, point = sys.argv[1:5]

    def pause() -> None:
        print(point, flush=True)
        sys.stdin.readline()  # the parent kills the process while it waits here

    if point == "committed":
        connect = store_module.ClinicStore._connect

        @contextmanager
        def paused_after_commit(self, create=False):
            with connect(self, create) as con:
                yield con
                if create:  # the writing connection: COMMIT has returned, close has not run
                    pause()

        store_module.ClinicStore._connect = paused_after_commit
    else:
        name = {"visits_written": "_write_visits", "logged": "_log_rows"}[point]
        step = getattr(store_module, name)

        def paused_after_step(*args):
            step(*args)
            pause()

        setattr(store_module, name, paused_after_step)
    store = store_module.ClinicStore(db, secret_path=secret)
    result = store.import_file(Path(path).read_bytes(), "large.csv", today=TODAY)
    print(f"not killed: {result.summary()}", flush=True)


def logical_state(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: what the database says, whatever its bytes."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name"
        ).fetchall()
        return {
            name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for (name,) in tables
        }


@pytest.fixture(scope="module")
def crashes(tmp_path_factory) -> dict[str, dict]:
    """One store per kill point, each holding the good import; a child per store imports the
    large file and is killed at its point. The children run side by side to save time."""
    base = tmp_path_factory.mktemp("crash")
    template = ClinicStore(base / "clinic.duckdb", secret_path=base / "secret")
    assert template.import_file(GOOD.read_bytes(), GOOD.name, today=TODAY).rows_added == 4
    large = base / "large.csv"
    large.write_bytes(large_export())
    runs = {}
    for point in KILL_POINTS:
        folder = base / point
        folder.mkdir()
        for name in ("clinic.duckdb", "secret"):
            shutil.copy2(base / name, folder / name)
        store = ClinicStore(folder / "clinic.duckdb", secret_path=folder / "secret")
        before = {
            "visits": store.visits(),
            "history": store.history(),
            "state": logical_state(store.db_path),
            "size": store.db_path.stat().st_size,
        }
        command = [
            sys.executable, "-c", "from tests.test_crash_safety import child; child()",
            str(store.db_path), str(store.secret_path), str(large), point,
        ]  # fmt: skip
        process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        runs[point] = {"store": store, "before": before, "process": process, "large": large}
    for run in runs.values():
        process = run["process"]
        watchdog = threading.Timer(120, process.kill)  # never hang the suite on a stuck child
        watchdog.start()
        try:
            run["said"] = process.stdout.readline().strip()
            run["size_at_kill"] = run["store"].db_path.stat().st_size
            os.kill(process.pid, signal.SIGKILL)
            _, run["stderr"] = process.communicate(timeout=60)
        finally:
            watchdog.cancel()
        run["returncode"] = process.returncode
    return runs


@pytest.mark.parametrize("point", KILL_POINTS)
def test_the_child_was_killed_at_its_point(crashes, point):
    run = crashes[point]
    assert run["said"] == point, run["stderr"]
    assert run["returncode"] == -signal.SIGKILL


@pytest.mark.parametrize("point", ["visits_written", "logged"])
def test_a_kill_inside_the_transaction_leaves_exactly_the_previous_import(crashes, point):
    run = crashes[point]
    store, before = run["store"], run["before"]
    # DuckDB had already written blocks of the uncommitted visits into the file (if not, the
    # export is too small to test this: DuckDB writes ahead only for whole row groups) ...
    assert run["size_at_kill"] > before["size"], "nothing reached the file before COMMIT"
    # ... and yet the database opens and says exactly what it said before, in every table.
    assert_frame_equal(store.visits(), before["visits"])
    assert_frame_equal(store.history(), before["history"])
    assert logical_state(store.db_path) == before["state"]


def test_the_import_succeeds_when_retried_after_the_crash(crashes):
    run = crashes["visits_written"]
    store = run["store"]
    retried = store.import_file(run["large"].read_bytes(), "large.csv", today=TODAY)
    assert (retried.import_id, retried.rows_added) == (2, PATIENTS * SESSIONS)
    assert store.history()["rows_added"].tolist() == [4, PATIENTS * SESSIONS]


def test_a_kill_after_commit_keeps_the_new_import(crashes):
    run = crashes["committed"]
    store, before = run["store"], run["before"]
    history = store.history()
    assert history["rows_added"].tolist() == [4, PATIENTS * SESSIONS]
    assert history["filename"].tolist() == [GOOD.name, "large.csv"]
    visits = store.visits()
    assert len(visits) == 4 + PATIENTS * SESSIONS
    previous = visits[visits["patient_key"].isin(before["visits"]["patient_key"])]
    assert_frame_equal(previous.reset_index(drop=True), before["visits"])
