"""The data package's metadata, written as Python and turned into ``data/datapackage.json``.

Common columns live in `fields.py`; each module under `resources/` adds its own columns,
sources and tables. `build_descriptor()` assembles the Frictionless Data Package descriptor;
``python -m analysis.metadata`` writes it and ``--check`` tells whether the file is current.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from functools import cache
from pathlib import Path

from analysis.metadata.caveats import CAVEATS
from analysis.metadata.fields import COMMON_FIELDS
from analysis.metadata.licences import LICENCES
from analysis.metadata.model import Field, Resource, Source

# Bump when a published value, a table or a definition changes (and log it in data/CHANGELOG.md).
# Shared links carry it as `v=` so a recipient learns when figures have changed since.
DATA_VERSION = "2026.12.06.3"

RESOURCE_MODULES = ("gp_prevalence", "population", "homeworking", "covid_care", "outcomes")

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DESCRIPTOR_PATH = DATA_DIR / "datapackage.json"


class MetadataError(ValueError):
    """The metadata contradicts itself (a column defined twice, an unknown key cited)."""


@cache
def _modules() -> tuple:
    return tuple(
        importlib.import_module(f"analysis.metadata.resources.{name}") for name in RESOURCE_MODULES
    )


@cache
def all_fields() -> dict[str, Field]:
    """Every column definition, checking that no name is defined in two places."""
    fields = dict(COMMON_FIELDS)
    for module in _modules():
        for name, field in getattr(module, "FIELDS", {}).items():
            if name in fields:
                raise MetadataError(
                    f"column {name!r} is defined twice (again in {module.__name__}); "
                    "define it once and reuse it"
                )
            fields[name] = field
    return fields


@cache
def all_sources() -> dict[str, Source]:
    """The source registry: every publication a table cites, by key."""
    sources: dict[str, Source] = {}
    for module in _modules():
        for key, source in getattr(module, "SOURCES", {}).items():
            if key in sources:
                raise MetadataError(f"source key {key!r} is defined twice ({module.__name__})")
            sources[key] = source
    return sources


@cache
def all_resources() -> tuple[Resource, ...]:
    """Every table of the package, in module order."""
    resources = tuple(r for module in _modules() for r in module.RESOURCES)
    names = [r.name for r in resources]
    if len(names) != len(set(names)):
        raise MetadataError(f"duplicate resource names in {names}")
    return resources


def resource(name: str) -> Resource:
    """The resource called `name`, or a clear error listing the known ones."""
    for res in all_resources():
        if res.name == name:
            return res
    known = ", ".join(r.name for r in all_resources())
    raise KeyError(f"no resource called {name!r} in the data package; known: {known}")


def resource_fields(res: Resource) -> list[tuple[str, Field]]:
    """The columns of a table in order, with any table-specific constraints applied."""
    fields = all_fields()
    out = []
    for name in res.fields:
        if name not in fields:
            raise MetadataError(f"{res.name}: column {name!r} has no definition")
        field = fields[name]
        if name in res.overrides:
            field = dataclasses.replace(field, **res.overrides[name])
        if name in res.primary_key and not field.required:
            field = dataclasses.replace(field, required=True)
        out.append((name, field))
    unknown = set(res.overrides) - set(res.fields)
    if unknown:
        raise MetadataError(f"{res.name}: overrides for columns it does not have: {unknown}")
    return out


def _resource_descriptor(res: Resource) -> dict:
    sources = all_sources()
    for key in res.sources:
        if key not in sources:
            raise MetadataError(f"{res.name}: unknown source key {key!r}")
    for key in res.caveats:
        if key not in CAVEATS:
            raise MetadataError(f"{res.name}: unknown caveat key {key!r}")
    for key in res.licences:
        if key not in LICENCES:
            raise MetadataError(f"{res.name}: unknown licence key {key!r}")
    missing_key = set(res.primary_key) - set(res.fields)
    if missing_key:
        raise MetadataError(f"{res.name}: primary key columns not in the table: {missing_key}")
    return {
        "name": res.name,
        "path": res.path,
        "profile": "tabular-data-resource",
        "title": res.title,
        "title_nl": res.title_nl,
        "description": res.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [field.to_schema(name) for name, field in resource_fields(res)],
            "primaryKey": list(res.primary_key),
            "missingValues": [""],
        },
        "sources": [sources[key].to_descriptor() | {"id": key} for key in res.sources],
        "licenses": [LICENCES[key] for key in res.licences],
        "caveats": list(res.caveats),
    }


def build_descriptor() -> dict:
    """The whole Frictionless Data Package descriptor as a dict."""
    resources = [_resource_descriptor(r) for r in all_resources()]
    used_licences = sorted({lic for r in all_resources() for lic in r.licences})
    return {
        "profile": "tabular-data-package",
        "name": "rugzicht",
        "title": "Rugzicht: neck and back complaints in the Netherlands",
        "description": (
            "Published figures on GP-registered neck and back complaints in the Netherlands, "
            "the population behind them, the covid-19 home-working period and treatment-outcome "
            "benchmarks, copied exactly as published with the URL of every row. Figures were "
            "curated from archived copies of the public pages; 'accessed' is the date of curation."
        ),
        "version": DATA_VERSION,
        "licenses": [LICENCES[key] for key in used_licences],
        "caveats": CAVEATS,
        "resources": resources,
    }


def descriptor_json() -> str:
    """The descriptor as the exact text stored in data/datapackage.json."""
    return json.dumps(build_descriptor(), indent=2, ensure_ascii=False) + "\n"
