"""Wrong owner passwords, counted where a new tab or a server restart cannot reset them.

Every sign-in attempt is written to a small SQLite file beside the clinic database
(``var/signin_attempts.sqlite``, or ``$RUGZICHT_SIGNIN_DB``), per client address and in total.
The policy is pure (`closed_until`, time passed in) and the store only records and reads:

- Per address: the first `Policy.free_per_address` wrong passwords cost nothing; from then on
  every wrong password closes the sign-in for that address for `base_delay` seconds, doubling
  with each further one (30 s, 1 min, 2 min, ... up to `max_delay`, one day). A right password
  from the address starts its count again.
- In total, over every address: the same after `Policy.free_total` wrong passwords, and a
  right password does not reset it (an attacker's guesses from other addresses keep counting).
- Only failures of the last `window` (one day) count; ``python -m dashboard.auth unlock`` clears
  the count (failures before it no longer count; they stay in the log).
- While closed, an attempt is refused without checking the password, recorded as "refused" and
  not counted (so the lock-out ends when the page says it does).

What is stored stays small whatever a guesser does, and nothing a guesser does removes a
counted failure: rows are deleted by age only (after `KEEP_SECONDS`, far beyond the policy's
window), never to make room. Failures and successes need no other bound, the policy bounds
them (with the total count closing the sign-in for everyone, at most a few dozen wrong
passwords a day get through). Refused attempts cost the guesser nothing, so they are counted
rather than stored one by one: each address gets at most `REFUSED_ROWS_PER_ADDRESS` rows per
clock hour and the hour at most `REFUSED_ROWS_PER_HOUR`; further refused attempts add to the
count (`n`) of the address's newest row of that hour, or of the hour's `OTHERS` row.

An attempt is counted as a failure *before* the password is checked, in the same write
transaction that checked the lock (`SigninGuard.begin`), and turned into a success afterwards
(`SigninGuard.succeeded`): two server threads or processes guessing at once cannot both slip
through a gap between "is it open?" and "count it". SQLite's own file locking makes the file
safe to share between threads and processes.

The address is Streamlit's ``st.context.ip_address``: None for a browser on the same machine
(counted as "local"), and behind a reverse proxy on the same machine the client address the
proxy sends in X-Forwarded-For (uvicorn trusts it from 127.0.0.1 only). It can be forged by a
client that reaches the server directly from the machine itself; the total count does not
depend on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ENV_PATH = "RUGZICHT_SIGNIN_DB"
ENV_DELAY = "RUGZICHT_SIGNIN_DELAY"
FILE_NAME = "signin_attempts.sqlite"
LOCAL = "local"
FAILED, REFUSED, OK = "failed", "refused", "ok"
# Log rows older than this are deleted (and only these: no row is dropped to make room).
KEEP_SECONDS = 30 * 24 * 3600
# Refused attempts stored one by one per address and per clock hour; the rest are counted in
# the address's newest row of the hour, or (once the hour has REFUSED_ROWS_PER_HOUR rows) in
# the hour's row for OTHERS.
REFUSED_ROWS_PER_ADDRESS = 5
REFUSED_ROWS_PER_HOUR = 200
OTHERS = "(other addresses)"
HOUR = 3600.0


@dataclass(frozen=True)
class Policy:
    """How many wrong passwords are free, and how the wait grows after them."""

    free_per_address: int = 3
    free_total: int = 10
    base_delay: float = 30.0
    max_delay: float = 24 * 3600.0
    window: float = 24 * 3600.0

    def __post_init__(self) -> None:
        if self.free_per_address < 1 or self.free_total < self.free_per_address:
            raise ValueError("need 1 <= free_per_address <= free_total")
        if not 1 <= self.base_delay <= self.max_delay:
            raise ValueError("need 1 <= base_delay <= max_delay")


def policy_from_env() -> Policy:
    """The default policy, with ``$RUGZICHT_SIGNIN_DELAY`` (seconds, 1-3600) as the first wait
    when set. The wait still doubles with every wrong password up to a day whatever it is."""
    raw = os.environ.get(ENV_DELAY, "").strip()
    if not raw:
        return Policy()
    try:
        delay = float(raw)
    except ValueError:
        return Policy()
    return Policy(base_delay=delay) if 1 <= delay <= 3600 else Policy()


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt: when (Unix seconds), from where, and how it ended."""

    at: float
    address: str
    outcome: str  # FAILED, REFUSED or OK


@dataclass(frozen=True)
class Status:
    """Whether the sign-in is open for an address now, and the counts behind that."""

    closed_until: float | None
    address_failures: int
    total_failures: int

    @property
    def is_closed(self) -> bool:
        return self.closed_until is not None


