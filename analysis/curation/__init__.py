"""Curation: how each table in ``data/public/`` was made from the research extracts.

The research extracts hold the figures as they were copied from the sources. They were gathered
in a research folder beside the repository (``../shared/research/``); the files curation reads
are kept as unmodified copies in ``data/sources/`` (listed in its README), so the build runs in
every clone. Each module here turns one topic's extracts into the tidy tables of the data
package, asserting its assumptions as it goes, so that every change to a published value is
visible in code. ``python -m analysis.curation`` rewrites the CSVs; ``--check`` compares them
with the committed files. Cells are kept as text so the CSV holds each number at the precision
it was published.
"""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import pandas as pd

from analysis.metadata import DATA_DIR, RESOURCE_MODULES, all_resources

# The snapshots of the research extracts that curation reads (data/sources/README.md).
DEFAULT_RESEARCH = DATA_DIR / "sources"
# Where the extracts were gathered; present only in a checkout that sits beside it.
UPSTREAM_RESEARCH = DATA_DIR.parents[1] / "shared" / "research"
# The curation specs: per-figure ids, labels and notes that are data, not code (TOML files,
# each documented at its top). They are ours, not copies of the research.
SPECS_DIR = DATA_DIR / "sources" / "specs"


class CurationError(ValueError):
    """An extract did not look the way the curation code assumes."""


def read_extract(research: Path, relpath: str) -> pd.DataFrame:
    """Read a research CSV with every cell as text and empty cells as empty strings."""
    return pd.read_csv(research / relpath, dtype=str, keep_default_na=False)


def read_spec(name: str, specs: Path = SPECS_DIR) -> dict:
    """The curation spec ``<specs>/<name>.toml`` as a dict (TOML arrays become lists)."""
    with (specs / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def dutch_number(text: str) -> str:
    """'2.064.900' -> '2064900', '101,8' -> '101.8': Dutch notation to a plain decimal string."""
    return text.replace(".", "").replace(",", ".")


def join_caveats(*keys: str) -> str:
    """A row's `caveats` cell: the given keys, without blanks or repeats, joined by ';'."""
    return ";".join(dict.fromkeys(k for k in keys if k))


def check(condition: bool, message: str) -> None:
    """Assert an assumption about an extract with a message that says what was expected."""
    if not condition:
        raise CurationError(message)


def build_all(research: Path = DEFAULT_RESEARCH) -> dict[str, pd.DataFrame]:
    """Every table of the package, built from the research extracts, in column order."""
    frames: dict[str, pd.DataFrame] = {}
    for name in RESOURCE_MODULES:
        module = importlib.import_module(f"analysis.curation.{name}")
        frames.update(module.build(research))
    for res in all_resources():
        check(res.name in frames, f"no curation code builds the table {res.name!r}")
        got = list(frames[res.name].columns)
        check(
            got == list(res.fields), f"{res.name}: columns {got} differ from metadata {res.fields}"
        )
    return frames


def to_csv_text(frame: pd.DataFrame) -> str:
    """The exact CSV text we store: UTF-8, comma-separated, LF line ends, minimal quoting."""
    return frame.to_csv(index=False, lineterminator="\n")
