"""Rugzicht dashboard: the entry point. Run with ``streamlit run dashboard/app.py``.

Sets up the page, the language switch (bound to ``?lang=``), the URL checks and the navigation;
each page script in ``dashboard/streamlit_pages/`` reads its widgets and renders the PageView
that its pure function in ``dashboard/views/`` makes.
"""

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from analysis.metadata import DATA_VERSION  # noqa: E402
from dashboard import url_state  # noqa: E402
from dashboard.components import share_panel, show_note  # noqa: E402
from dashboard.i18n import DEFAULT_LANG, LANGS, t  # noqa: E402
from dashboard.params import link_params, share_order  # noqa: E402
from dashboard.share import share_link  # noqa: E402
from dashboard.site import DASHBOARD_DIR, PAGES  # noqa: E402
from dashboard.timing import script_run  # noqa: E402


def main(run: dict) -> None:
    """One script run: language, navigation, URL review, the page, the share panel."""
    # Read the link before any widget can correct it; review it once the page is known.
    arrived = url_state.snapshot()

    # The language switch is bound to the URL, so the URL says which language this run is in
    # (also after back/forward); the session's value is only updated by the widget below.
    link_lang = url_state.LANG.read((arrived.get("lang") or [None])[-1]) or DEFAULT_LANG
    # Embedded in another site (?embed=true): no sidebar at all, whatever the frame's width, so
    # the language comes from the link and the navigation and share panel are left out.
    embedded = bool(st.context.is_embedded)
    if embedded:
        lang = st.session_state["lang"] = link_lang
    else:
        with st.sidebar:
            lang = st.segmented_control(
                t("app.language", link_lang),
                options=LANGS,
                default=DEFAULT_LANG,
                required=True,
                key="lang",
                bind="query-params",
            )
            st.caption(t("app.data_version", lang, version=DATA_VERSION))

    sections: dict[str, list] = {}
    for index, (file, url_path, key, section) in enumerate(PAGES):
        page = st.Page(
            DASHBOARD_DIR / file, title=t(key, lang), url_path=url_path, default=index == 0
        )
        sections.setdefault(t(f"nav.{section}_section", lang), []).append(page)

    current = st.navigation(sections, position="hidden" if embedded else "sidebar")
    run["path"] = current.url_path
    page_params = link_params(current.url_path)
    for text in url_state.settle(arrived, page_params):
        st.info(text, icon=":material/link:")
    show_note(url_state.NOTE.read((arrived.get("note") or [None])[-1]), lang)
    st.session_state["_view_this_run"] = None
    current.run()

    order = share_order(current.url_path)
    if embedded:
        # The way out of the frame: the same view, full size, without the embed switches.
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        kept = {k: v for k, v in params.items() if k not in url_state.RESERVED}
        link = share_link(st.context.url, current.url_path, kept, order=order)
        st.link_button(t("app.open_full_view", lang), link, icon=":material/open_in_new:")
        st.caption(t("app.data_version", lang, version=DATA_VERSION))
    else:
        with st.sidebar:
            share_panel(current.url_path, current.title, lang, order=order)


if __name__ == "__main__":  # Streamlit runs this file as each session's script
    st.set_page_config(
        page_title="Rugzicht", page_icon=":material/accessibility_new:", layout="wide"
    )
    with script_run(run_info := {}):
        main(run_info)
else:  # imported by `streamlit run dashboard/app.py`, which serves this st.App (uvicorn)
    from dashboard import asgi

    # Link previews (dashboard/previews.py): Open Graph tags in the HTML and /_preview/*.png.
    app = st.App(
        __file__, routes=asgi.routes(), middleware=asgi.middleware(), lifespan=asgi.lifespan
    )
