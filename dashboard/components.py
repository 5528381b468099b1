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
