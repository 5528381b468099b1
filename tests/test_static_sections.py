"""Static sections (`Section.static`) are drawn once, after the page's fragment, and not again
when a filter changes (`dashboard.render.run_page`). That is right only if they are the same for
every setting a link can ask for, and follow nothing else than what `PageView.static_key` names
(the clinic's records: a filter change that finds another key reruns the whole page). Checked
here on every view of every page, in both languages, on the demo clinic, on a clinic too small
to show much, and with imported records."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest

from dashboard.charts.common import Chart
from dashboard.params import PAGE_PARAMS
from dashboard.views import demo_visits, every_view
from dashboard.views.page import Details, Download, PageView, Section, Table


def content(block) -> object:
    """What a reader gets from `block`: a chart's words and drawing, a table's cells, a
    download's bytes; other blocks compare as they are."""
    if isinstance(block, Chart):
        return ("chart", block.name, block.title, block.sentence, block.caption,
                block.figure.to_json(), block.data.to_json(date_format="iso"))  # fmt: skip
    if isinstance(block, Table):
        return (
            "table",
            block.frame.to_json(date_format="iso"),
            tuple(block.labels.items()),
            block.links,
        )
    if isinstance(block, Details):
        return ("details", block.title, block.key, tuple(map(content, block.blocks)))
    if isinstance(block, Download):
        return ("download", block.label, block.file_name, block.mime, block.make())
    return block


def static_contents(views) -> dict[tuple[str, str, str, object], set]:
    """(page, language, static section, static key) -> the distinct contents it has across
    `views`; under (page, language, "", static key) the distinct lists of static sections
    (name, heading, on demand)."""
    seen: dict[tuple[str, str, str, object], set] = defaultdict(set)
    for name, view in views:
        lang, key = name.split("/")[0], view.static_key
        static = [s for s in view.sections if s.static]
        seen[(view.path, lang, "", key)].add(
            tuple((s.name, s.heading, s.on_demand) for s in static)
        )
        for section in static:
            seen[(view.path, lang, section.name, key)].add(tuple(map(content, section.blocks)))
    return seen


def small_clinic() -> pd.DataFrame:
    """The demo clinic's first 40 patients: every filter hides most of it."""
    visits = demo_visits()
    keep = visits["patient_key"].drop_duplicates().head(40)
    return visits[visits["patient_key"].isin(keep)].reset_index(drop=True)


def with_clinic(visits: pd.DataFrame):
    """The home-working views with `visits` as the owner's imported records (not the demo): the
    clinic's intake then stands beside the claim check."""
    from analysis import clinic_view
    from dashboard.views import home_working

    clinic = clinic_view.public_outcomes(visits, is_demo=False)
    for lang in ("en", "nl"):
        for settings in home_working.link_settings():
            yield f"{lang}/home-working/{settings}", home_working.view(settings, lang, clinic)


def test_a_static_section_is_the_same_in_every_view_with_its_key():
    """Static sections are drawn once per page load: not again on a filter change. So each must
    be the same for every setting of the link, and whatever the clinic's records are (the demo,
    a small clinic with most figures hidden, imported records) unless the view's `static_key`
    tells those records apart: then a filter change after an import or an undo redraws the page
    (tests/test_browser_static_sections.py)."""
    views = [
        *every_view(),
        *every_view(visits=small_clinic()),
        *with_clinic(demo_visits()),
        *with_clinic(small_clinic()),
    ]
    seen = static_contents(views)
    assert {page for page, _, name, _ in seen if name} >= {"home-working", "outcomes", "patients"}
    varying = {key: len(found) for key, found in seen.items() if len(found) > 1}
    assert not varying, f"static sections that change with the link, or unkeyed: {varying}"
    # The home-working claim check holds the clinic's intake: keyed by the records it shows.
    claim = {
        key: found
        for (_, lang, name, key), found in seen.items()
        if (name, lang) == ("claim", "en")
    }
    assert len(claim) == 3 and None in claim, "the demo and two clinics, each with its key"
    assert len({next(iter(found)) for found in claim.values()}) == 3


def test_the_check_catches_a_section_that_follows_a_filter():
    """The comparison above sees a change in a chart's drawing alone, and in a table's cells."""
    from dashboard.views import home_working

    views = [
        (f"en/home-working/{series}", home_working.view(home_working.Settings(series=series), "en"))
        for series in ("all", "cbs")
    ]
    # Mark the trend section static, as a mistake would: its contents differ between the views.
    marked = [(name, _with_static(view, "trend")) for name, view in views]
    assert len(static_contents(marked)[("home-working", "en", "trend", None)]) == 2
    same = pd.DataFrame({"a": [1]})
    assert content(Table(same)) == content(Table(same.copy()))
    assert content(Table(same)) != content(Table(same.assign(a=2)))


def _with_static(view: PageView, name: str) -> PageView:
    import dataclasses

    sections = tuple(
        dataclasses.replace(s, static=True) if s.name == name else s for s in view.sections
    )
    return dataclasses.replace(view, sections=sections)


def test_static_sections_come_last_and_only_on_pages_with_filters():
    """They are drawn after the page's fragment, which only pages with link settings have."""
    for name, view in every_view(("en",)):
        flags = [section.static for section in view.sections]
        assert flags == sorted(flags), f"{name}: a static section before one that is not"
        if any(flags):
            assert view.path in PAGE_PARAMS, name


def test_the_renderer_refuses_a_static_section_before_a_filtered_one():
    from dashboard.render import show_sections

    view = PageView(
        "home-working",
        "title",
        "intro",
        (Section("a", (), static=True), Section("b", ())),
    )
    with pytest.raises(ValueError, match="static section comes before"):
        show_sections(view, "en", static=True)


def test_clinic_aggregates_without_a_key_are_told_apart_by_their_contents():
    """The claim check's key comes from the aggregates' key; aggregates made without one (by
    hand) are keyed by their contents, so that two clinics never share a key."""
    import dataclasses

    from analysis import clinic_view
    from dashboard.views import home_working

    big = clinic_view.public_outcomes(demo_visits(), is_demo=False)
    small = clinic_view.public_outcomes(small_clinic(), is_demo=False)
    assert home_working.records_key(big) == big.key != small.key
    keyless = [dataclasses.replace(found, key=()) for found in (big, small)]
    keys = [home_working.records_key(found) for found in keyless]
    assert keys[0] != keys[1] and all(keys)
    assert home_working.records_key(dataclasses.replace(big, key=())) == keys[0]
