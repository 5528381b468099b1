"""A clinic's treatment records: reading and validating its visit export (`contract`, `files`,
`validation`, `problems`), pseudonymising patient numbers (`pseudonyms`), and the DuckDB store
with import history and undo (`store`, `errors`; command line `python -m analysis.clinic`).
The public API is re-exported here, so callers write ``from analysis import clinic`` and
``clinic.read_export(...)``. The re-exports load on first use (PEP 562), so that the command
line starts without pandas or DuckDB until a command needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "VISIT_COLUMNS": "contract",
    "contract_markdown": "contract",
    "ClinicDatabaseBusy": "errors",
    "ClinicStoreError": "errors",
    "empty_problems": "problems",
    "format_report": "problems",
    "problems_csv": "problems",
    "patient_key": "pseudonyms",
    "pseudonymise": "pseudonyms",
    "secret_for": "pseudonyms",
    "ClinicStore": "store",
    "ImportResult": "store",
    "default_db_path": "store",
    "ReadResult": "validation",
    "read_export": "validation",
    "strptime_format": "validation",
}
__all__ = [
    "VISIT_COLUMNS",
    "ClinicDatabaseBusy",
    "ClinicStore",
    "ClinicStoreError",
    "ImportResult",
    "ReadResult",
    "contract_markdown",
    "default_db_path",
    "empty_problems",
    "format_report",
    "patient_key",
    "problems_csv",
    "pseudonymise",
    "read_export",
    "secret_for",
    "strptime_format",
]

if TYPE_CHECKING:
    from analysis.clinic.contract import VISIT_COLUMNS, contract_markdown
    from analysis.clinic.errors import ClinicDatabaseBusy, ClinicStoreError
    from analysis.clinic.problems import empty_problems, format_report, problems_csv
    from analysis.clinic.pseudonyms import patient_key, pseudonymise, secret_for
    from analysis.clinic.store import ClinicStore, ImportResult, default_db_path
    from analysis.clinic.validation import ReadResult, read_export, strptime_format


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
