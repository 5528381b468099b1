"""Showing a `PageView` with Streamlit: the only place a page's content meets Streamlit calls.

A page script makes `PageSlots` (one place per section, in page order), puts each section's
widgets in its `controls` slot, calls its pure view with the settings they give, and hands the
PageView to `PageSlots.fill`. Widgets thus sit where they belong on the page although the view
is made after all of them have been read.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from dashboard.charts.common import Chart
from dashboard.components import show_chart
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


class PageSlots:
    """Containers for the page head and for each section's heading, widgets and blocks."""

    def __init__(self, sections: Iterable[str]) -> None:
        self.head = st.container()
        self._slots = {name: (st.container(), st.container(), st.container()) for name in sections}

    def controls(self, section: str):
        """The container for `section`'s widgets (use as `with slots.controls("..."):`)."""
        return self._slots[section][1]

    def fill(self, view: PageView, lang: str) -> None:
        """Show `view`: title, intro and notices, then each section's heading and blocks."""
        st.session_state["_view_this_run"] = view
        with self.head:
            st.title(view.title)
            st.write(view.intro)
            for notice in view.notices:
                show_block(notice, lang)
        for section in view.sections:
            heading, _, body = self._slots[section.name]
            if section.heading:
                with heading:
                    st.subheader(section.heading)
            notes = view.chart_notes
            with body:
                for block in section.blocks:
                    if isinstance(block, Chart):
                        show_chart(block, lang, about=notes.get(block.name, ()))
                    else:
                        show_block(block, lang)


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
        with st.expander(block.title):
            for inner in block.blocks:
                show_block(inner, lang)
    elif isinstance(block, PageLink):
        from dashboard.site import script_for

        st.page_link(script_for(block.url_path), label=block.label)
    else:
        raise TypeError(f"cannot show {type(block).__name__}")


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
