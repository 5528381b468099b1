"""The clinic store: validated, pseudonymised visits in one DuckDB file, each import written in
one transaction and recorded (history) with what it replaced, so that it can be undone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from analysis.clinic.contract import BY_NAME, DTYPES, VISIT_COLUMNS
from analysis.clinic.errors import ClinicDatabaseBusy, ClinicStoreError
from analysis.clinic.problems import Problems, empty_problems
from analysis.clinic.pseudonyms import pseudonymise, secret_for
from analysis.clinic.validation import _SQL_TYPES, read_export

if TYPE_CHECKING:  # pandas loads only when a table is asked for
    import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = ROOT / "var" / "clinic.duckdb"
STORED_COLUMNS: tuple[str, ...] = ("patient_key", *VISIT_COLUMNS[1:])


@dataclass(frozen=True)
class ImportResult:
    """The outcome of one `import_file` call."""

    import_id: int | None
    filename: str
    file_sha256: str
    rows_added: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    already_imported: bool = False
    report: Problems | None = field(default=None, repr=False)

    @cached_property
    def problems(self) -> pd.DataFrame:
        return self.report.frame() if self.report else empty_problems()

    @property
    def ok(self) -> bool:
        return not self.report

    def summary(self) -> str:
        if not self.ok:
            rows = f" in {self.rows_rejected} data row(s)" if self.rows_rejected else ""
            return (
                f"Refused {self.filename}: {len(self.problems)} problem(s){rows}; "
                "nothing was written."
            )
        if self.already_imported:
            return (
                f"{self.filename} was already imported (import {self.import_id}); "
                "nothing was added."
            )
        return (
            f"Imported {self.filename} as import {self.import_id}: {self.rows_added} added, "
            f"{self.rows_updated} updated, {self.rows_unchanged} unchanged, "
            f"{self.rows_rejected} rejected."
        )


def _column_ddl(name: str) -> str:
    """A visit column's SQL definition from the contract: type, NOT NULL, range or categories."""
    if name == "patient_key":
        return "patient_key VARCHAR NOT NULL"
    column = BY_NAME[name]
    parts = [name, _SQL_TYPES[column.kind]]
    if column.required:
        parts.append("NOT NULL")
    if column.minimum is not None:
        parts.append(f"CHECK ({name} BETWEEN {column.minimum:g} AND {column.maximum:g})")
    if column.categories:
        allowed = ", ".join(f"'{c}'" for c in column.categories)
        parts.append(f"CHECK ({name} IN ({allowed}))")
    return " ".join(parts)


