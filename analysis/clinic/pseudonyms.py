"""Pseudonyms: the clinic's patient numbers replaced by a keyed hash (HMAC-SHA256) under a
per-installation secret, created on first use and kept outside the repository.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.clinic.errors import ClinicStoreError

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SECRET_PATH = ROOT / "var" / "clinic_secret"


def secret_for(path: Path | None = None) -> bytes:
    """The installation's secret for patient keys, created (mode 0600) on first use.

    Looked up at `path`, else ``$RUGZICHT_SECRET_FILE``, else ``var/clinic_secret``. Losing it
    means the same patient gets a new key, so keep it with the database backups (never in git).
    """
    if path is None:
        path = Path(os.environ.get("RUGZICHT_SECRET_FILE") or DEFAULT_SECRET_PATH)
    path = Path(path)
    if not path.exists():
        _create_secret(path)
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < 16:
        raise ClinicStoreError(
            f"the secret file {path} is damaged (expected 64 hexadecimal characters); restore "
            "it from a backup, or point RUGZICHT_SECRET_FILE at the right file"
        )
    return secret


def _create_secret(path: Path) -> None:
    """Write a new secret so that it appears whole or not at all: written to a private file
    beside `path`, then hard-linked into place, which fails if another thread or process got
    there first (that secret is then the one used)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another thread or process created it meanwhile: use theirs
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def patient_key(patient_id: str, secret: bytes) -> str:
    """The stored stand-in for a patient id: HMAC-SHA256 under the secret, 16 hex characters."""
    return hmac.digest(secret, patient_id.encode("utf-8"), "sha256").hex()[:16]


def pseudonymise(visits: pd.DataFrame | duckdb.DuckDBPyRelation, secret: bytes):
    """`visits` with `patient_id` replaced by `patient_key` (first column): a pandas table, or
    the importer's DuckDB relation (the same keys, by DuckDB's SHA-256, once per patient; computed
    when the relation is read)."""
    if not secret:
        raise ValueError("an empty secret would make patient keys guessable")
    if not hasattr(visits, "iloc"):  # keyed once per patient, as the relation is read
        return visits.query(
            "v",
            "WITH w AS MATERIALIZED (FROM v) SELECT k.patient_key, w.* EXCLUDE (patient_id) "  # noqa: S608
            f"FROM w JOIN (SELECT patient_id, {_patient_key_sql(secret)} AS patient_key "
            "FROM (SELECT DISTINCT patient_id FROM w)) k USING (patient_id)",
        )
    import pandas as pd

    codes, uniques = pd.factorize(visits["patient_id"])
    keys = [patient_key(str(pid), secret) for pid in uniques]
    out = visits.drop(columns="patient_id")
    keys = pd.Series([*keys, None], dtype="str").take(codes)  # code -1 (missing): None
    out.insert(0, "patient_key", keys.set_axis(visits.index))
    return out


def _patient_key_sql(secret: bytes, column: str = "patient_id") -> str:
    """`patient_key` as a DuckDB expression: HMAC-SHA256 (RFC 2104) spelled out with sha256."""
    key = hashlib.sha256(secret).digest() if len(secret) > 64 else secret
    pads = (bytes(b ^ pad for b in key.ljust(64, b"\0")).hex() for pad in (0x36, 0x5C))
    inner, outer = (f"unhex('{pad}')" for pad in pads)
    return f"left(sha256({outer} || unhex(sha256({inner} || encode({column})))), 16)"
