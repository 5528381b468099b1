"""Showing a `PageView` with Streamlit: the only place a page's content meets Streamlit calls.

A page script makes `PageSlots` (one place per section, in page order), puts each section's
widgets in its `controls` slot, calls its pure view with the settings they give, and hands the
PageView to `PageSlots.fill`. Widgets thus sit where they belong on the page although the view
is made after all of them have been read.

A page with filters runs all of that through `run_page`: as a fragment, so that changing a
filter reruns the page (and the sidebar's share panel, whose link and export follow the view)
but not the whole app (language switch, navigation, link review). Embedded, the page runs in
the full app run, because the "open full view" link below the frame is made from the URL after
it. The view's static sections (the same whatever the filters say) are drawn after the fragment,
in the app run only: a filter change sends the browser only what it changes, and every element
sent costs the browser time to redraw, changed or not. They may follow the clinic's records
(`PageView.static_key`): a filter change that finds other records than those they were drawn
from reruns the whole app instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import url_state
from dashboard.charts.common import Chart
from dashboard.components import SHARE_DRAWN, draw_share_panel, show_chart
from dashboard.params import ON_DEMAND
from dashboard.views.page import (
    Block,
    Details,
    Download,
    Figure,
    Figures,
    PageLink,
    PageView,
    Table,
    Text,
)

ICONS = {"info": ":material/info:", "warning": ":material/science:"}

PAGE_FRAGMENT = "page"


def _embedded() -> bool:
    try:
        return bool(st.context.is_embedded)
    except Exception:  # no client connection (e.g. under AppTest)
        return False


def run_page(body: Callable[[], None], path: str) -> None:
    """Run a page's `body` (its widgets and the view they select) as the fragment
    PAGE_FRAGMENT, which then also draws the sidebar's share panel (its link and export follow
    the view); embedded, as part of the app run (see the module doc)."""
    # Set again once the static sections are drawn: a run that stops before leaves none, and
    # the next filter change then draws the whole page.
    st.session_state.pop(STATIC_DRAWN, None)
    if _embedded():
        body()
    else:
        st.session_state[SHARE_DRAWN] = path  # app.py's share_panel call then draws nothing
        _page_fragment(body, path)
    view = st.session_state.get(VIEW_THIS_RUN)
    if view is not None and view.path == path:
        from dashboard.url_state import current_lang

        show_sections(view, current_lang(), static=True)
        st.session_state[STATIC_DRAWN] = (path, view.static_key)


@st.fragment(key=PAGE_FRAGMENT)
def _page_fragment(body: Callable[[], None], path: str) -> None:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None and ctx.fragment_ids_this_run:
        # A rerun of the page alone: app.py's timing (RUGZICHT_TIMING_LOG) does not see it.
        from dashboard.timing import script_run

        with script_run({"path": path, "fragment": True}):
            _page_and_share(body, path)
        view = st.session_state.get(VIEW_THIS_RUN)
        drawn = st.session_state.get(STATIC_DRAWN)
        if view is not None and view.path == path and drawn != (path, view.static_key):
            # The static sections on screen were made from other records (an import or an
            # undo since the page opened), or were never drawn: draw the whole page again.
            st.rerun(scope="app")
    else:
        _page_and_share(body, path)


def _page_and_share(body: Callable[[], None], path: str) -> None:
    """The page, then the share panel in the sidebar, with the arguments app.py gives it."""
    from dashboard.i18n import t
    from dashboard.params import share_order
    from dashboard.site import PAGES
    from dashboard.url_state import current_lang

    body()
    lang = current_lang()
    title = next(t(key, lang) for _, url_path, key, _ in PAGES if url_path == path)
    with st.sidebar:
        draw_share_panel(path, title, lang, share_order(path))


VIEW_THIS_RUN = "_view_this_run"  # the PageView this run rendered (the share panel exports it)
STATIC_DRAWN = "_static_drawn"  # (page, static_key) of the static sections on screen


class PageSlots:
    """Containers for the page head and for each section's heading, widgets and blocks, made
    up to the last section with widgets (the later ones are made as they are filled)."""

    def __init__(self, controls: Mapping[str, tuple[str, ...]], path: str = "") -> None:
        self.head = st.container()
        self.path = path
        names = list(controls)
        last = max((i for i, name in enumerate(names) if controls[name]), default=-1)
        self._slots = {name: _slot() for name in names[: last + 1]}
        self._folded: dict[str, object] = {}
        self._controls = controls

    def controls(self, section: str):
        """The container for `section`'s widgets (use as `with slots.controls("..."):`)."""
        return self._slots[section][1]

    def folded(self, section: str, heading: str):
        """The inside of the on-demand `section`'s expander (labelled `heading`, as the view's
        section is), made now so that the section's widgets sit in it with its blocks: None
        while it is closed, when its widgets are not shown (`url_state.value` then gives their
        settings)."""
        opened = ON_DEMAND[self.path]
        url_state.open_sections(
            opened, {n: keys for n, keys in self._controls.items() if n in opened.options}
        )
        with self._slots[section][2]:
            self._folded[section] = _on_demand(heading, url_state.open_key(section))
        return self._folded[section]

    def fill(self, view: PageView, lang: str) -> None:
        """Show `view`: title, intro and notices, then each section's heading and blocks, but
        not the static sections: `run_page` draws those after the page's fragment (only pages
        with filters, run through it, have any)."""
        st.session_state[VIEW_THIS_RUN] = view
        with self.head:
            st.title(view.title)
            st.write(view.intro)
            for notice in view.notices:
                show_block(notice, lang)
        show_sections(view, lang, static=False, slots=self._slots, folded=self._folded)