def address_key(ip: str | None) -> str:
    """The address an attempt is counted under: the client's IP, or "local" when Streamlit
    gives none (a browser on the same machine)."""
    text = ip.strip() if isinstance(ip, str) else ""
    return text[:64] if text else LOCAL


def wait_after(failures: int, free: int, policy: Policy) -> float:
    """Seconds the sign-in stays closed after the `failures`-th wrong password: none for the
    first `free - 1`, then `base_delay` doubling per further failure, at most `max_delay`."""
    if failures < free:
        return 0.0
    steps = failures - free
    if steps > 60:  # 2**60 base delays is far past any max_delay
        return policy.max_delay
    return min(policy.base_delay * math.pow(2, steps), policy.max_delay)


def counted(
    attempts: Iterable[Attempt], now: float, policy: Policy, cleared_at: float = 0.0
) -> list[Attempt]:
    """The attempts that count: inside the window, after the last unlock, not in the future."""
    since = max(now - policy.window, cleared_at)
    return sorted((a for a in attempts if since < a.at <= now), key=lambda a: a.at)


def status(
    attempts: Iterable[Attempt],
    address: str | None,
    now: float,
    policy: Policy,
    cleared_at: float = 0.0,
) -> Status:
    """Whether `address` may try a password at `now`, from every recorded attempt (with
    `address` None: the total count only, as it stands for every address)."""
    recent = counted(attempts, now, policy, cleared_at)
    last_ok = max((a.at for a in recent if a.outcome == OK and a.address == address), default=None)
    mine = [
        a.at
        for a in recent
        if address is not None
        and a.outcome == FAILED
        and a.address == address
        and (last_ok is None or a.at > last_ok)
    ]
    everyone = [a.at for a in recent if a.outcome == FAILED]
    until = 0.0
    if mine:
        until = max(until, mine[-1] + wait_after(len(mine), policy.free_per_address, policy))
    if everyone:
        until = max(until, everyone[-1] + wait_after(len(everyone), policy.free_total, policy))
    return Status(
        closed_until=until if until > now else None,
        address_failures=len(mine),
        total_failures=len(everyone),
    )


def closed_until(
    attempts: Iterable[Attempt],
    address: str,
    now: float,
    policy: Policy,
    cleared_at: float = 0.0,
) -> float | None:
    """When the sign-in opens again for `address` (Unix seconds), or None when it is open."""
    return status(attempts, address, now, policy, cleared_at).closed_until


def default_path() -> Path:
    """``$RUGZICHT_SIGNIN_DB``, else ``signin_attempts.sqlite`` beside the clinic database."""
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env)
    from analysis.clinic import default_db_path

    return default_db_path().parent / FILE_NAME


@dataclass(frozen=True)
class Gate:
    """The answer to "may this attempt check a password?": `attempt_id` of the failure already
    recorded for it when allowed, `closed_until` when refused."""

    allowed: bool
    attempt_id: int | None = None
    closed_until: float | None = None


# `n`: how many attempts a row stands for (more than 1 only for counted refused attempts; `at`
# is then the newest of them). Files made before it existed get the column on the next write.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    address TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('failed', 'refused', 'ok')),
    n INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at);
