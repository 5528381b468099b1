"""The page for patients as a pure function: how long the reader has had the pain, and
optionally their sex and age band -> "of 10 patients like you, about N felt clearly better by
the 5th treatment" (and by the 10th) as icon arrays in one chart, what happens without
treatment and what the figures cannot tell, in plain words.

Public: only the suppressed aggregates of `analysis.clinic_view.public_outcomes` reach it, for
the reader's selection and (when that is too small) for everyone with the same complaint
duration; both are views every link can ask for anyway.
"""

from __future__ import annotations

from functools import lru_cache

from analysis import clinic_view, data
from analysis import outcomes_for_patients as facts
from analysis.vocabulary import ALL, COMPLAINT_WEEKS
from dashboard.charts import patients as charts
from dashboard.i18n import t
from dashboard.params import PATIENTS
from dashboard.views.page import PageLink, PageView, Section, Text, settings_type
from dashboard.words import patients as w

PATH = "patients"
Settings = settings_type("PatientSettings", PATIENTS)
CONTROLS: dict[str, tuple[str, ...]] = {
    "answer": ("group", "sex", "age"),
    "without": (),
    "limits": (),
    "more": (),
}


@lru_cache(maxsize=4)
def _course(group: str) -> facts.WithoutTreatment:
    return facts.without_treatment(data.load("outcome_benchmarks"), group)


def narrowed(settings: Settings) -> bool:
    """Whether the reader chose a sex or an age band (then a fallback may be needed)."""
    return (settings.sex, settings.age) != (ALL, ALL)


def public(
    settings: Settings, visits=None, is_demo: bool = False
) -> tuple[clinic_view.PublicOutcomes, clinic_view.PublicOutcomes]:
    """The suppressed aggregates for the reader's selection and for everyone with the same
    complaint duration, of `visits` (by default the clinic's records, or the demo when none
    are imported)."""
    if visits is None:
        visits, is_demo = clinic_view.clinic_visits()
    chosen = clinic_view.public_outcomes(
        visits, group=settings.group, sex=settings.sex, age_band=settings.age, is_demo=is_demo
    )
    if not narrowed(settings):
        return chosen, chosen
    return chosen, clinic_view.public_outcomes(visits, group=settings.group, is_demo=is_demo)


def view(
    settings: Settings,
    lang: str,
    result: clinic_view.PublicOutcomes | None = None,
    everyone: clinic_view.PublicOutcomes | None = None,
) -> PageView:
    """Everything the page for patients shows for `settings` in `lang`. `result` is the
    protected aggregate of the reader's selection and `everyone` that of their complaint
    duration alone (both computed from the clinic's records when not given)."""
    if result is None or (everyone is None and narrowed(settings)):
        result, everyone = public(settings)
    everyone = result if everyone is None else everyone
    found = facts.answers(
        result.responses,
        everyone.responses,
        group=settings.group,
        sex=settings.sex,
        age_band=settings.age,
        threshold=result.threshold,
    )
    course = _course(settings.group)
    caption = w.caption(result.is_demo, result.threshold, lang)

    blocks: list = []
    if result.is_demo:
        blocks.append(Text(t("patients.demo_banner", lang), "warning"))
    blocks.append(Text(w.you_chose(settings.group, settings.sex, settings.age, lang)))
    blocks.append(Text(w.definition(lang)))
    # Why everyone's figure is shown, before the chart: once when every answer shown is
    # everyone's, else for each treatment it is (the other answers being the reader's own);
    # the answers shown in one chart (the first one's title is its title), each with its
    # counts; then what is too few.
    shown = [answer for answer in found if answer.figure is not None]
    fallbacks = [answer for answer in shown if answer.is_fallback]
    if fallbacks and len(fallbacks) == len(shown):
        blocks.append(Text(w.fallback(fallbacks[0], lang), "info"))
    else:
        blocks += [Text(w.fallback(a, lang, for_treatment=True), "info") for a in fallbacks]
    if shown:
        blocks.append(
            charts.icon_arrays(
                [
                    (answer.figure, w.title(answer, result.is_demo and i == 0, lang))
                    for i, answer in enumerate(shown)
                ],
                " ".join(w.sentence(answer.figure, lang) for answer in shown),
                caption,
                lang,
            )
        )
        blocks += [Text(w.counts(a.figure, lang, lead=len(shown) > 1)) for a in shown]
    blocks += [Text(w.too_few(a, lang), "info") for a in found if a.figure is None]
    blocks.append(Text(t("patients.how_counted", lang)))

    return PageView(
        path=PATH,
        title=t("patients.title", lang),
        intro=t("patients.intro", lang),
        sections=(
            Section("answer", tuple(blocks)),
            Section(
                "without",
                (
                    Text(w.without_treatment(course, lang)),
                    Text(t("patients.without_compare", lang)),
                    Text(w.without_source(course, lang), "caption"),
                ),
                heading=t("patients.without_heading", lang),
            ),
            Section(
                "limits",
                (Text(w.limits(result.threshold, lang)),),
                heading=t("patients.limits_heading", lang),
                static=True,
            ),
            Section("more", (PageLink("outcomes", t("patients.more", lang)),), static=True),
        ),
        facts=(found, course, COMPLAINT_WEEKS, result.threshold),
    )


def link_settings() -> list[Settings]:
    """The views the dashboard's walks check: every complaint duration alone and with each sex
    and each age band on its own (tests/test_patients.py checks every combination)."""
    out = []
    for group in PATIENTS["group"].options:
        out.append(Settings(group=group))
        out += [Settings(group=group, sex=sex) for sex in PATIENTS["sex"].options if sex != ALL]
        out += [Settings(group=group, age=age) for age in PATIENTS["age"].options if age != ALL]
    return out
