"""Clinic data (owner only): import visit records, read the validation report, history, undo;
the owner's PRIVATE view of the clinic's outcomes without suppression, the data quality and the
sign-in attempts.

Nothing here renders before the owner has signed in, and every owner action checks the sign-in
again right before it runs (`owner_session_ok`). The private panels are shown block by block,
never through `PageSlots.fill`: they are never the page view the share panel exports, and the
panel choice is not in the link. The page never shows patient rows.
"""

import streamlit as st

from analysis import clinic
from dashboard import auth, cached, url_state
from dashboard.components import (
    client_address,
    owner_download,
    owner_session_ok,
    owner_signed_in,
    reader_timezone,
    sign_out_owner,
)
from dashboard.export import csv_bytes
from dashboard.i18n import t
from dashboard.render import show_block
from dashboard.views import owner

DATE_FORMATS = ("auto", "%d-%m-%Y", "%m-%d-%Y", "%Y-%m-%d")

lang = url_state.current_lang()
st.title(t("owner.title", lang))
st.write(t("owner.intro", lang))


def clear_public_caches() -> None:
    cached.public_outcomes.clear()
    cached.outcome_periods.clear()


def import_panel(store: clinic.ClinicStore) -> None:
    with st.form("import", clear_on_submit=True):
        upload = st.file_uploader(t("owner.upload", lang), type=["csv", "xlsx"], max_upload_size=10)
        date_format = st.selectbox(
            t("owner.date_format", lang),
            DATE_FORMATS,
            format_func=lambda f: t("owner.date_format_auto", lang) if f == "auto" else f,
        )
        submitted = st.form_submit_button(":material/upload: Import")
    if submitted and upload is not None and owner_session_ok():
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
                clear_public_caches()
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
        return
    st.dataframe(history, hide_index=True, width="stretch")
    packet_download(store)
    active = history[history["undone_at"].isna()]["import_id"].tolist()
    if active:
        choice = st.selectbox("Import", active, key="undo_choice")
        if st.button(t("owner.undo", lang, import_id=choice), key="undo") and owner_session_ok():
            try:
                store.undo(int(choice))
            except clinic.ClinicDatabaseBusy:
                st.error(t("owner.busy", lang))
            else:
                clear_public_caches()
                st.success(t("owner.undone", lang, import_id=choice))
                st.rerun()


def packet_download(store: clinic.ClinicStore) -> None:
    """The benchmark packet for pooling (aggregate-only, after disclosure control), made when
    the owner clicks; only from imported records, never the demo. The click runs `make` outside
    this session, so the sign-in is checked now (`owner_download`), not in there."""
    if not store.has_data():
        return

    def make() -> bytes:
        from analysis.clinic import packet

        return packet.packet_bytes(store.visits())

    st.download_button(
        t("owner.packet_download", lang),
        data=owner_download(make),
        file_name="rugzicht-benchmark-packet.json",
        mime="application/json",
        on_click="ignore",
        key="packet_download",
        icon=":material/download:",
    )
    st.caption(t("owner.packet_caption", lang))


def show(blocks) -> None:
    for block in blocks:
        show_block(block, lang)


if owner_signed_in(lang):
    store = clinic.ClinicStore(clinic.default_db_path())
    top, right = st.columns([4, 1])
    top.success(
        t("owner.signed_in", lang, hours=auth.SESSION_SECONDS // 3600), icon=":material/lock_open:"
    )
    if right.button(t("owner.sign_out", lang), key="sign_out"):
        sign_out_owner()
        st.rerun()

    # Not bound to the link: a shared /clinic-data link opens the sign-in, nothing else.
    panel = st.segmented_control(
        t("owner.panel", lang),
        options=owner.PANELS,
        default="import",
        required=True,
        format_func=lambda p: t(f"owner.panel_{p}", lang),
        key="_owner_panel",
    )
    if panel == "import":
        import_panel(store)
    elif panel == "private" and owner_session_ok():
        from analysis.clinic import quality

        show(owner.private_blocks(quality.full_outcomes(store.visits()), lang))
    elif panel == "quality" and owner_session_ok():
        from analysis.clinic import quality

        show(owner.quality_blocks(quality.data_quality(store.visits()), lang))
    elif panel == "signins" and owner_session_ok():
        from dashboard import signin_guard

        guard = signin_guard.SigninGuard()
        rows = guard.recent(50)
        show(owner.signin_blocks(rows, guard.status(None), lang, reader_timezone()))
        st.caption(t("owner.signins.your_address", lang, address=client_address()))

# The export in the share panel takes the page view this run rendered: on this page there is
# none, whatever was shown above.
st.session_state["_view_this_run"] = None
