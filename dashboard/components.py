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
        data=csv_bytes(chart.data, [chart.title, chart.sentence, chart.caption]),
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
