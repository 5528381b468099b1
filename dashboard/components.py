"""Streamlit pieces the pages share: showing a `Chart` with its sentence, caption and downloads.

A download button's ``data=callable`` runs later, when the reader clicks, in a worker thread of
the server *without* the reader's script context: ``st.session_state`` there is an empty
stand-in, not this reader's session. Every such callable here therefore reads nothing from
Streamlit; whatever it needs from the session (the note, the sign-in) is taken while rendering.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.charts import Chart, plotly_config
from dashboard.export import chart_csv
from dashboard.i18n import t


def show_chart(chart: Chart, lang: str, source_note: str = "", about: tuple[str, ...] = ()) -> None:
    """The sentence, the figure (with PNG export), the caption and a CSV of exactly the data
    (headed by the title, sentence, caption and the chart's "About this data" texts).

    The figure's text alternative is its title (and its headings): the sentence is the text
    right before it, read first by a screen reader. Repeating it in the alternative would make
    the browser redraw a chart whose drawing did not change whenever only its sentence does (a
    filter change)."""
    st.markdown(f"**{chart.sentence}**")
    st.plotly_chart(
        chart.figure,
        config=plotly_config(chart.name),
        alt=chart.label,
        key=f"chart_{chart.name}",
        theme=None,
    )
    st.caption(chart.caption + (f" {source_note}" if source_note else ""))
    st.download_button(
        t("chart.download_csv", lang),
        # Made when the reader clicks, not on every rerun.
        data=lambda: chart_csv(chart, about),
        file_name=f"{chart.name}.csv",
        mime="text/csv",
        key=f"csv_{chart.name}",
        on_click="ignore",
        icon=":material/download:",
    )


OWNER_KEY = "_owner_session"


def _owner_hash() -> str | None:
    """The configured password hash (secrets first, then the environment), or None."""
    from dashboard import auth

    try:
        return auth.configured_hash(st.secrets)
    except Exception:  # no secrets file at all: fall back to the environment
        return auth.configured_hash(None)


def owner_session_ok() -> bool:
    """Whether this browser session holds a valid owner sign-in, without showing anything.

    Every owner action (upload, undo, the private view) checks this again right before it runs;
    the session's record is a fingerprint of the configured hash with a time, so a changed
    password or an expired sign-in (8 hours) closes it, and no link can set it."""
    import time

    from dashboard import auth

    return auth.session_valid(st.session_state.get(OWNER_KEY), _owner_hash(), time.time())


def owner_download(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """`make` as a download button's deferred data, for the signed-in owner only.

    The sign-in is checked now, while rendering (the callable later runs without the session),
    and its record captured: the file is made only if this session is signed in now and the
    sign-in is still fresh when clicked; otherwise the download is empty. (A sign-out reruns
    the page, which drops the button and its callable.)"""
    import time

    from dashboard import auth

    entry, stored = st.session_state.get(OWNER_KEY), _owner_hash()
    if not auth.session_valid(entry, stored, time.time()):
        return lambda: b""
    entry = dict(entry)

    def deferred() -> bytes:
        return make() if auth.session_valid(entry, stored, time.time()) else b""

    return deferred


def sign_out_owner() -> None:
    st.session_state.pop(OWNER_KEY, None)


def client_address() -> str:
    """The address sign-in attempts are counted under (see dashboard.signin_guard)."""
    from dashboard import signin_guard

    try:
        ip = st.context.ip_address
    except Exception:  # no client connection (e.g. under AppTest)
        ip = None
    return signin_guard.address_key(ip)


def reader_timezone() -> str | None:
    try:
        zone = st.context.timezone
    except Exception:  # no client connection
        return None
    return zone if isinstance(zone, str) else None


def owner_signed_in(lang: str) -> bool:
    """Show the owner's sign-in form unless signed in; True only for the signed-in owner.

    The sign-in lives in this browser session only: a shared link never carries it, and without
    a configured password hash nobody can sign in. Wrong passwords are counted across sessions
    and restarts (`dashboard.signin_guard`): after a few, the sign-in closes for a growing time,
    and while it is closed even the right password is refused.
    """
    import time

    from dashboard import auth, signin_guard

    if owner_session_ok():
        return True
    sign_out_owner()
    stored = _owner_hash()
    if not stored:
        st.info(t("owner.not_configured", lang), icon=":material/lock:")
        return False
    guard = signin_guard.SigninGuard()
    address = client_address()
    tz = reader_timezone()
    notice = st.container()
    with st.form("owner_sign_in", clear_on_submit=True):
        password = st.text_input(t("owner.password", lang), type="password")
        submitted = st.form_submit_button(t("owner.sign_in", lang))

    def closed(until: float) -> None:
        text = t("owner.locked", lang, until=signin_guard.format_time(until, tz))
        notice.error(text, icon=":material/lock_clock:")

    if submitted and not password:
        notice.warning(t("owner.empty_password", lang), icon=":material/lock:")
    elif submitted:
        gate = guard.begin(address)
        if not gate.allowed:
            closed(gate.closed_until)
            return False
        if auth.verify_password(password, stored):
            guard.succeeded(gate.attempt_id)
            st.session_state[OWNER_KEY] = {"token": auth.session_token(stored), "at": time.time()}
            st.rerun()
        notice.error(t("owner.wrong_password", lang), icon=":material/lock:")
    state = guard.status(address)
    if state.is_closed:
        closed(state.closed_until)
    elif submitted and password:
        left = guard.policy.free_per_address - state.address_failures
        if 0 < left < guard.policy.free_per_address:
            notice.caption(t("owner.tries_left", lang, left=left))
    return False


def show_note(note: str | None, lang: str) -> None:
    """The sender's note above the page, as plain text (never Markdown or HTML)."""
    if note:
        with st.container(border=True):
            st.caption(t("share.note_from_sender", lang))
            st.text(note)


# The page whose script drew the share panel itself this run (`dashboard.render.run_page`).
SHARE_DRAWN = "_share_drawn_by_page"


def share_panel(page_path: str, page_title: str, lang: str, order: tuple[str, ...]) -> None:
    """The sidebar's "share this view": the note field, the link to copy, the HTML export.

    A page that runs as a fragment (`dashboard.render.run_page`) draws this panel itself, so
    that a filter change redraws the link and the export with the page; app.py's call after
    such a page draws nothing. Typing a note reruns the whole app, which shows the note above
    the page.
    """
    if st.session_state.pop(SHARE_DRAWN, None) == page_path:
        return
    draw_share_panel(page_path, page_title, lang, order)


def _note_changed() -> None:
    st.rerun()  # the whole app: app.py shows the note above the page


def draw_share_panel(page_path: str, page_title: str, lang: str, order: tuple[str, ...]) -> None:
    """The share panel's widgets (see `share_panel`), where the caller is (the sidebar)."""
    from analysis.metadata import DATA_VERSION
    from dashboard import url_state
    from dashboard.export import view_html
    from dashboard.share import share_link

    with st.popover(t("share.button", lang), icon=":material/share:", width="stretch"):
        typed = url_state.widget(
            st.text_input,
            url_state.NOTE,
            label=t("share.note_label", lang),
            max_chars=url_state.NOTE_MAX,
            placeholder=t("share.note_placeholder", lang),
            on_change=_note_changed,
        )
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        link = share_link(st.context.url, page_path, params, order=order)
        st.caption(t("share.link_label", lang))
        st.code(link, language=None, wrap_lines=True)
        # The export is the page view this run rendered (dashboard.render records it).
        view = st.session_state.get("_view_this_run")
        charts = list(view.charts) if view is not None else []
        about = view.chart_notes if view is not None else {}
        if charts:
            # Taken now: the export is made later, outside this session (see the module doc).
            note = url_state.NOTE.read(typed) if isinstance(typed, str) else None
            labels = {
                "note": t("share.note_from_sender", lang),
                "version": t("share.data_version", lang),
                "link": t("share.live_view", lang),
                "sources": t("share.sources_line", lang),
                "about": t("home_working.about_title", lang),
            }
            st.download_button(
                t("share.export_html", lang),
                data=lambda: view_html(
                    title=page_title,
                    charts=charts,
                    link=link,
                    data_version=DATA_VERSION,
                    lang=lang,
                    note=note,
                    labels=labels,
                    about=about,
                ),
                file_name=f"rugzicht-{page_path or 'overview'}.html",
                mime="text/html",
                key="export_html",
                on_click="ignore",
                icon=":material/download:",
            )


def _warm_server() -> None:
    """app.py imports this module in the app's first run: warm the server then, in the
    background (`dashboard.cached.warm_server`), not when a reader first opens a page."""
    from dashboard import cached

    cached.warm_server()


_warm_server()
