"""What the URL holds beyond Streamlit's widget binding.

Widgets that define a view are bound to the URL with ``bind="query-params"``; Streamlit then
drops invalid values silently. This module covers the rest (DESIGN.md section 5): it notices
unknown parameters and invalid values *before* the widgets correct them, tells the reader in
plain words, removes unknown keys, and keeps the data version (``v=``) in every link so a link
made on older data says so.

Streamlit writes a bound option widget's *formatted* label into the URL, not the option itself.
Bound widgets therefore show their options as language-independent codes (``en``/``nl``,
``men``/``women``/``total``) and never use a translating ``format_func``: a link must mean the same
view whatever language it is opened in. `review()` is pure, so it can be tested and fuzzed
without a server.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from analysis.metadata import DATA_VERSION
from dashboard.i18n import DEFAULT_LANG, LANGS, t

VERSION_PARAM = "v"
# Parameters every page understands; pages add their own through `check_url(page_params)`.
GLOBAL_PARAMS: dict[str, Collection[str]] = {"lang": LANGS}
# Streamlit's own parameters; they never reach st.query_params, but a raw dict may hold them.
RESERVED = frozenset({"embed", "embed_options"})
_VERSION_RE = re.compile(r"^\d{4}\.\d{1,2}\.\d{1,2}$")
_SAFE_KEY = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Review:
    """What was wrong with a URL's parameters, as keys safe to show on screen."""

    unknown: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    old_version: str | None = None

    @property
    def is_clean(self) -> bool:
        return not (self.unknown or self.invalid or self.old_version)


def safe_key(key: str) -> str:
    """A parameter name reduced to letters, digits, '_' and '-' (at most 30), for display."""
    cleaned = _SAFE_KEY.sub("", str(key))[:30]
    return cleaned or "?"


def review(
    params: Mapping[str, list[str]],
    allowed: Mapping[str, Collection[str] | None],
    version: str = DATA_VERSION,
) -> Review:
    """Check raw query parameters (key -> all values) against the allowed values per key.

    `allowed[key] = None` accepts any value. The version parameter is checked separately: a
    well-formed version other than the current one is reported as an old link; a malformed one
    counts as invalid.
    """
    unknown, invalid, old = [], [], None
    for key, values in params.items():
        if key in RESERVED:
            continue
        if key == VERSION_PARAM:
            value = values[-1] if values else ""
            if not _VERSION_RE.match(value):
                invalid.append(VERSION_PARAM)
            elif value != version:
                old = value
            continue
        if key not in allowed:
            unknown.append(safe_key(key))
            continue
        options = allowed[key]
        if options is not None and any(v not in options for v in values):
            invalid.append(safe_key(key))
    return Review(tuple(dict.fromkeys(unknown)), tuple(dict.fromkeys(invalid)), old)


def notices(result: Review, lang: str) -> list[str]:
    """The plain-language notices for a review, in the reader's language."""
    out = []
    if result.unknown:
        out.append(t("url.unknown_params", lang, keys=", ".join(result.unknown)))
    out += [t("url.invalid_value", lang, key=key) for key in result.invalid]
    if result.old_version:
        out.append(t("url.old_version", lang, old=result.old_version, new=DATA_VERSION))
    return out


def check_url(page_params: Mapping[str, Collection[str] | None] | None = None) -> list[str]:
    """Review this run's URL, drop unknown keys, stamp the data version; return the notices.

    Call it before any bound widget is created, so invalid values are seen before Streamlit
    corrects them. Once corrected, the URL is clean and later reruns show no notice.
    """
    import streamlit as st

    allowed = dict(GLOBAL_PARAMS) | dict(page_params or {})
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    result = review(raw, allowed)
    lang = raw.get("lang", [DEFAULT_LANG])[-1]
    lang = lang if lang in LANGS else DEFAULT_LANG
    for key in raw:
        if key not in allowed and key != VERSION_PARAM and key not in RESERVED:
            del st.query_params[key]
    if st.query_params.get(VERSION_PARAM) != DATA_VERSION:
        st.query_params[VERSION_PARAM] = DATA_VERSION
    return notices(result, lang)


def current_lang() -> str:
    """The language chosen in the sidebar (bound to ``?lang=``)."""
    import streamlit as st

    lang = st.session_state.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG
