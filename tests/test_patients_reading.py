"""The page for patients reads easily: Flesch Reading Ease in English and Flesch-Douma in Dutch,
and short sentences, over everything the page says (title, intro, headings, findings, notices,
the limits), captions and source lines aside.

Syllables are counted by hyphenation (pyphen's Hunspell dictionaries: a word's hyphenation
points + 1), the way textstat counts them when it has no pronouncing dictionary. textstat itself
is not used: for English it downloads NLTK's CMU dictionary at run time, which a machine without
internet access cannot do.

The bars, and why (Flesch's and Douma's own bands; no official score maps onto B1, so the bars
are set at the easy end of what the page's plain sentences reach, with room for small edits):
- English, Flesch Reading Ease >= 80: "easy" on Flesch's scale (60-70 is "plain English", 80-90
  "easy"). The page scores about 89.
- Dutch, Flesch-Douma >= 70 (206.835 - 0.93 x words per sentence - 77 x syllables per word):
  70-80 is "fairly easy" on Douma's scale, 60-70 "normal". The page scores about 74; the
  outcomes page, written for the clinic owner, about 61.
- Both: at most 12 words per sentence on average (B1 writing advice: 10-15), none over 25.
Hyphenation undercounts some syllables, so the scores err on the easy side; the sentence length
bars do not depend on it.
"""

from __future__ import annotations

import re
from functools import cache

import pyphen
import pytest

from dashboard.views import demo_visits
from dashboard.views import patients as page
from dashboard.views.page import PageView

# (Hyphenation dictionary, base, per word per sentence, per syllable per word)
FORMULAS = {
    "en": ("en_US", 206.835, 1.015, 84.6),  # Flesch (1948)
    "nl": ("nl_NL", 206.835, 0.93, 77.0),  # Flesch-Douma (1960)
}
MIN_SCORE = {"en": 80.0, "nl": 70.0}
MAX_MEAN_WORDS = 12.0
MAX_WORDS = 25
WORD = re.compile(r"[^\W_]+")

# The views with the most text: the default, a fallback, and one per complaint duration.
SETTINGS = [
    page.Settings(),
    page.Settings(group="subacute"),
    page.Settings(group="chronic", sex="men", age="60+"),
]


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph or list (markdown emphasis and bullets removed; a colon
    that introduces a clause ends a sentence, as a reader pauses there)."""
    text = re.sub(r"\*\*|^\s*-\s+", "", text, flags=re.MULTILINE)
    out = []
    for line in text.splitlines():
        out += [s for s in re.split(r"(?<=[.!?:])\s+", line.strip()) if WORD.search(s)]
    return out


def page_text(view: PageView) -> list[str]:
    """Everything a reader reads on the page, captions and source lines aside."""
    return [view.title, view.intro, *(s.heading for s in view.sections if s.heading), *view.texts]


def reading(texts: list[str], lang: str) -> dict[str, float]:
    """Sentences, words per sentence, syllables per word, the longest sentence and the score."""
    hyphenation, base, per_sentence, per_syllable = FORMULAS[lang]
    dictionary = pyphen.Pyphen(lang=hyphenation)
    found = [s for text in texts for s in sentences(text)]
    words = [WORD.findall(s) for s in found]
    flat = [w.lower() for ws in words for w in ws]
    syllables = sum(len(dictionary.positions(w)) + 1 for w in flat)
    words_per_sentence = len(flat) / len(found)
    syllables_per_word = syllables / len(flat)
    return {
        "sentences": len(found),
        "words_per_sentence": words_per_sentence,
        "syllables_per_word": syllables_per_word,
        "longest": max(len(ws) for ws in words),
        "score": base - per_sentence * words_per_sentence - per_syllable * syllables_per_word,
    }


@cache
def _view(settings, lang: str) -> PageView:
    chosen, everyone = page.public(settings, demo_visits(), is_demo=True)
    return page.view(settings, lang, chosen, everyone)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.group}-{s.sex}-{s.age}")
def test_the_page_for_patients_reads_easily(settings, lang):
    found = reading(page_text(_view(settings, lang)), lang)
    assert found["sentences"] >= 40, found
    assert found["score"] >= MIN_SCORE[lang], found
    assert found["words_per_sentence"] <= MAX_MEAN_WORDS, found
    assert found["longest"] <= MAX_WORDS, found


def test_the_measure_tells_plain_from_official_text():
    plain = ["Rugpijn gaat vaak vanzelf over. Praat met uw huisarts als u zich zorgen maakt."]
    official = [
        "Indien gedurende de behandelperiode onvoldoende reductie van de pijnintensiteit wordt "
        "geconstateerd, wordt geadviseerd de huisarts te consulteren teneinde aanvullende "
        "diagnostische mogelijkheden te overwegen."
    ]
    assert reading(plain, "nl")["score"] >= MIN_SCORE["nl"]
    assert reading(official, "nl")["score"] < MIN_SCORE["nl"]
    assert reading(official, "nl")["longest"] > MAX_WORDS - 5
    english = [
        "Notwithstanding the observational methodology, the preponderance of evidence "
        "indicates clinically meaningful improvement."
    ]
    assert reading(english, "en")["score"] < MIN_SCORE["en"]


def test_sentences_are_split_as_a_reader_reads_them():
    assert sentences("- **No group.** We do not know.\n- Small: hidden.") == [
        "No group.",
        "We do not know.",
        "Small:",
        "hidden.",
    ]
    assert sentences("Another review (Pengel et al., 2003) found it.") == [
        "Another review (Pengel et al., 2003) found it."
    ]
