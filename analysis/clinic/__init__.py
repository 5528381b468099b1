"""A clinic's treatment records: reading and validating its visit export (`contract`, `files`,
`validation`, `problems`), pseudonymising patient numbers (`pseudonyms`), and the DuckDB store
with import history and undo (`store`, `errors`; command line `python -m analysis.clinic`).
The public API is re-exported here, so callers write ``from analysis import clinic`` and
``clinic.read_export(...)``.
"""

from analysis.clinic.contract import VISIT_COLUMNS, contract_markdown
from analysis.clinic.errors import ClinicDatabaseBusy, ClinicStoreError
from analysis.clinic.problems import empty_problems, format_report, problems_csv
from analysis.clinic.pseudonyms import patient_key, pseudonymise, secret_for
from analysis.clinic.store import ClinicStore, ImportResult, default_db_path
from analysis.clinic.validation import ReadResult, read_export, strptime_format

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
