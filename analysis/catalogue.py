"""The data package described for people: tables, columns, sources, licences and caveats.

Pure functions over the package descriptor (a dict), so the Sources & methods page, the notebooks
and the tests show the same catalogue.
"""

from __future__ import annotations

import pandas as pd

LANGS = ("en", "nl")


def resource_title(resource: dict, lang: str) -> str:
    """A table's title in the chosen language (Dutch when asked for and available)."""
    return (
        resource.get("title_nl") if lang == "nl" and resource.get("title_nl") else resource["title"]
    )


def caveat_text(descriptor: dict, key: str, lang: str) -> str:
    """The finished text of one caveat key in the chosen language."""
    return descriptor["caveats"][key][lang if lang in LANGS else "en"]


def resources_table(descriptor: dict, row_counts: dict[str, int], lang: str = "en") -> pd.DataFrame:
    """One row per table: name, title, rows, licences, number of sources and caveat keys."""
    return pd.DataFrame(
        [
            {
                "resource": r["name"],
                "title": resource_title(r, lang),
                "rows": row_counts.get(r["name"]),
                "licences": ", ".join(lic["name"] for lic in r["licenses"]),
                "sources": len(r["sources"]),
                "caveats": ", ".join(r.get("caveats", [])),
            }
            for r in descriptor["resources"]
        ]
    ).astype({"rows": "Int64"})


def columns_table(resource: dict) -> pd.DataFrame:
    """The column dictionary of one table: name, type, unit, allowed values, description."""
    rows = []
    for field in resource["schema"]["fields"]:
        constraints = field.get("constraints", {})
        allowed = constraints.get("enum")
        rows.append(
            {
                "column": field["name"],
                "type": field["type"],
                "unit": field.get("unit", ""),
                "required": bool(constraints.get("required", False)),
                "allowed values": ", ".join(map(str, allowed)) if allowed else "",
                "description": field.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


def sources_table(resource: dict) -> pd.DataFrame:
    """The publications one table cites, with producer, table id, licence and URL."""
    return pd.DataFrame(
        [
            {
                "title": s["title"],
                "producer": s.get("producer", ""),
                "table id": s.get("tableId", ""),
                "licence": s.get("licence", ""),
                "accessed": s.get("accessed", ""),
                "url": s["path"],
            }
            for s in resource["sources"]
        ]
    )


def row_caveats(frame: pd.DataFrame) -> list[str]:
    """The distinct caveat keys cited by the rows of a table, in first-seen order."""
    if "caveats" not in frame.columns:
        return []
    keys: dict[str, None] = {}
    for cell in frame["caveats"].dropna():
        for key in str(cell).split(";"):
            keys.setdefault(key, None)
    return list(keys)
