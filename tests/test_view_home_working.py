"""The Home working & covid view: the claim-check section, its slot for the clinic's figures,
and the words folded into the "About this data" expanders, which are checked against the
view's facts like every other sentence."""

import re

import pytest

from dashboard.i18n import t
from dashboard.views import home_working as page
from dashboard.views.page import Details, PageView, Section, Text
from tests.test_words_from_facts import unfounded_numbers, unqualified_values

LANGS = ["en", "nl"]


def flattened(view: PageView) -> PageView:
    """The view with every Details block's contents put in its section, so that the words
    checks (which read sections' blocks) read the expanders too."""

    def blocks(items):
        for block in items:
            if isinstance(block, Details):
                yield from blocks(block.blocks)
            else:
                yield block

    sections = tuple(Section(s.name, tuple(blocks(s.blocks)), s.heading) for s in view.sections)
    return PageView(view.path, view.title, view.intro, sections, view.facts, view.notices)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("series", ["all", "cbs", "eurostat"])
def test_every_number_in_the_expanders_and_the_claim_check_is_a_fact(lang, series):
    view = flattened(page.view(page.Settings(series=series), lang))
    assert not unfounded_numbers(view, lang)
    assert not unqualified_values(view, lang)


def test_the_page_texts_read_each_charts_about_expander():
    """PageView.texts (what the words checks read) includes the expanders after charts."""
    view = page.view(page.Settings(), "en")
    firsts = [texts[0] for texts in view.chart_notes.values()]  # each expander's values
    assert firsts and all(text in view.texts for text in firsts)
    assert len(flattened(view).texts) >= len(view.texts)


@pytest.mark.parametrize("lang", LANGS)
def test_claim_section_lists_each_piece_of_evidence_with_sources_and_limits(lang):
    section = page.view(page.Settings(), lang).section("claim")
    assert section.heading == t("home_working.heading_claim", lang)
    check = page.claim_check()
    texts = [b for b in section.blocks[:-1] if isinstance(b, Text)]  # the last: the clinic's
    items = [b.text for b in texts if b.text.startswith("**")]
    sources = [b.text for b in texts if b.kind == "caption"]
    assert len(items) == len(sources) == len(check.evidence) == 5
    limits = "*Limits:*" if lang == "en" else "*Beperkingen:*"
    assert all(limits in text for text in items)
    for item, line in zip(check.evidence, sources, strict=True):
        linked = re.findall(r"\]\((https://[^)]+)\)", line)
        assert linked and set(linked) == set(item.source_urls), item.key
    # the LDF item keeps its words, its qualifier and its caveats
    ldf = items[2]
    assert "‘geen significante toename’" in ldf
    assert ("just over 500,000" if lang == "en" else "ruim 500.000") in ldf
    assert ("preliminary" if lang == "en" else "voorlopige") in ldf.lower()
    assert ("not back" if lang == "en" else "niet rug") in ldf
    # the verdict comes last of the national evidence, in bold, chosen by the rule
    verdict = section.blocks[-2]
    assert verdict.kind == "strong"
    assert verdict.text.startswith(
        t(f"home_working.claim.verdict.{check.verdict}", lang, cohort="")[:30]
    )


def test_clinic_blocks_come_after_the_national_verdict():
    intake = (Text("The clinic's own intake, 2019-2021."), Text("Source: the clinic.", "caption"))
    section = page.covid_claim_section("en", clinic_blocks=intake)
    assert section.blocks[-2:] == intake
    assert section.blocks[-3].kind == "strong"  # the national verdict


@pytest.mark.parametrize("lang", LANGS)
def test_the_clinics_own_intake_sits_beside_the_verdict_once_records_are_imported(lang):
    """With imported records (the demo's visits, marked as not demo), the clinic's protected
    intake chart follows the national verdict; with the demo, a line says where it will be."""
    from analysis import clinic_view
    from dashboard.views import demo_visits

    demo = page.view(page.Settings(), lang).section("claim").blocks
    assert demo[-2].kind == "strong" and demo[-1].kind == "caption"
    own = clinic_view.public_outcomes(demo_visits(), is_demo=False)
    view = page.view(page.Settings(), lang, clinic=own)
    blocks = view.section("claim").blocks
    chart = blocks[-1]
    assert chart.name == "outcomes_intake" and blocks[-3].kind == "strong"
    assert not chart.title.startswith(t("outcomes.demo_prefix", lang))
    assert chart.data["n_episodes"].sum() == 349 - 19  # the hidden quarters stay hidden
    assert not unfounded_numbers(view, lang)


def test_the_claim_check_is_a_fact_of_the_view():
    view = page.view(page.Settings(), "nl")
    assert any(fact is page.claim_check() for fact in view.facts)
