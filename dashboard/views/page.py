"""What a page is, without Streamlit: a `PageView` of sections of blocks (charts, text, figures,
tables) made from settings by one pure function per page, plus the facts its words came from.

The Streamlit scripts in `dashboard/streamlit_pages/` only read widgets and render a PageView
(`dashboard.render`); the tests, the benchmarks, the notebooks and the one-file export call the
same functions, so every view a link can ask for is the view they check.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.charts.common import Chart
from dashboard.url_state import Param


@dataclass(frozen=True)
class Text:
    """A paragraph. `kind` is 'markdown', 'strong' (a finding in bold), 'info', 'warning',
    'caption', 'subheader' or 'prose' (reference text that states definitions and methods, not
    findings; shown like 'markdown')."""

    text: str
    kind: str = "markdown"


@dataclass(frozen=True)
class Figure:
    """One headline figure: a label, the value as printed, an optional change, a note and the
    source line of the rows behind it."""

    label: str
    value: str
    note: str
    delta: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Figures:
    """Headline figures shown side by side (two to a row)."""

    items: tuple[Figure, ...]


@dataclass(frozen=True)
class Table:
    """A small table with its column labels in the reader's language; `links` are URL columns."""

    frame: pd.DataFrame = field(compare=False)
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageLink:
    """A link to another page of the dashboard (by its url_path)."""

    url_path: str
    label: str


@dataclass(frozen=True)
class Download:
    """A file a reader can download; `make` builds its bytes only when clicked."""

    label: str
    file_name: str
    make: Callable[[], bytes] = field(compare=False)
    mime: str = "text/csv"


@dataclass(frozen=True)
class Details:
    """Blocks folded under a title (an expander), for reference material. With a `key`, the
    blocks are drawn only once the reader opens it (a page of many such folds opens faster);
    exports and tests read them from the view all the same."""

    title: str
    blocks: tuple
    key: str = ""


Block = Chart | Text | Figure | Figures | Table | PageLink | Download | Details


@dataclass(frozen=True)
class Section:
    """A run of blocks under an optional heading; a page script puts a section's widgets (its
    `controls`, by link parameter) between the heading and the blocks."""

    name: str
    blocks: tuple[Block, ...]
    heading: str = ""
    # Folded under its heading and drawn only when the reader opens it (the link says which
    # are open): fewer charts to draw when a page opens or a filter changes. The blocks are in
    # the view all the same, so exports, previews and tests see every one.
    on_demand: bool = False
    # The same for every setting of the page's link parameters (tests/test_static_sections.py
    # checks every view a link can ask for): drawn once when the page opens, after the page's
    # fragment, so a filter change does not send it to the browser again. Comes after every
    # section that is not static.
    static: bool = False


@dataclass(frozen=True)
class PageView:
    """Everything one page shows for one setting of its link parameters, in one language."""

    path: str
    title: str
    intro: str
    sections: tuple[Section, ...]
    facts: tuple[Any, ...] = ()
    notices: tuple[Text, ...] = ()
    # What the static sections were made from besides the language and the data package (the
    # key of the clinic's records when they show any): views with equal keys have equal static
    # sections (tests/test_static_sections.py). When a filter change gives a view with another
    # key (the owner imported or undid records meanwhile), `dashboard.render` reruns the whole
    # page so that they are drawn again.
    static_key: Hashable = None

    def section(self, name: str) -> Section:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(f"{self.path} has no section {name!r}")

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Chart))

    @property
    def charts_at_open(self) -> tuple[Chart, ...]:
        """The charts drawn when the page opens: those outside the sections shown on demand."""
        return tuple(
            b for s in self.sections if not s.on_demand for b in s.blocks if isinstance(b, Chart)
        )

    @property
    def chart_notes(self) -> dict[str, tuple[str, ...]]:
        """The "About this data" texts that follow each chart (a Details block right after it),
        by chart name: they travel with the chart into its CSV and the one-file export."""
        out: dict[str, tuple[str, ...]] = {}
        for section in self.sections:
            blocks = section.blocks
            for block, after in zip(blocks, (*blocks[1:], None), strict=False):
                if isinstance(block, Chart) and isinstance(after, Details):
                    out[block.name] = tuple(_block_texts(after.blocks, every=True))
        return out

    @property
    def texts(self) -> tuple[str, ...]:
        """Every sentence the page states: chart titles and sentences, text blocks, figures."""
        out: list[str] = [n.text for n in self.notices if n.kind not in _NOT_FINDINGS]
        for section in self.sections:
            out += _block_texts(section.blocks)
        return tuple(out)


def _block_texts(blocks, every: bool = False) -> list[str]:
    """The sentences of `blocks`, including those of a chart's "About this data" expander (the
    Details right after a chart; other expanders hold reference text); with `every`, also
    captions, reference prose and every expander."""
    out: list[str] = []
    previous = None
    for block in blocks:
        about = isinstance(block, Details) and (every or isinstance(previous, Chart))
        previous = block
        if isinstance(block, Chart):
            out += [block.title, *block.headings, block.sentence]
        elif isinstance(block, Text) and (every or block.kind not in _NOT_FINDINGS):
            out.append(block.text)
        elif isinstance(block, Figure):
            out += [block.label, block.value, block.note]
        elif isinstance(block, Figures):
            out += [text for f in block.items for text in (f.label, f.value, f.note)]
        elif about:
            out += _block_texts(block.blocks, every)
    return out


# Text kinds that state no finding: source and method captions, and reference prose.
_NOT_FINDINGS = ("caption", "prose")


def settings_type(name: str, params: Mapping[str, Param]) -> type:
    """A frozen dataclass with one field per link parameter, defaulting to the parameter's
    default: the settings a page view takes, declared once with the link parameters."""
    fields = [(key, Any, dataclasses.field(default=param.default)) for key, param in params.items()]
    return dataclasses.make_dataclass(name, fields, frozen=True)


def every_setting(settings: type, options: Mapping[str, tuple]) -> Iterator[Any]:
    """Every combination of `options` (parameter -> values), other fields at their defaults."""
    keys = list(options)
    for values in itertools.product(*(options[k] for k in keys)):
        yield settings(**dict(zip(keys, values, strict=True)))
