"""For patients: reads how long the reader has had the pain (and optionally sex and age band),
renders `dashboard.views.patients.view` with the suppressed aggregates (cached for every
session): the reader's selection and everyone with the same complaint duration. As a fragment: a
filter change reruns this page only (`dashboard.render.run_page`)."""

import streamlit as st

from dashboard import cached, url_state
from dashboard.cached import build
from dashboard.params import PATIENTS as P
from dashboard.render import PageSlots, run_page
from dashboard.views import patients as page
from dashboard.words import patients as w

lang = url_state.current_lang()


def body() -> None:
    slots = PageSlots(page.CONTROLS)
    choices = {}
    with slots.controls("answer"):
        # One question a row: the labels are long for a phone, and the first one matters most.
        # Segmented controls: every answer in sight and one tap (a dropdown takes two).
        for key, param in P.items():
            choices[key] = url_state.widget(
                st.segmented_control,
                param,
                label=w.label(key, lang),
                options=param.options,
                format_func=lambda v, key=key: w.option(key, v, lang),
                required=True,
            )

    settings = page.Settings(**choices)
    result = cached.public_outcomes(settings.group, settings.sex, settings.age)
    everyone = cached.public_outcomes(settings.group) if page.narrowed(settings) else result
    slots.fill(build(page.view, settings, lang, result, everyone), lang)


run_page(body, "patients")