_VISIT_DDL = ",\n    ".join(_column_ddl(name) for name in STORED_COLUMNS)
_COLS = ", ".join(STORED_COLUMNS)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,          -- UTC
    filename VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    active_sha256 VARCHAR UNIQUE,            -- file_sha256 until undone, then NULL
    rows_in_file INTEGER NOT NULL,
    rows_added INTEGER NOT NULL,
    rows_updated INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    date_format VARCHAR,
    undone_at TIMESTAMP                      -- UTC
);
-- One visit per patient and date: the unique index visits_key (see _write_visits).
CREATE TABLE IF NOT EXISTS visits (
    {_VISIT_DDL},
    import_id INTEGER NOT NULL               -- the import that wrote this version
);
-- Versions an import replaced, so that undoing it can put them back.
CREATE TABLE IF NOT EXISTS replaced_visits (
    replaced_by INTEGER NOT NULL,
    {_VISIT_DDL},
    import_id INTEGER NOT NULL
);
-- What each import did to each visit of its file: added, updated or unchanged.
CREATE TABLE IF NOT EXISTS import_rows (
    import_id INTEGER NOT NULL,
    patient_key VARCHAR NOT NULL,
    visit_date DATE NOT NULL,
    action VARCHAR NOT NULL CHECK (action IN ('added', 'updated', 'unchanged'))
);
"""  # noqa: S608 -- column names and limits come from the contract, never from a file

HISTORY_COLUMNS = (
    "import_id", "imported_at", "filename", "file_sha256", "rows_added", "rows_updated",
    "rows_rejected", "undone_at",
)  # fmt: skip
_SECRET_CHECK = b"rugzicht: which secret filled this database"
_write_locks: dict[Path, threading.Lock] = {}
_open_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def default_db_path() -> Path:
    """``$RUGZICHT_DB`` when set, else ``var/clinic.duckdb`` in the project folder."""
    return Path(os.environ.get("RUGZICHT_DB") or DEFAULT_DB_PATH)


def _write_lock(path: Path) -> threading.Lock:
    """One writer at a time per database inside this process (imports and undos)."""
    with _locks_guard:
        return _write_locks.setdefault(path.resolve(), threading.Lock())


def _open_lock(path: Path) -> threading.Lock:
    """Opening and closing connections to one file, one thread at a time: DuckDB shares one
    database instance per file within a process, and two threads opening it at the same moment
    can collide ("Unique file handle conflict")."""
    with _locks_guard:
        return _open_locks.setdefault(path.resolve(), threading.Lock())


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _empty_visits() -> pd.DataFrame:
    import pandas as pd

    columns = {"patient_key": pd.Series(dtype="str")}
    for name in STORED_COLUMNS[1:]:
        columns[name] = pd.Series(dtype=DTYPES[BY_NAME[name].kind])
    return pd.DataFrame(columns)


def _stage(
    con: duckdb.DuckDBPyConnection, staged: duckdb.DuckDBPyRelation
) -> dict[str, int] | None:
    """Compare the file's visits (a relation of `con`) with the stored ones: each is added,
    updated or unchanged (table `incoming`, and the counts). None when the store has no visits
    yet: every visit is added, and `incoming` is a view of the file's visits, read once, by the
    insert (see `_written`)."""
    con.register("staged_visits", staged)
    casts = ", ".join(
        f"CAST({name} AS {_SQL_TYPES[BY_NAME[name].kind]}) AS {name}"
        if name != "patient_key"
        else name
        for name in STORED_COLUMNS
    )
    if not _one(con, "SELECT count(*) FROM visits")[0]:
        con.execute(
            f"CREATE TEMP VIEW incoming AS SELECT {casts}, 'added' AS action FROM staged_visits"  # noqa: S608
        )
        return None
    same = " AND ".join(f"s.{name} IS NOT DISTINCT FROM v.{name}" for name in STORED_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE incoming AS
        WITH s AS (SELECT {casts} FROM staged_visits)
        SELECT s.*,
               CASE WHEN v.patient_key IS NULL THEN 'added'
                    WHEN {same} THEN 'unchanged'
                    ELSE 'updated' END AS action
        FROM s LEFT JOIN visits v
          ON v.patient_key = s.patient_key AND v.visit_date = s.visit_date
    """)  # noqa: S608 -- names from the contract
    return _counts(con)