def _slot() -> tuple:
    """A section's containers: heading, widgets, blocks."""
    return st.container(), st.container(), st.container()


def show_sections(
    view: PageView,
    lang: str,
    static: bool,
    slots: Mapping | None = None,
    folded: Mapping | None = None,
) -> None:
    """Draw the view's static sections (`static`) or the others, each in its slot (made here when
    `slots` has none), with the on-demand ones folded unless the link or the reader opened them
    (`folded`: the expanders `PageSlots.folded` made already, None when closed)."""
    sections = [s for s in view.sections if s.static == static]
    first_static = next((i for i, s in enumerate(view.sections) if s.static), None)
    if first_static is not None and not all(s.static for s in view.sections[first_static:]):
        raise ValueError(f"{view.path}: a static section comes before one that is not")
    opened = ON_DEMAND.get(view.path)
    if opened is not None:
        url_state.open_sections(opened)
    notes = view.chart_notes
    slots = slots or {}
    folded = folded or {}
    for section in sections:
        heading, _, body = slots[section.name] if section.name in slots else _slot()
        if section.on_demand:
            if section.name in folded:
                body = folded[section.name]
            else:
                with body:
                    body = _on_demand(section.heading, url_state.open_key(section.name))
            if body is None:
                continue
        elif section.heading:
            with heading:
                st.subheader(section.heading)
        with body:
            for block in section.blocks:
                if isinstance(block, Chart):
                    show_chart(block, lang, about=notes.get(block.name, ()))
                else:
                    show_block(block, lang)
    if opened is not None:
        url_state.write_open_sections(opened)


def _on_demand(title: str, key: str):
    """An expander whose content is drawn only while it is open (toggling it reruns the page):
    the expander to draw into, or None while it is closed."""
    folded = st.expander(title, key=key, on_change="rerun")
    return folded if folded.open else None


def show_block(block: Block, lang: str) -> None:
    """One block of a page view."""
    if isinstance(block, Chart):
        show_chart(block, lang)
    elif isinstance(block, Text):
        _show_text(block)
    elif isinstance(block, Figures):
        items = list(block.items)
        for start in range(0, len(items), 2):
            for column, figure in zip(st.columns(2), items[start : start + 2], strict=False):
                with column:
                    _show_figure(figure)
    elif isinstance(block, Figure):
        _show_figure(block)
    elif isinstance(block, Table) and _is_static(block):
        _static_table(block)
    elif isinstance(block, Table):
        config = {
            col: st.column_config.LinkColumn(label) if col in block.links else label
            for col, label in block.labels.items()
        }
        st.dataframe(
            block.frame, hide_index=True, width="stretch", column_config=config, height="content"
        )
    elif isinstance(block, Download):
        st.download_button(
            block.label,
            data=block.make,
            file_name=block.file_name,
            mime=block.mime,
            key=f"download_{block.file_name}",
            on_click="ignore",
        )
    elif isinstance(block, Details):
        folded = (
            _on_demand(block.title, f"details_{block.key}")
            if block.key
            else st.expander(block.title)
        )
        if folded is None:
            return
        with folded:
            for inner in block.blocks:
                show_block(inner, lang)
    elif isinstance(block, PageLink):
        from dashboard.site import script_for

        st.page_link(script_for(block.url_path), label=block.label)
    else:
        raise TypeError(f"cannot show {type(block).__name__}")


# A small table of words and whole numbers (no links, nothing left to format) is drawn as a
# plain HTML table (st.table): far quicker for the browser than the interactive grid, and read
# by screen readers as a table.
STATIC_ROWS = 30
# Every ASCII mark CommonMark lets a backslash escape that could start Markdown here: emphasis,
# links, HTML, headings, lists, tables, code, maths, emoji shortcodes (":a:"), entities
# ("&lt;") and autolinks ("www.x.nl").
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~$&:.-])")


def _plain(value) -> bool:
    """Text, a whole number or a missing cell."""
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, str | int | np.integer):
        return True
    return bool(pd.isna(value))


def _is_static(block: Table) -> bool:
    frame = block.frame
    if block.links or len(frame) > STATIC_ROWS:
        return False
    return bool(frame.map(_plain).all(axis=None))


def _markdown_escaped(text: str) -> str:
    """`text` with its Markdown marks escaped: st.table reads cells as Markdown."""
    return _MARKDOWN.sub(r"\\\1", text)


def _static_table(block: Table) -> None:
    """`block` as a static table, its labels as the header and every cell as plain text."""
    frame = block.frame.rename(columns=dict(block.labels)).astype("string").fillna("")
    st.table(frame.map(_markdown_escaped), hide_index=True)


def _show_text(block: Text) -> None:
    if block.kind == "strong":
        st.markdown(f"**{block.text}**")
    elif block.kind == "info":
        st.info(block.text, icon=ICONS["info"])
    elif block.kind == "warning":
        st.warning(block.text, icon=ICONS["warning"])
    elif block.kind == "caption":
        st.caption(block.text)
    elif block.kind == "subheader":
        st.subheader(block.text)
    else:
        st.markdown(block.text)


def _show_figure(figure: Figure) -> None:
    st.metric(figure.label, figure.value, delta=figure.delta, delta_color="off")
    if figure.note or figure.source:
        st.caption(" ".join(part for part in (figure.note, figure.source) if part))
