"""Load the data package's tables as typed DataFrames, validated against their schema.

`load(name)` checks the CSV with Frictionless against ``data/datapackage.json`` and returns a
DataFrame typed from the schema: ordered categoricals for age groups, categoricals for other
fixed vocabularies (sex, definition, measure), nullable integers for counts, floats for rates,
datetimes for dates. Any violation raises one `DataValidationError` naming the resource, row,
column, value and rule. ``python -m analysis.data check`` validates the whole package.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# Spreadsheet numbering: the header is row 1, the first data row is row 2.
_MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One way a table breaks its schema."""

    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        return f"{', '.join(where) or 'table'}: {self.rule}"


class DataValidationError(ValueError):
    """A table of the data package does not match its schema."""

    def __init__(self, resource: str, path: Path, problems: list[Problem]):
        self.resource = resource
        self.path = path
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:_MAX_PROBLEMS_SHOWN])
        more = len(problems) - _MAX_PROBLEMS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"resource {resource!r} ({path}) breaks its schema in {len(problems)} place(s) "
            f"(rows are spreadsheet rows, header = row 1):\n{shown}{tail}"
        )


def descriptor(root: Path = DATA_DIR) -> dict:
    """The package descriptor (``datapackage.json``) under `root`."""
    return _descriptor(Path(root).resolve())


@cache
def _descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def resource_names(root: Path = DATA_DIR) -> list[str]:
    """Names of every table in the package, in descriptor order."""
    return [r["name"] for r in descriptor(root)["resources"]]


def resource_descriptor(name: str, root: Path = DATA_DIR) -> dict:
    """The descriptor of one table, or a KeyError listing the known names."""
    for res in descriptor(root)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(
        f"no resource called {name!r} in {Path(root) / 'datapackage.json'}; "
        f"known: {', '.join(resource_names(root))}"
    )


def _rule(error: dict) -> str:
    kind = error.get("type", "error")
    note = error.get("note") or error.get("description", "")
    if kind == "primary-key":
        same = note.replace("the same as in the row at position", "same key as row")
        return f"duplicate primary key: {same}"
    if kind == "type-error":
        return f"wrong type: {note}"
    if kind == "constraint-error":
        return f"breaks constraint: {note}"
    if kind in ("missing-label", "missing-cell") and error.get("fieldName"):
        return f"column is missing ({kind})"
    return f"{kind}: {note}"


def _check_header(path: Path, expected: list[str]) -> list[Problem]:
    """Compare the header with the schema by name, so a missing column is named as missing."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    problems = [
        Problem(1, col, None, "column is missing from the header")
        for col in expected
        if col not in header
    ]
    problems += [
        Problem(1, col, None, "column is not in the schema")
        for col in header
        if col not in expected
    ]
    duplicated = {col for col in header if header.count(col) > 1}
    problems += [Problem(1, col, None, "column appears twice in the header") for col in duplicated]
    if not problems and header != expected:
        problems.append(Problem(1, None, None, f"columns are out of order; expected {expected}"))
    return problems


def validate(name: str, root: Path = DATA_DIR) -> list[Problem]:
    """Every problem of one table against its schema; an empty list means it is valid."""
    from frictionless import Resource  # imported here: it is slow to import and only needed here

    res_desc = resource_descriptor(name, root)
    path = Path(root) / res_desc["path"]
    if not path.exists():
        return [Problem(None, None, None, f"file {path} does not exist")]
    header_problems = _check_header(path, [f["name"] for f in res_desc["schema"]["fields"]])
    if header_problems:
        return header_problems
    resource = Resource(res_desc, basepath=str(root))
    report = resource.validate()
    problems = []
    seen_missing_columns: set[str] = set()
    for task in report.tasks:
        for error in task.errors:
            e = error.to_dict()
            column = e.get("fieldName") or e.get("label")
            if e.get("type") == "missing-cell":
                # A missing column produces a missing-cell error on every row; report it once.
                if column in seen_missing_columns:
                    continue
                seen_missing_columns.add(column)
            problems.append(Problem(e.get("rowNumber"), column, e.get("cell"), _rule(e)))
    return problems


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    out = {}
    for field in fields:
        name, kind = field["name"], field["type"]
        col = frame[name]
        enum = field.get("constraints", {}).get("enum")
        if kind == "integer":
            out[name] = pd.to_numeric(col).astype("Int64")
        elif kind == "number":
            out[name] = pd.to_numeric(col).astype("float64")
        elif kind == "boolean":
            out[name] = col.map({"true": True, "false": False}, na_action="ignore").astype(
                "boolean"
            )
        elif kind == "date":
            out[name] = pd.to_datetime(col, format="%Y-%m-%d")
        elif enum is not None:
            ordered = bool(field.get("categoriesOrdered"))
            out[name] = pd.Categorical(col, categories=enum, ordered=ordered)
        else:
            out[name] = col.astype("string")
    return pd.DataFrame(out, index=frame.index)


@cache
def _load(name: str, root: Path, mtime_ns: int) -> pd.DataFrame:
    res_desc = resource_descriptor(name, root)
    path = root / res_desc["path"]
    problems = validate(name, root)
    if problems:
        raise DataValidationError(name, path, problems)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    return _typed(raw, res_desc["schema"]["fields"])


def load(name: str, root: Path = DATA_DIR) -> pd.DataFrame:
    """One table of the package, validated and typed; cached in-process until the file changes.

    The returned frame is a cheap copy (pandas copy-on-write), so callers may modify it freely.
    """
    root = Path(root).resolve()
    path = root / resource_descriptor(name, root)["path"]
    mtime = path.stat().st_mtime_ns if path.exists() else -1
    return _load(name, root, mtime).copy(deep=False)


def check(root: Path = DATA_DIR) -> dict[str, list[Problem]]:
    """Validate every table; returns the problems per table (empty lists when all is well)."""
    return {name: validate(name, root) for name in resource_names(root)}


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "check":
        print("usage: python -m analysis.data check [DATA_DIR]", file=sys.stderr)
        return 2
    root = Path(argv[1]) if len(argv) > 1 else DATA_DIR
    bad = 0
    for name, problems in check(root).items():
        if problems:
            bad += 1
            print(DataValidationError(name, root / f"public/{name}.csv", problems))
        else:
            rows = len(load(name, root))
            print(f"ok  {name} ({rows} rows)")
    print(f"{len(resource_names(root)) - bad} valid, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
