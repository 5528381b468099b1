"""Interface text in English and Dutch, read from ``dashboard/locales/<lang>[.<topic>].toml``.

`t("sources.title", "nl")` returns the Dutch text; a missing key raises, so a page can never
show a raw key. Both files must hold the same keys (checked by the tests).

A text never types a definition's number: it names it in capitals ("{CI_LEVEL}% CI") and the
value declared once in `analysis.vocabulary` is filled in when the messages are read.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from analysis import vocabulary

LANGS = ("en", "nl")
DEFAULT_LANG = "en"
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}
LOCALES_DIR = Path(__file__).with_name("locales")


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def constants(lang: str) -> dict[str, str]:
    """The definitions a text may name in capitals, written for `lang`."""
    return {
        "CI_LEVEL": f"{vocabulary.CI_LEVEL_PCT:g}",
        "PER_PEOPLE": number(vocabulary.PER_PEOPLE, lang),
        "PAIN_SCALE": "{}-{}".format(*vocabulary.PAIN_SCALE),
        "PAIN_MIN": f"{vocabulary.PAIN_SCALE[0]:g}",
        "PAIN_MAX": f"{vocabulary.PAIN_SCALE[1]:g}",
        "PAIN_BAND_LOW": f"{vocabulary.PAIN_BAND_PCT[0]:g}",
        "PAIN_BAND_HIGH": f"{vocabulary.PAIN_BAND_PCT[1]:g}",
        "OUT_OF": f"{vocabulary.OUT_OF:g}",
    }


def _filled(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", value)
    return text


@cache
def messages(lang: str) -> dict[str, str]:
    """Every message of one language, keyed by dotted name, the definitions it names filled in
    (see the module doc)."""
    values = constants(lang)
    return {
        key: _filled(text, values) if isinstance(text, str) else text
        for key, text in templates(lang).items()
    }


@cache
def templates(lang: str) -> dict[str, str]:
    """Every message of one language as written, keyed by dotted name.

    Read from ``<lang>.toml`` and any topic files ``<lang>.<topic>.toml``; a key defined in two
    files is an error, so no text silently replaces another.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose one of {LANGS}")
    out: dict[str, str] = {}
    for path in sorted(LOCALES_DIR.glob(f"{lang}.toml")) + sorted(
        LOCALES_DIR.glob(f"{lang}.*.toml")
    ):
        with path.open("rb") as handle:
            part = _flatten(tomllib.load(handle))
        twice = set(part) & set(out)
        if twice:
            raise ValueError(f"{path.name} defines {sorted(twice)} again")
        out.update(part)
    return out


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = messages(lang)[key]
    return text.format(**values) if values else text


def number(value: float, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """A number written the way readers of `lang` expect: 2,064,900.5 (en) or 2.064.900,5 (nl)."""
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def level(value: float, lang: str = DEFAULT_LANG) -> str:
    """A level in percent with the decimals it has: 95 or 99.8 (en), 99,8 (nl)."""
    return number(value, lang, 0 if value == int(value) else 1)


def percent(value: float, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A percentage with the language's decimal mark: 15.4% (en) or 15,4% (nl)."""
    return f"{number(value, lang, decimals)}%"
