"""Wrong owner passwords counted across sessions, restarts, threads and processes
(`dashboard.signin_guard`): the pure policy with the time passed in, the SQLite store, the CLI."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dashboard import signin_guard as guard
from dashboard.signin_guard import FAILED, OK, REFUSED, Attempt, Policy

ROOT = Path(__file__).resolve().parents[1]
POLICY = Policy(free_per_address=3, free_total=10, base_delay=30, max_delay=86_400)
T0 = 1_800_000_000.0


def fails(address: str, times) -> list[Attempt]:
    return [Attempt(T0 + s, address, FAILED) for s in times]


# -- the pure policy -----------------------------------------------------------------------


def test_the_wait_is_free_then_doubles_up_to_a_day():
    waits = [guard.wait_after(n, 3, POLICY) for n in range(1, 16)]
    assert waits[:2] == [0, 0]
    assert waits[2:8] == [30, 60, 120, 240, 480, 960]
    assert waits[-1] == 86_400 and max(waits) == 86_400
    assert guard.wait_after(10_000, 3, POLICY) == 86_400  # no overflow


def test_fifteen_wrong_passwords_from_fresh_sessions_close_the_sign_in():
    """The issue's case: 15 guesses from three sessions, then the right password. Sessions on
    one address share one count; only the first three guesses are free."""
    attempts = fails("local", [0, 1, 2])
    state = guard.status(attempts, "local", T0 + 3, POLICY)
    assert state.closed_until == T0 + 2 + 30 and state.address_failures == 3
    # Open again after the wait; the next wrong password closes it for twice as long.
    assert guard.closed_until(attempts, "local", T0 + 33, POLICY) is None
    attempts += fails("local", [33])
    assert guard.closed_until(attempts, "local", T0 + 34, POLICY) == T0 + 33 + 60


def test_a_success_resets_its_own_address_but_not_the_total():
    attempts = fails("10.0.0.1", [0, 1]) + fails("10.0.0.2", [2, 3, 4, 5])
    attempts.append(Attempt(T0 + 6, "10.0.0.1", OK))
    mine = guard.status(attempts, "10.0.0.1", T0 + 7, POLICY)
    assert mine.address_failures == 0
    assert mine.total_failures == 6  # the other address's guesses still count in total
    other = guard.status(attempts, "10.0.0.2", T0 + 7, POLICY)
    assert other.address_failures == 4 and other.is_closed  # still closed for the guesser


def test_guesses_from_many_addresses_close_it_for_everyone():
    attempts = [Attempt(T0 + i, f"10.0.1.{i}", FAILED) for i in range(10)]
    for address in ("10.0.1.0", "192.0.2.7", "local"):
        state = guard.status(attempts, address, T0 + 10, POLICY)
        assert state.closed_until == T0 + 9 + 30, address
    assert guard.status(attempts, None, T0 + 10, POLICY).closed_until == T0 + 39
    # Nine would not have: every address is below its own limit, the total below its own.
    assert guard.closed_until(attempts[:9], "192.0.2.7", T0 + 10, POLICY) is None


def test_only_the_last_day_counts_and_an_unlock_clears_the_count():
    attempts = fails("local", [0, 1, 2, 3, 4])
    assert guard.closed_until(attempts, "local", T0 + 5, POLICY) is not None
    assert guard.closed_until(attempts, "local", T0 + 86_400 + 5, POLICY) is None
    cleared = guard.status(attempts, "local", T0 + 6, POLICY, cleared_at=T0 + 5)
    assert cleared.closed_until is None and cleared.total_failures == 0


def test_refused_attempts_do_not_count_and_future_ones_are_ignored():
    attempts = fails("local", [0, 1, 2]) + [
        Attempt(T0 + 5 + i, "local", REFUSED) for i in range(50)
    ]
    assert guard.closed_until(attempts, "local", T0 + 60, POLICY) is None
    future = fails("local", [1000, 1001, 1002])
    assert guard.closed_until(future, "local", T0, POLICY) is None


def test_addresses_and_policy_settings():
    assert guard.address_key(None) == guard.LOCAL
    assert guard.address_key("  ") == guard.LOCAL
    assert guard.address_key(object()) == guard.LOCAL  # e.g. a mock under AppTest
    assert guard.address_key("203.0.113.9") == "203.0.113.9"
    assert len(guard.address_key("x" * 500)) == 64
    with pytest.raises(ValueError):
        Policy(free_per_address=0)
    with pytest.raises(ValueError):
        Policy(base_delay=0.5)


def test_the_first_wait_can_be_set_but_keeps_doubling(monkeypatch):
    monkeypatch.setenv(guard.ENV_DELAY, "600")
    assert guard.policy_from_env().base_delay == 600
    for bad in ("0", "-5", "1e9", "soon"):
        monkeypatch.setenv(guard.ENV_DELAY, bad)
        assert guard.policy_from_env() == Policy()


def test_times_are_shown_in_the_readers_zone_or_utc():
    assert guard.format_time(0) == "1970-01-01 00:00:00 UTC"
    assert guard.format_time(0, "Europe/Amsterdam") == "1970-01-01 01:00:00 Europe/Amsterdam"
    assert guard.format_time(0, "Not/AZone") == "1970-01-01 00:00:00 UTC"


# -- the store -----------------------------------------------------------------------------


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_file_lives_beside_the_clinic_database(tmp_path, monkeypatch):
    monkeypatch.delenv(guard.ENV_PATH, raising=False)
    monkeypatch.setenv("RUGZICHT_DB", str(tmp_path / "db" / "clinic.duckdb"))
    assert guard.default_path() == tmp_path / "db" / guard.FILE_NAME
    monkeypatch.setenv(guard.ENV_PATH, str(tmp_path / "elsewhere.sqlite"))
    assert guard.default_path() == tmp_path / "elsewhere.sqlite"


def test_the_count_survives_a_restart_and_a_lock_refuses_the_right_password(tmp_path):
    path, clock = tmp_path / "signin.sqlite", Clock()
    assert guard.SigninGuard(path, POLICY, clock).status("local").closed_until is None
    assert not path.exists()  # reading records nothing
    for _ in range(3):
        gate = guard.SigninGuard(path, POLICY, clock).begin("local")  # a new session each time
        assert gate.allowed
        clock.now += 1
    # A "restarted server": a new guard on the same file.
    restarted = guard.SigninGuard(path, POLICY, clock)
    state = restarted.status("local")
    assert state.is_closed and state.closed_until == T0 + 2 + 30
    gate = restarted.begin("local")
    assert not gate.allowed and gate.closed_until == T0 + 32
    assert restarted.recent(10)[0][2:] == (REFUSED, 1)
    # After the wait one more try; a right password counts as a success and resets the address.
    clock.now = T0 + 40
    gate = restarted.begin("local")
    assert gate.allowed
    restarted.succeeded(gate.attempt_id)
    assert restarted.status("local").address_failures == 0
    assert restarted.status(None).total_failures == 3
    assert [row[2] for row in restarted.recent(10, (FAILED, REFUSED, OK))] == [
        OK, REFUSED, FAILED, FAILED, FAILED,
    ]  # fmt: skip


def test_unlock_clears_the_count_but_keeps_the_log(tmp_path):
    path, clock = tmp_path / "signin.sqlite", Clock()
    store = guard.SigninGuard(path, POLICY, clock)
    for _ in range(5):
        store.begin("local")
        clock.now += 1
    assert store.status("local").is_closed
    store.unlock()
    clock.now += 1
    assert not store.status("local").is_closed
    assert len(store.recent(50)) == 5


def _race(path: str, n: int, out) -> None:
    """One of several processes trying `n` passwords at the same instant."""
    store = guard.SigninGuard(path, POLICY, lambda: T0)
    out.put(sum(store.begin("local").allowed for _ in range(n)))


def test_threads_and_processes_at_once_get_no_more_tries_than_the_policy_allows(tmp_path):
    """Check-and-count is one write transaction: however many guesses arrive at the same
    moment, from threads of one server or from several servers on one file, only the free
    three get to check a password."""
    path = tmp_path / "signin.sqlite"
    results: list[bool] = []
    lock = threading.Lock()

    def guess() -> None:
        allowed = guard.SigninGuard(path, POLICY, lambda: T0).begin("local").allowed
        with lock:
            results.append(allowed)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3 and len(results) == 12

    other = tmp_path / "processes.sqlite"
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    procs = [context.Process(target=_race, args=(str(other), 4, out)) for _ in range(4)]
    # A spawned process first runs the parent's __main__, and after an AppTest in the same
    # pytest process that is the app script (Streamlit's script runner leaves it there): the
    # workers would die before reporting. Start them from this module instead (as
    # bench/concurrent.py does).
    main = sys.modules["__main__"]
    sys.modules["__main__"] = sys.modules[__name__]
    try:
        for proc in procs:
            proc.start()
    finally:
        sys.modules["__main__"] = main
    try:
        allowed = sum(out.get(timeout=60) for _ in procs)
    finally:
        for proc in procs:
            proc.join(timeout=60)
            if proc.is_alive():
                proc.kill()
    assert allowed == 3
    store = guard.SigninGuard(other, POLICY, lambda: T0)
    assert sum(n for *_, n in store.recent(100, (FAILED, REFUSED))) == 16


def test_old_rows_are_pruned_by_age_only(tmp_path):
    clock = Clock()
    store = guard.SigninGuard(tmp_path / "s.sqlite", Policy(free_per_address=50, free_total=50),
                              clock)  # fmt: skip
    for _ in range(9):
        store.begin("local")
        clock.now += 1
    assert len(store.recent(100)) == 9
    clock.now += guard.KEEP_SECONDS + 10
    store.begin("local")
    assert len(store.recent(100)) == 1


@pytest.mark.timeout(300)  # 5,000 write transactions on a shared machine
def test_a_flood_of_refused_attempts_neither_opens_the_lock_nor_wipes_the_failures(tmp_path):
    """While closed, refused attempts cost the guesser nothing: thousands of them must not
    push the counted failures (or the owner's log of them) out of the file, and must not make
    the file grow one row each."""
    clock = Clock()
    store = guard.SigninGuard(tmp_path / "s.sqlite", POLICY, clock)
    for _ in range(3):
        assert store.begin("203.0.113.5").allowed
        clock.now += 1
    until = store.status("203.0.113.5").closed_until
    assert until == T0 + 2 + 30
    for i in range(5_001):
        assert not store.begin("203.0.113.5").allowed
        clock.now = T0 + 3 + i * 0.005  # all within the wait
    state = store.status("203.0.113.5")
    assert state.closed_until == until and state.address_failures == 3
    assert state.total_failures == 3
    assert len(store.recent(1_000, (FAILED,))) == 3
    refused = store.recent(1_000, (REFUSED,))
    assert len(refused) == guard.REFUSED_ROWS_PER_ADDRESS
    assert sum(n for *_, n in refused) == 5_001, "every refused attempt is still counted"


def test_refused_attempts_are_counted_in_bounded_rows_per_address_and_hour(tmp_path):
    clock = Clock(T0 - T0 % 3600)  # the start of a clock hour
    store = guard.SigninGuard(tmp_path / "s.sqlite", Policy(free_per_address=1, free_total=1),
                              clock)  # fmt: skip
    store.begin("local")  # closes the sign-in for everyone for 30 s
    clock.now += 1
    # Each address tries twice: the first half of them fill the hour's rows, the second half
    # is counted in one row for the other addresses.
    addresses = [f"10.1.{i // 250}.{i % 250}" for i in range(guard.REFUSED_ROWS_PER_HOUR)]
    for address in addresses:
        for _ in range(2):
            assert not store.begin(address).allowed
    rows = store.recent(10_000, (REFUSED,))
    assert len(rows) == guard.REFUSED_ROWS_PER_HOUR + 1
    assert sum(n for *_, n in rows) == 2 * len(addresses)
    others = [row for row in rows if row[1] == guard.OTHERS]
    assert len(others) == 1 and others[0][3] == len(addresses)
    # An address that already has rows this hour goes on counting in its own newest row.
    for _ in range(guard.REFUSED_ROWS_PER_ADDRESS + 2):
        store.begin(addresses[0])
    mine = [row for row in store.recent(10_000, (REFUSED,)) if row[1] == addresses[0]]
    assert len(mine) == 2 and sum(n for *_, n in mine) == 2 + guard.REFUSED_ROWS_PER_ADDRESS + 2
    # A new hour starts new rows; the failure is never touched.
    clock.now += 3600
    store.unlock()
    clock.now += 1
    assert store.begin("local").allowed
    clock.now += 1
    assert not store.begin("local").allowed  # closed again by the failure since the unlock
    assert store.recent(1, (REFUSED,))[0][1:] == ("local", REFUSED, 1)
    assert len(store.recent(100, (FAILED,))) == 2


def test_a_log_from_before_the_count_column_is_read_and_upgraded(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, "
        "address TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN "
        "('failed', 'refused', 'ok'))); CREATE TABLE meta (key TEXT PRIMARY KEY, value REAL);"
    )
    con.executemany(
        "INSERT INTO attempts (at, address, outcome) VALUES (?, 'local', ?)",
        [(T0, FAILED), (T0 + 1, FAILED), (T0 + 2, FAILED), (T0 + 3, REFUSED)],
    )
    con.commit()
    con.close()
    clock = Clock(T0 + 4)
    store = guard.SigninGuard(path, POLICY, clock)
    assert store.recent(1) == [(T0 + 3, "local", REFUSED, 1)]
    assert store.status("local").is_closed
    assert not store.begin("local").allowed
    assert [row[3] for row in store.recent(10)] == [1, 1, 1, 1, 1]


# -- the command line ----------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard.auth", *args],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_the_cli_lists_attempts_and_clears_a_lock(tmp_path):
    path = tmp_path / "signin.sqlite"
    store = guard.SigninGuard(path)
    for _ in range(store.policy.free_per_address):
        store.begin("198.51.100.4")
    assert store.status("198.51.100.4").is_closed
    env = {guard.ENV_PATH: str(path)}
    listed = run_cli("attempts", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "198.51.100.4" in listed.stdout and "failed" in listed.stdout
    unlocked = run_cli("unlock", env=env)
    assert unlocked.returncode == 0, unlocked.stderr
    assert "unlocked" in unlocked.stdout
    assert not guard.SigninGuard(path).status("198.51.100.4").is_closed
    assert run_cli("frobnicate", env=env).returncode == 2
