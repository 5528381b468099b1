"""The building blocks of findings: a value with everything a sentence must say about it.

A page may state a number only through a `Quantity` made in `analysis/`: the value, the
precision it was published with (or may honestly be given with), its published qualifier
("more than", "about"), its unit and, for figures we computed, how. The words in
`dashboard.words` print the qualifier wherever they print the value, so the two never part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.vocabulary import QUALIFIERS

# Qualifiers that make a value a bound rather than a point: a sentence must not treat it as exact.
LOWER_BOUNDS = frozenset({"more than", "at least", "just over", "well over"})
UPPER_BOUNDS = frozenset({"almost", "just under"})


@dataclass(frozen=True)
class Quantity:
    """One number a page may print.

    `unit` is "persons", "per_1000", "pct", "pct_points", "ratio" or "count"; `scale` is
    1 or 1_000_000 (printed as "1.17 million"); `derived` names our method when we computed the
    value (empty for a value copied as published).
    """

    value: float
    unit: str
    decimals: int = 0
    qualifier: str = ""
    scale: int = 1
    derived: str = ""

    def __post_init__(self) -> None:
        if self.qualifier and self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}; use one of {QUALIFIERS}")
        if not math.isfinite(self.value):
            raise ValueError(f"a Quantity needs a finite value, not {self.value!r}")

    @property
    def shown(self) -> float:
        """The value as it is printed: scaled and rounded to its decimals."""
        return round(self.value / self.scale, self.decimals)

    @property
    def is_lower_bound(self) -> bool:
        return self.qualifier in LOWER_BOUNDS

    @property
    def is_exact(self) -> bool:
        """True for a published value with no qualifier (a point we may compare)."""
        return not self.qualifier and not self.derived


def qualifier_of(raw: object) -> str:
    """A value_qualifier cell as a Quantity qualifier ('' for an empty cell)."""
    if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
        return ""
    return str(raw)


def decimals_of(value: float) -> int:
    """The decimals a published value was given with (39 -> 0, 14.1 -> 1, 1.05 -> 2)."""
    for decimals in range(4):
        if math.isclose(round(value, decimals), value, abs_tol=1e-9):
            return decimals
    return 3


def round_like_published(value: float, step: int = 100) -> float:
    """An estimate rounded to the step its published counterparts use (VZinfo rounds persons
    to hundreds), so a derived count never carries more precision than the figures it comes
    from."""
    return float(round(value / step) * step)


@dataclass(frozen=True)
class Change:
    """A published value at two points in time, both of the same definition."""

    start: Quantity
    end: Quantity
    start_year: int
    end_year: int

    @property
    def difference(self) -> Quantity:
        """end - start, derived; a bound at either end makes the difference 'about'."""
        exact = self.start.is_exact or self.start.qualifier == "estimate"
        exact = exact and (self.end.is_exact or self.end.qualifier == "estimate")
        return Quantity(
            self.end.value - self.start.value,
            self.start.unit,
            decimals=max(self.start.decimals, self.end.decimals),
            qualifier="" if exact else "about",
            derived="difference of two published values",
        )

    @property
    def direction(self) -> str:
        """'rose', 'fell' or 'same', judged on the printed values."""
        if self.end.shown > self.start.shown:
            return "rose"
        if self.end.shown < self.start.shown:
            return "fell"
        return "same"
