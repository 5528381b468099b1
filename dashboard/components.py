"""Streamlit pieces the pages share: showing a `Chart` with its sentence, caption and downloads."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import Chart, plotly_config
from dashboard.export import csv_bytes
from dashboard.i18n import t


def show_chart(chart: Chart, lang: str, source_note: str = "") -> None:
    """The sentence, the figure (with PNG export), the caption and a CSV of exactly the data."""
    st.markdown(f"**{chart.sentence}**")
    st.plotly_chart(
        chart.figure,
        config=plotly_config(chart.name),
        alt=f"{chart.title}. {chart.sentence}",
        key=f"chart_{chart.name}",
        theme=None,
    )
    st.caption(chart.caption + (f" {source_note}" if source_note else ""))
    st.download_button(
        t("chart.download_csv", lang),
        # Made when the reader clicks, not on every rerun.
        data=lambda: csv_bytes(chart.data, [chart.title, chart.sentence, chart.caption]),
        file_name=f"{chart.name}.csv",
        mime="text/csv",
        key=f"csv_{chart.name}",
        on_click="ignore",
        icon=":material/download:",
    )


def owner_signed_in(lang: str) -> bool:
    """Show the owner's sign-in form unless signed in; True only for the signed-in owner.

    The flag lives in this browser session only: a shared link never carries it, and without a
    configured password hash nobody can sign in.
    """
    from dashboard import auth

    if st.session_state.get("_owner_signed_in"):
        return True
    try:
        stored = auth.configured_hash(st.secrets)
    except Exception:  # no secrets file at all: fall back to the environment
        stored = auth.configured_hash(None)
    if not stored:
        st.info(t("owner.not_configured", lang), icon=":material/lock:")
        return False
    attempts = st.session_state.get("_owner_attempts", 0)
    if attempts >= auth.MAX_ATTEMPTS:
        st.error(t("owner.locked", lang), icon=":material/lock:")
        return False
    with st.form("owner_sign_in"):
        password = st.text_input(t("owner.password", lang), type="password")
        submitted = st.form_submit_button(t("owner.sign_in", lang))
    if submitted:
        if auth.verify_password(password, stored):
            st.session_state["_owner_signed_in"] = True
            st.rerun()
        st.session_state["_owner_attempts"] = attempts + 1
        st.error(t("owner.wrong_password", lang), icon=":material/lock:")
    return False


def show_note(note: str | None, lang: str) -> None:
    """The sender's note above the page, as plain text (never Markdown or HTML)."""
    if note:
        with st.container(border=True):
            st.caption(t("share.note_from_sender", lang))
            st.text(note)


def share_panel(page_path: str, page_title: str, lang: str, order: tuple[str, ...]) -> None:
    """The sidebar's "share this view": the note field, the link to copy, the HTML export."""
    from analysis.metadata import DATA_VERSION
    from dashboard import url_state
    from dashboard.export import view_html
    from dashboard.share import share_link

    with st.popover(t("share.button", lang), icon=":material/share:", width="stretch"):
        url_state.widget(
            st.text_input,
            url_state.NOTE,
            label=t("share.note_label", lang),
            max_chars=url_state.NOTE_MAX,
            placeholder=t("share.note_placeholder", lang),
        )
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        link = share_link(st.context.url, page_path, params, order=order)
        st.caption(t("share.link_label", lang))
        st.code(link, language=None, wrap_lines=True)
        # The export is the page view this run rendered (dashboard.render records it).
        view = st.session_state.get("_view_this_run")
        charts = list(view.charts) if view is not None else []
        if charts:
            labels = {
                "note": t("share.note_from_sender", lang),
                "version": t("share.data_version", lang),
                "link": t("share.live_view", lang),
                "sources": t("share.sources_line", lang),
            }
            st.download_button(
                t("share.export_html", lang),
                data=lambda: view_html(
                    title=page_title,
                    charts=charts,
                    link=link,
                    data_version=DATA_VERSION,
                    lang=lang,
                    note=st.session_state.get("note"),
                    labels=labels,
                ),
                file_name=f"rugzicht-{page_path or 'overview'}.html",
                mime="text/html",
                key="export_html",
                on_click="ignore",
                icon=":material/download:",
            )
