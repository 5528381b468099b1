"""Clinic data (owner only): import visit records, read the validation report, history, undo.

Nothing here renders before the owner has signed in; the page never shows patient rows.
"""

import streamlit as st

from analysis import clinic
from dashboard import cached, url_state
from dashboard.components import owner_signed_in
from dashboard.export import csv_bytes
from dashboard.i18n import t

DATE_FORMATS = ("auto", "%d-%m-%Y", "%m-%d-%Y", "%Y-%m-%d")

lang = url_state.current_lang()
st.title(t("owner.title", lang))
st.write(t("owner.intro", lang))

if owner_signed_in(lang):
    store = clinic.ClinicStore(clinic.default_db_path())
    top, right = st.columns([4, 1])
    top.success(t("owner.signed_in", lang), icon=":material/lock_open:")
    if right.button(t("owner.sign_out", lang), key="sign_out"):
        st.session_state.pop("_owner_signed_in", None)
        st.rerun()

    with st.form("import", clear_on_submit=True):
        upload = st.file_uploader(t("owner.upload", lang), type=["csv", "xlsx"], max_upload_size=10)
        date_format = st.selectbox(
            t("owner.date_format", lang),
            DATE_FORMATS,
            format_func=lambda f: t("owner.date_format_auto", lang) if f == "auto" else f,
        )
        submitted = st.form_submit_button(":material/upload: Import")
    if submitted and upload is not None:
        try:
            result = store.import_file(
                upload.getvalue(), upload.name, None if date_format == "auto" else date_format
            )
        except clinic.ClinicDatabaseBusy:
            st.error(t("owner.busy", lang))
        else:
            if not result.problems.empty and result.import_id is None:
                st.error(t("owner.refused", lang))
                st.dataframe(result.problems, hide_index=True, width="stretch")
                st.download_button(
                    t("owner.report_download", lang),
                    data=csv_bytes(result.problems, [f"Validation report for {upload.name}"]),
                    file_name="validation_report.csv",
                    mime="text/csv",
                    on_click="ignore",
                )
            elif result.already_imported:
                st.info(t("owner.already", lang))
            else:
                cached.public_outcomes.clear()
                cached.outcome_periods.clear()
                st.success(
                    t(
                        "owner.imported",
                        lang,
                        added=result.rows_added,
                        updated=result.rows_updated,
                        unchanged=result.rows_unchanged,
                    )
                )

    st.subheader(t("owner.history", lang))
    history = store.history()
    if history.empty:
        st.info(t("owner.no_imports", lang))
    else:
        st.dataframe(history, hide_index=True, width="stretch")
        active = history[history["undone_at"].isna()]["import_id"].tolist()
        if active:
            choice = st.selectbox("Import", active, key="undo_choice")
            if st.button(t("owner.undo", lang, import_id=choice), key="undo"):
                try:
                    store.undo(int(choice))
                except clinic.ClinicDatabaseBusy:
                    st.error(t("owner.busy", lang))
                else:
                    cached.public_outcomes.clear()
                    cached.outcome_periods.clear()
                    st.success(t("owner.undone", lang, import_id=choice))
                    st.rerun()
