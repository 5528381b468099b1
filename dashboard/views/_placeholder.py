"""A page that is still being built: its purpose in one sentence and where the data already is."""

import streamlit as st

from dashboard.i18n import t
from dashboard.url_state import current_lang


def show(nav_key: str, purpose_key: str) -> None:
    lang = current_lang()
    st.title(t(nav_key, lang))
    st.write(t(purpose_key, lang))
    st.info(t("placeholder.body", lang), icon=":material/construction:")
