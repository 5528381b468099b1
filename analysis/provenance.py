"""Where plotted rows come from: their entries in the package's source registry and the caveat
keys they cite, so a chart's source line is built from the rows it draws, never typed again.

The registry is `data/datapackage.json` (made from `analysis/metadata`): every resource lists the
sources its rows may cite, and a test checks that every row's `source_url` is among them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import catalogue, data


class ProvenanceError(ValueError):
    """A row cites a source that its table does not register."""


@dataclass(frozen=True)
class SourceEntry:
    """One registered publication: who made it, its title, where it is and under what terms."""

    producer: str
    title: str
    url: str
    licence: str  # the licence's title, as the package states it
    licence_name: str = ""  # its key in the package (CC-BY-4.0, RIVM-attribution, ...)
    producer_nl: str = ""  # the producer in Dutch, where the registry gives one

    def producer_in(self, lang: str) -> str:
        return self.producer_nl if lang == "nl" and self.producer_nl else self.producer


def _licence_titles(package: dict) -> dict[str, str]:
    return {lic["name"]: lic.get("title", lic["name"]) for lic in package.get("licenses", [])}


def registry(table: str) -> dict[str, SourceEntry]:
    """The sources `table` registers, by URL."""
    package = data.descriptor()
    titles = _licence_titles(package)
    resource = data.resource_descriptor(table)
    for lic in resource.get("licenses", []):
        titles.setdefault(lic["name"], lic.get("title", lic["name"]))
    return {
        source["path"]: SourceEntry(
            producer=source["producer"],
            title=source["title"],
            url=source["path"],
            licence=titles.get(source.get("licence", ""), source.get("licence", "")),
            licence_name=source.get("licence", ""),
            producer_nl=source.get("producer_nl", ""),
        )
        for source in resource.get("sources", [])
    }


def sources_of(table: str, rows: pd.DataFrame) -> list[SourceEntry]:
    """The registry entries of the `source_url`s in `rows`, in first-cited order.

    Raises `ProvenanceError` for a URL the table does not register: a chart never shows a
    figure whose source it cannot name.
    """
    known = registry(table)
    out: list[SourceEntry] = []
    for url in pd.unique(rows["source_url"].dropna().astype(str)):
        if url not in known:
            raise ProvenanceError(f"{table}: source_url {url!r} is not registered for this table")
        if known[url] not in out:
            out.append(known[url])
    return out


def caveat_keys(rows: pd.DataFrame) -> list[str]:
    """The caveat keys cited by `rows`, in first-cited order."""
    return catalogue.row_caveats(rows)


def caveat_text(key: str, lang: str) -> str:
    """The finished text of a caveat key in `lang`."""
    return catalogue.caveat_text(data.descriptor(), key, lang)
