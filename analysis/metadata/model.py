"""The building blocks of the data package's metadata: fields, sources and resources.

Every column is defined once as a `Field`; a `Resource` lists the fields it uses by name, so a
column means the same thing in every table (the habit of PUDL's ``metadata/fields.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """One column: its Table Schema type, what it means, its unit and its allowed values."""

    type: str
    description: str
    unit: str | None = None
    enum: tuple[str, ...] | None = None
    ordered: bool = False
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    format: str | None = None

    def to_schema(self, name: str) -> dict:
        """The Table Schema (Frictionless) field descriptor for this column."""
        out: dict = {"name": name, "type": self.type, "description": self.description}
        if self.format:
            out["format"] = self.format
        if self.unit:
            out["unit"] = self.unit
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
            if self.ordered:
                out["categories"] = list(self.enum)
                out["categoriesOrdered"] = True
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Source:
    """A publication we copied figures from: producer, title, landing URL and licence."""

    title: str
    url: str
    producer: str
    licence: str
    table_id: str | None = None
    accessed: str = "2026-11-24"
    producer_nl: str | None = None  # the producer in Dutch, where a Dutch sentence names it

    def to_descriptor(self) -> dict:
        out = {"title": self.title, "path": self.url, "producer": self.producer}
        if self.producer_nl:
            out["producer_nl"] = self.producer_nl
        if self.table_id:
            out["tableId"] = self.table_id
        out["accessed"] = self.accessed
        out["licence"] = self.licence
        return out


@dataclass(frozen=True)
class Resource:
    """One table of the package: where it lives, what it holds and what to be careful of."""

    name: str
    title: str
    title_nl: str
    description: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...]
    sources: tuple[str, ...]
    licences: tuple[str, ...]
    caveats: tuple[str, ...] = ()
    overrides: dict = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"public/{self.name}.csv"
