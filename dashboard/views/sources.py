"""Sources & methods: every table of the data package with its definition, caveats and sources."""

import pandas as pd
import streamlit as st

from analysis import catalogue, data
from analysis import prevalence as p
from analysis.metadata import DATA_VERSION
from dashboard.export import package_csv_bytes
from dashboard.i18n import t
from dashboard.url_state import current_lang

lang = current_lang()
package = data.descriptor()
counts = {name: len(data.load(name)) for name in data.resource_names()}


def table(frame: pd.DataFrame, links: tuple[str, ...] = (), **kwargs) -> None:
    """Show a catalogue frame with its column labels in the reader's language."""
    config = {}
    for col in frame.columns:
        label = t(f"sources.col.{col.replace(' ', '_')}", lang)
        config[col] = st.column_config.LinkColumn(label) if col in links else label
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, **kwargs)


st.title(t("sources.title", lang))
st.write(t("sources.intro", lang))
summary = t(
    "sources.package_summary",
    lang,
    tables=len(counts),
    rows=sum(counts.values()),
    version=DATA_VERSION,
)
st.caption(f"{summary} {t('sources.missing_note', lang)}")

st.subheader(t("methods.heading", lang))
st.markdown(t("methods.denominators", lang))
table(
    p.denominator_comparison(data.load("gp_prevalence_totals"), data.load("population")).round(2),
    height="content",
)
st.caption(t("methods.table_caption", lang))
for part in ("age", "standardisation", "catchment", "breaks"):
    st.markdown(t(f"methods.{part}", lang))

st.subheader(t("sources.overview_heading", lang))
table(catalogue.resources_table(package, counts, lang), height="content")

with st.expander(t("sources.caveat_list", lang)):
    for key in package["caveats"]:
        st.markdown(f"**`{key}`** — {catalogue.caveat_text(package, key, lang)}")

for resource in package["resources"]:
    name = resource["name"]
    title = catalogue.resource_title(resource, lang)
    with st.expander(f"{title} · `{name}` · {t('sources.rows', lang, rows=counts[name])}"):
        st.markdown(f"**{t('sources.description', lang)}.** {resource['description']}")

        st.markdown(f"**{t('sources.caveats', lang)}**")
        for key in resource.get("caveats", []):
            st.markdown(f"- {catalogue.caveat_text(package, key, lang)}")
        cited = [k for k in catalogue.row_caveats(data.load(name)) if k not in resource["caveats"]]
        if cited:
            st.markdown(f"**{t('sources.row_caveats', lang)}**")
            for key in cited:
                st.markdown(f"- `{key}`: {catalogue.caveat_text(package, key, lang)}")

        st.markdown(f"**{t('sources.sources', lang)}**")
        table(catalogue.sources_table(resource), links=("url",))
        licences = "; ".join(
            f"{lic['title']} — {lic['attribution']}" for lic in resource["licenses"]
        )
        st.markdown(f"**{t('sources.licence', lang)}.** {licences}")

        st.markdown(f"**{t('sources.columns', lang)}**")
        table(catalogue.columns_table(resource))

        st.download_button(
            t("sources.download", lang, name=name),
            data=package_csv_bytes(
                pd.read_csv(data.DATA_DIR / resource["path"], dtype=str, keep_default_na=False),
                [f["name"] for f in resource["schema"]["fields"] if f["type"] == "string"],
            ),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download_{name}",
            on_click="ignore",
        )