def _written(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The first visits of a store, all added: `incoming` becomes what was written (so that
    the file's visits are not computed again for the counts and the log)."""
    con.execute(
        "CREATE OR REPLACE TEMP VIEW incoming AS "
        "SELECT patient_key, visit_date, 'added' AS action FROM visits"
    )
    return _counts(con)


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = dict(con.execute("SELECT action, count(*) FROM incoming GROUP BY action").fetchall())
    return {action: int(counts.get(action, 0)) for action in ("added", "updated", "unchanged")}


def _write_visits(con: duckdb.DuckDBPyConnection, import_id: int, updates: bool = True) -> None:
    """Keep the versions being replaced, then write the added and updated visits (with no
    update, only the inserts: the usual first import of a file)."""
    if updates:
        _replace_visits(con, import_id)
    con.execute(
        f"INSERT INTO visits SELECT {_COLS}, ? FROM incoming "  # noqa: S608
        "WHERE action IN ('added', 'updated')",
        [import_id],
    )
    # Made once the first import's visits are in: built in one pass, about twice as fast as a
    # primary key filled visit by visit. (Databases made before it keep their primary key too.)
    con.execute("CREATE UNIQUE INDEX IF NOT EXISTS visits_key ON visits (patient_key, visit_date)")


def _replace_visits(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Keep the versions the updated visits replace, and delete them from the visits."""
    con.execute(
        f"""INSERT INTO replaced_visits
            SELECT ?, {", ".join("v." + c for c in STORED_COLUMNS)}, v.import_id
            FROM visits v JOIN incoming i
              ON v.patient_key = i.patient_key AND v.visit_date = i.visit_date
            WHERE i.action = 'updated'""",  # noqa: S608 -- names from the contract
        [import_id],
    )
    con.execute("""
        DELETE FROM visits USING incoming i
        WHERE visits.patient_key = i.patient_key AND visits.visit_date = i.visit_date
          AND i.action = 'updated'
    """)


def _log_rows(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Record what the import did to each visit of its file (what undo works from)."""
    con.execute(
        "INSERT INTO import_rows SELECT ?, patient_key, visit_date, action FROM incoming",
        [import_id],
    )


# Why a connection is retried while another thread of this process removes the database file.
_REMOVING = "lock: the database is being removed"


class ClinicStore:
    """The clinic's visits in one DuckDB file: atomic, idempotent imports, history and undo.

    Re-importing the same bytes adds nothing; an overlapping export adds new visits and updates
    changed ones (a visit is identified by patient and date); a visit missing from a later export
    is kept. Undoing an import restores the visits it added or changed to what they were before;
    that is refused while a later import still builds on the same visits (undo that one first).

    Every method opens its own short-lived connection, so one store can be shared by threads
    (Streamlit reruns) and the file is free for other programs between operations.
    """

    def __init__(
        self,
        db_path: Path | str | None = None,
        *,
        secret_path: Path | str | None = None,
        busy_timeout: float = 3.0,
    ):
        self.db_path = Path(db_path) if db_path is not None else default_db_path()
        self.secret_path = Path(secret_path) if secret_path is not None else None
        self.busy_timeout = busy_timeout

    # -- connections ------------------------------------------------------------------------

    @contextmanager
    def _connect(self, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """A connection, or None when the database does not exist and `create` is False. A
        database created here is removed again when nothing was written to it (a refused or
        failed first import leaves none behind).

        A lock held by another process is waited for up to `busy_timeout` seconds, then
        reported as `ClinicDatabaseBusy` instead of DuckDB's IO error."""
        path = self.db_path
        new = not path.exists()
        if new:
            if not create:
                yield None
                return
            path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.busy_timeout
        guard = _open_lock(path)
        while True:
            try:
                with guard:
                    con = duckdb.connect(str(path))
                    if path.exists() or not create:
                        break
                    con.close()  # a removed database another thread still has open: wait
                raise duckdb.IOException(_REMOVING)
            except duckdb.IOException as exc:
                text = str(exc)
                if "lock" not in text.lower():
                    raise ClinicStoreError(
                        f"the clinic database {path} cannot be opened: {text}"
                    ) from None
                if time.monotonic() >= deadline and text == _REMOVING:
                    raise ClinicDatabaseBusy(
                        f"the clinic database {path} is being removed by a failed first import "
                        "elsewhere in this program; try again"
                    ) from None
                if time.monotonic() >= deadline:
                    held = re.search(r"Conflicting lock is held in (.*?)(?:\. See|$)", text)
                    by = f" ({held.group(1)})" if held else ""
                    raise ClinicDatabaseBusy(
                        f"the clinic database {path} is in use by another program{by}; close "
                        "it (or wait for its import to finish) and try again"
                    ) from None
                time.sleep(0.1)
            except duckdb.ConnectionException as exc:
                raise ClinicDatabaseBusy(
                    f"the clinic database {path} is open elsewhere in this program with "
                    f"other settings ({exc}); try again"
                ) from None
        try:
            if new:
                os.chmod(path, 0o600)  # pseudonymised health data: owner only
            yield con
        finally:
            with guard:
                if new and not self._has_schema(con):
                    path.unlink()
                con.close()

    def _has_schema(self, con: duckdb.DuckDBPyConnection) -> bool:
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_name IN ('imports', 'visits')"
        ).fetchall()[0]
        return bool(found and found[0] == 2)

    # -- reading ----------------------------------------------------------------------------

    def history(self) -> pd.DataFrame:
        """Every import, oldest first (times in UTC; undone ones keep their row)."""
        query = f"SELECT {', '.join(HISTORY_COLUMNS)} FROM imports ORDER BY import_id"  # noqa: S608
        with self._connect() as con:
            rows = con.execute(query).df() if con and self._has_schema(con) else None
        import pandas as pd

        if rows is None:
            rows = pd.DataFrame({name: [] for name in HISTORY_COLUMNS})
        types = {name: "Int64" for name in HISTORY_COLUMNS if name.startswith("rows_")}
        types |= {"import_id": "Int64", "filename": "str", "file_sha256": "str"}
        types |= {"imported_at": "datetime64[us]", "undone_at": "datetime64[us]"}
        return rows.astype(types)

    def visits(self) -> pd.DataFrame:
        """The stored visits: patient_key, then the canonical columns (no patient_id).

        Read through Arrow (dates as timestamps): DuckDB's own pandas conversion makes a
        Python object of every text cell, several times slower for a large clinic."""
        columns = _COLS.replace("visit_date", "CAST(visit_date AS TIMESTAMP) AS visit_date")
        query = f"SELECT {columns} FROM visits ORDER BY patient_key, visit_date"  # noqa: S608
        with self._connect() as con:
            has_rows = con is not None and self._has_schema(con)
            rows = con.sql(query).to_arrow_table().to_pandas() if has_rows else None
        if rows is None:
            return _empty_visits()
        return rows.astype(_empty_visits().dtypes.to_dict())

    def has_data(self) -> bool:
        with self._connect() as con:
            if con is None or not self._has_schema(con):
                return False
            found = _one(con, "SELECT count(*) FROM visits")
        return bool(found and found[0] > 0)

    def _active_import(self, con, sha: str) -> int | None:
        found = _one(con, "SELECT import_id FROM imports WHERE active_sha256 = ?", [sha])
        return int(found[0]) if found else None

    # -- writing ----------------------------------------------------------------------------

    def import_file(
        self,
        data: bytes,
        filename: str,
        date_format: str | None = None,
        *,
        today: dt.date | None = None,
    ) -> ImportResult:
        """Validate the whole file, then write it in one transaction (or write nothing).

        The same bytes imported again are reported as already imported; an overlapping export
        adds its new visits and updates the changed ones."""
        sha = hashlib.sha256(data).hexdigest()
        name = Path(filename).name or "upload"
        with _write_lock(self.db_path), self._connect(create=True) as con:
            try:
                existing = self._active_import(con, sha) if self._has_schema(con) else None
                if existing is not None:
                    return ImportResult(existing, name, sha, already_imported=True)
                read = read_export(data, name, date_format, today, con)  # read where it is written
                if not read.ok:
                    rejected = read.rows_with_problems
                    return ImportResult(None, name, sha, rows_rejected=rejected, report=read.report)
                secret = secret_for(self.secret_path)
                staged = pseudonymise(read.table, secret)
                check = hmac.new(secret, _SECRET_CHECK, hashlib.sha256).hexdigest()[:16]
                con.execute("BEGIN TRANSACTION")
                try:
                    con.execute(SCHEMA)
                    self._check_secret(con, check)
                    found = _one(con, "SELECT coalesce(max(import_id), 0) + 1 FROM imports")
                    import_id = int(found[0])
                    found = _stage(con, staged)  # None: the store's first visits
                    _write_visits(con, import_id, bool(found and found["updated"]))
                    counts = _written(con) if found is None else found
                    con.execute(
                        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                        [
                            import_id, _utcnow(), name, sha, sha, read.rows_read, counts["added"],
                            counts["updated"], counts["unchanged"], 0, read.date_format,
                        ],
                    )  # fmt: skip
                    _log_rows(con, import_id)
                    con.execute("DROP VIEW incoming" if found is None else "DROP TABLE incoming")
                    con.unregister("staged_visits")
                    con.execute("COMMIT")
                except BaseException as exc:
                    _rollback(con)
                    if isinstance(exc, duckdb.TransactionException):
                        raise ClinicDatabaseBusy(
                            "another import changed the clinic database at the same time; nothing "
                            "was written, try again"
                        ) from exc
                    raise
            finally:
                # The reader's speed setting is global to the database: the store's other
                # connections keep DuckDB's default.
                con.execute("RESET preserve_insertion_order")

        return ImportResult(
            import_id,
            name,
            sha,
            rows_added=counts["added"],
            rows_updated=counts["updated"],
            rows_unchanged=counts["unchanged"],
        )

    def _check_secret(self, con: duckdb.DuckDBPyConnection, check: str) -> None:
        """Refuse to mix patient keys made with two different secrets in one database."""
        found = _one(con, "SELECT value FROM meta WHERE key = 'secret_check'")
        if found is None:
            con.execute("INSERT INTO meta VALUES ('secret_check', ?)", [check])
        elif found[0] != check:
            raise ClinicStoreError(
                f"the clinic database {self.db_path} was filled using a different secret, so "
                "the same patient would get two keys. Point RUGZICHT_SECRET_FILE at the secret "
                "used before (or start a new database)"
            )

    def undo(self, import_id: int) -> None:
        """Restore the visits as they were before `import_id`: remove what it added, put back
        what it updated. Refused while a later import still builds on the same visits."""
        with _write_lock(self.db_path), self._connect() as con:
            if con is None or not self._has_schema(con):
                raise ClinicStoreError(f"there is no import {import_id}: nothing was imported")
            con.execute("BEGIN TRANSACTION")
            try:
                self._undo(con, int(import_id))
                con.execute("COMMIT")
            except BaseException:
                _rollback(con)
                raise

    def _undo(self, con: duckdb.DuckDBPyConnection, import_id: int) -> None:
        found = _one(
            con, "SELECT filename, undone_at FROM imports WHERE import_id = ?", [import_id]
        )
        if found is None:
            raise ClinicStoreError(f"there is no import {import_id}; `history` lists the imports")
        if found[1] is not None:
            raise ClinicStoreError(
                f"import {import_id} ({found[0]}) was already undone on {found[1]:%Y-%m-%d %H:%M}"
                " UTC"
            )
        later = con.execute(
            """SELECT DISTINCT other.import_id
               FROM import_rows mine
               JOIN import_rows other
                 ON other.patient_key = mine.patient_key AND other.visit_date = mine.visit_date
               JOIN imports i ON i.import_id = other.import_id
               WHERE mine.import_id = ? AND mine.action IN ('added', 'updated')
                 AND other.import_id > ? AND i.undone_at IS NULL
               ORDER BY 1""",
            [import_id, import_id],
        ).fetchall()
        if later:
            ids = ", ".join(str(row[0]) for row in later)
            raise ClinicStoreError(
                f"import {import_id} cannot be undone on its own: later import(s) {ids} "
                "changed or re-imported some of the same visits. Undo those first, newest first"
            )
        con.execute(
            """DELETE FROM visits USING import_rows r
               WHERE r.import_id = ? AND r.action IN ('added', 'updated')
                 AND visits.patient_key = r.patient_key AND visits.visit_date = r.visit_date""",
            [import_id],
        )
        con.execute(
            f"INSERT INTO visits SELECT {_COLS}, import_id FROM replaced_visits "  # noqa: S608
            "WHERE replaced_by = ?",
            [import_id],
        )
        con.execute(
            "UPDATE imports SET undone_at = ?, active_sha256 = NULL WHERE import_id = ?",
            [_utcnow(), import_id],
        )


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, reading the result to its end (DuckDB 2.0 refuses other work
    on a connection while a result is unfinished)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open (a failed COMMIT has already ended it)."""
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")
