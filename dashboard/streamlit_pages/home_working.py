"""Home working & covid: reads the widget, renders `dashboard.views.home_working.view` (with the
clinic's protected intake beside the covid check once the owner has imported records), as a
fragment: a filter change reruns this page only (`dashboard.render.run_page`)."""

import streamlit as st

from dashboard import cached
from dashboard.cached import build
from dashboard.i18n import t
from dashboard.params import HOME_WORKING
from dashboard.render import PageSlots, run_page
from dashboard.url_state import current_lang, widget
from dashboard.views import home_working as page

lang = current_lang()


def body() -> None:
    slots = PageSlots(page.CONTROLS)
    with slots.controls("trend"):
        series = widget(
            st.segmented_control,
            HOME_WORKING["series"],
            label=t("home_working.series_label", lang),
            options=HOME_WORKING["series"].options,
            format_func=lambda code: t(f"home_working.series.{code}", lang),
            required=True,
        )
    clinic = None if cached.clinic_is_demo() else cached.public_outcomes()
    slots.fill(build(page.view, page.Settings(series=series), lang, clinic), lang)


run_page(body, "home-working")