CREATE INDEX IF NOT EXISTS attempts_outcome_at ON attempts (outcome, at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value REAL NOT NULL);
"""


def _has_count(con: sqlite3.Connection) -> bool:
    return any(row[1] == "n" for row in con.execute("PRAGMA table_info(attempts)"))


class SigninGuard:
    """The attempt log in its SQLite file, and the policy applied to it."""

    def __init__(
        self,
        path: Path | str | None = None,
        policy: Policy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.policy = policy or policy_from_env()
        self.clock = clock

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading (BEGIN IMMEDIATE): the check and the
        record it leads to happen without another writer in between."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout = 30000")
            con.executescript(_SCHEMA)
            con.execute("BEGIN IMMEDIATE")
            try:
                if not _has_count(con):  # a file from before `n`; in the transaction, once
                    con.execute("ALTER TABLE attempts ADD COLUMN n INTEGER NOT NULL DEFAULT 1")
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only connection, or None when nothing has been recorded yet."""
        if not self.path.exists():
            yield None
            return
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            con.execute("PRAGMA busy_timeout = 30000")
            has = con.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('attempts', 'meta')"
            ).fetchone()[0]
            yield con if has == 2 else None
        finally:
            con.close()

    def _load(self, con: sqlite3.Connection, now: float) -> tuple[list[Attempt], float]:
        since = now - self.policy.window
        # Refused attempts never count, however many there are: only these rows are read.
        rows = con.execute(
            "SELECT at, address, outcome FROM attempts "
            "WHERE outcome IN (?, ?) AND at > ? ORDER BY at",
            [FAILED, OK, since],
        ).fetchall()
        found = con.execute("SELECT value FROM meta WHERE key = 'cleared_at'").fetchone()
        return [Attempt(*row) for row in rows], float(found[0]) if found else 0.0

    def status(self, address: str | None) -> Status:
        """Whether `address` may try now (None: the total count only), recording nothing."""
        now = self.clock()
        with self._read() as con:
            if con is None:
                return Status(None, 0, 0)
            attempts, cleared = self._load(con, now)
        return status(attempts, address, now, self.policy, cleared)

    def begin(self, address: str) -> Gate:
        """Check the lock for `address` and record the attempt, atomically: refused (and logged
        as such) while closed, else counted as a failure until `succeeded` says otherwise."""
        now = self.clock()
        with self._write() as con:
            attempts, cleared = self._load(con, now)
            until = closed_until(attempts, address, now, self.policy, cleared)
            if until is None:
                cursor = con.execute(
                    "INSERT INTO attempts (at, address, outcome) VALUES (?, ?, ?)",
                    [now, address, FAILED],
                )
                attempt_id = int(cursor.lastrowid)
            else:
                self._refused(con, address, now)
            self._prune(con, now)
        if until is not None:
            return Gate(allowed=False, closed_until=until)
        return Gate(allowed=True, attempt_id=attempt_id)

    def _refused(self, con: sqlite3.Connection, address: str, now: float) -> None:
        """Record a refused attempt: a row of its own while the address and the hour are below
        their limits, else one more in the count of the address's (or OTHERS') newest row."""
        hour = math.floor(now / HOUR) * HOUR
        rows = con.execute(
            "SELECT id, address FROM attempts WHERE outcome = ? AND at >= ? AND at < ? "
            "ORDER BY at DESC, id DESC",
            [REFUSED, hour, hour + HOUR],
        ).fetchall()
        mine = [row_id for row_id, where in rows if where == address]
        if len(mine) < REFUSED_ROWS_PER_ADDRESS and len(rows) < REFUSED_ROWS_PER_HOUR:
            con.execute(
                "INSERT INTO attempts (at, address, outcome) VALUES (?, ?, ?)",
                [now, address, REFUSED],
            )
            return
        others = [row_id for row_id, where in rows if where == OTHERS]
        target = mine[0] if mine else others[0] if others else None
        if target is None:
            con.execute(
                "INSERT INTO attempts (at, address, outcome) VALUES (?, ?, ?)",
                [now, OTHERS, REFUSED],
            )
        else:
            con.execute(
                "UPDATE attempts SET n = n + 1, at = max(at, ?) WHERE id = ?", [now, target]
            )

    def succeeded(self, attempt_id: int) -> None:
        """The password of attempt `attempt_id` was right: it counts as a success."""
        with self._write() as con:
            con.execute(
                "UPDATE attempts SET outcome = ? WHERE id = ? AND outcome = ?",
                [OK, attempt_id, FAILED],
            )

    def unlock(self) -> None:
        """Clear every count: failures before now no longer count (they stay in the log)."""
        now = self.clock()
        with self._write() as con:
            con.execute(
                "INSERT INTO meta (key, value) VALUES ('cleared_at', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [now],
            )

    def recent(self, limit: int = 50, outcomes: tuple[str, ...] = (FAILED, REFUSED)) -> list:
        """The newest rows with these outcomes, newest first: (at, address, outcome, n), where
        `n` is how many attempts the row stands for (`at` the newest of them)."""
        with self._read() as con:
            if con is None:
                return []
            count = "n" if _has_count(con) else "1"
            marks = ", ".join("?" for _ in outcomes)
            return con.execute(
                f"SELECT at, address, outcome, {count} FROM attempts "  # noqa: S608
                f"WHERE outcome IN ({marks}) ORDER BY at DESC, id DESC LIMIT ?",
                [*outcomes, limit],
            ).fetchall()

    def _prune(self, con: sqlite3.Connection, now: float) -> None:
        """Delete rows by age only, never inside the policy's window."""
        keep = max(KEEP_SECONDS, self.policy.window)
        con.execute("DELETE FROM attempts WHERE at < ?", [now - keep])


def format_time(at: float, tz_name: str | None = None) -> str:
    """`at` as 'YYYY-MM-DD HH:MM:SS <zone>' in the reader's time zone when known, else UTC."""
    zone: dt.tzinfo = dt.UTC
    if not isinstance(tz_name, str):
        tz_name = None
    if tz_name:
        try:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(tz_name)
        except (KeyError, ValueError, OSError, TypeError):
            tz_name = None
    stamp = dt.datetime.fromtimestamp(at, tz=zone)
    return f"{stamp:%Y-%m-%d %H:%M:%S} {tz_name or 'UTC'}"
