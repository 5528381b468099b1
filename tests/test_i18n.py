"""Interface text: both languages complete, with the same placeholders."""

import re
import string

import pytest

from dashboard import i18n


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders():
    en, nl = i18n.messages("en"), i18n.messages("nl")
    assert set(en) == set(nl)
    for key in en:
        assert _placeholders(en[key]) == _placeholders(nl[key]), key
        assert en[key].strip() and nl[key].strip(), key


def test_dutch_is_really_translated():
    en, nl = i18n.messages("en"), i18n.messages("nl")
    same = [k for k in en if en[k] == nl[k] and not re.fullmatch(r"[\w &]+", en[k] or "")]
    assert not [k for k in same if len(en[k]) > 20], same


def test_t_fills_placeholders_and_refuses_unknown_keys_and_languages():
    assert i18n.t("sources.rows", "nl", rows=36) == "36 rijen"
    assert i18n.t("url.invalid_value", "en", key="sex").startswith("The value given for “sex”")
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en")
    with pytest.raises(ValueError, match="unknown language"):
        i18n.messages("de")
