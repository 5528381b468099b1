"""The command line: import a clinic export, list the imports, undo one, or print the contract.
Exit 0 on success, 1 when the database refuses the operation, 2 for a refused file or bad usage
(with the problem report on stderr)::

    python -m analysis.clinic import FILE [--db PATH] [--date-format FMT]
    python -m analysis.clinic history [--db PATH]
    python -m analysis.clinic undo IMPORT_ID [--db PATH]
    python -m analysis.clinic contract
    python -m analysis.clinic packet OUT.json [--db PATH]   # aggregate-only benchmark packet

    # database: $RUGZICHT_DB or var/clinic.duckdb; secret: $RUGZICHT_SECRET_FILE or
    # var/clinic_secret (both git-ignored, created with mode 0600)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.clinic.errors import ClinicStoreError

if TYPE_CHECKING:  # pandas and DuckDB load only when a command needs them (fast --help)
    import pandas as pd

    from analysis.clinic.store import ClinicStore


def _history_text(history: pd.DataFrame) -> str:
    if history.empty:
        return "No imports yet."
    shown = history.assign(
        file_sha256=history["file_sha256"].str.slice(0, 12),
        imported_at=history["imported_at"].dt.strftime("%Y-%m-%d %H:%M"),
        undone_at=history["undone_at"].dt.strftime("%Y-%m-%d %H:%M").fillna(""),
    )
    return shown.to_string(index=False) + "\n(times in UTC)"


def _write_packet(store: ClinicStore, out: Path) -> int:
    """Write the clinic's benchmark packet to `out` (see `analysis.clinic.packet`)."""
    from analysis.clinic import packet

    if not store.has_data():
        print(
            f"error: the clinic database {store.db_path} holds no visits; import an export "
            "first (the packet is never made from the demo clinic)",
            file=sys.stderr,
        )
        return 1
    try:
        content = packet.packet(store.visits())
    except ValueError as exc:  # e.g. RUGZICHT_MIN_CELL is not a whole number
        print(f"error: {exc}", file=sys.stderr)
        return 2
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_bytes(packet.to_bytes(content))
        partial.replace(out)  # never a half-written packet under the real name
    except OSError as exc:
        print(f"cannot write {out}: {exc.strerror}", file=sys.stderr)
        partial.unlink(missing_ok=True)
        return 2
    print(f"Wrote {out}: {packet.summary(content)}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analysis.clinic",
        description="Import a clinic's visit export into the clinic database, list the imports, "
        "or undo one.",
    )
    parser.add_argument("--db", type=Path, help="database file (default: $RUGZICHT_DB or var/)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_import = sub.add_parser("import", help="validate a CSV or XLSX export and import it")
    p_import.add_argument("file", type=Path)
    p_import.add_argument(
        "--date-format", help="how dates are written, e.g. %%d-%%m-%%Y or dd-mm-yyyy"
    )
    p_history = sub.add_parser("history", help="list the imports")
    sub.add_parser("contract", help="print the import contract as a Markdown table")
    p_undo = sub.add_parser("undo", help="undo one import")
    p_undo.add_argument("import_id", type=int)
    p_packet = sub.add_parser(
        "packet",
        help="write the aggregate-only benchmark packet (JSON) for pooling across clinics",
    )
    p_packet.add_argument("out", type=Path, help="the JSON file to write")
    for p in (p_import, p_history, p_undo, p_packet):
        p.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    args = parser.parse_args(argv)
    if args.command == "contract":
        from analysis.clinic.contract import contract_markdown

        print(contract_markdown())
        return 0
    from analysis.clinic.problems import format_report
    from analysis.clinic.store import ClinicStore

    store = ClinicStore(args.db)
    try:
        if args.command == "import":
            try:
                data = args.file.read_bytes()
            except OSError as exc:
                print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
                return 2
            result = store.import_file(data, args.file.name, args.date_format)
            if not result.ok:
                print(result.summary(), file=sys.stderr)
                print(format_report(result.problems, limit=None), file=sys.stderr)
                return 2
            print(result.summary())
        elif args.command == "history":
            print(_history_text(store.history()))
        elif args.command == "packet":
            return _write_packet(store, args.out)
        else:
            store.undo(args.import_id)
            row = store.history().set_index("import_id").loc[args.import_id]
            print(
                f"Undid import {args.import_id} ({row['filename']}): removed the visits it "
                f"added ({row['rows_added']}) and restored the ones it updated "
                f"({row['rows_updated']})."
            )
    except ClinicStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
