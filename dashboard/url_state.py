"""What the URL holds, and how a link restores exactly the view it was made from.

Two kinds of parameter (DESIGN.md section 5):

- The language (``lang=en|nl``) uses Streamlit's widget binding (``bind="query-params"``).
- View widgets whose options are shown translated (``sex``, ``measure``, ``standard`` ...) are
  declared as `Param`s and kept in the URL as language-independent codes by `widget()`. Binding
  cannot do this: Streamlit writes a bound widget's *formatted* label into the URL, so a link made
  in Dutch (``sex=vrouwen``) would be invalid when opened in English. A link must mean the same
  view in every language.

Around both, `review()` (pure, so it can be tested and fuzzed without a server) reports unknown
keys, invalid values and links made on older data (``v=``); the app shows these as plain notices
and drops what it cannot use, never raising.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.metadata import DATA_VERSION
from dashboard.i18n import DEFAULT_LANG, LANGS, t

VERSION_PARAM = "v"
# Streamlit's own parameters; they never reach st.query_params, but a raw dict may hold them.
RESERVED = frozenset({"embed", "embed_options"})
# A date, and a release number when the data change twice on one day ("2026.12.06.2").
_VERSION_RE = re.compile(r"^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$")
_SAFE_KEY = re.compile(r"[^A-Za-z0-9_-]")
_MAX_VALUE_LENGTH = 100


@dataclass(frozen=True)
class Param:
    """One view setting kept in the URL: its key, default and how to read a URL value."""

    key: str
    default: Any
    parse: Callable[[str], Any] = field(compare=False)
    options: tuple = ()
    write: Callable[[Any], str] = field(default=str, compare=False)

    def read(self, raw: str | None) -> Any:
        """The value a URL text stands for, or None when it is missing or invalid."""
        if raw is None or len(raw) > max(_MAX_VALUE_LENGTH, NOTE_MAX):
            return None
        try:
            return self.parse(raw)
        except (TypeError, ValueError):
            return None

    def to_url(self, value: Any) -> str:
        return self.write(value)


def choice(key: str, options: tuple, default: Any) -> Param:
    """A setting chosen from fixed codes (`options`), written to the URL as the code itself."""
    lookup = {str(o): o for o in options}
    return Param(key, default, lambda raw: lookup.get(raw), options)


def integer(key: str, default: int | None, low: int, high: int) -> Param:
    """A whole number between `low` and `high` (inclusive)."""

    def parse(raw: str) -> int | None:
        if not re.fullmatch(r"[0-9]{1,9}", raw):
            return None
        value = int(raw)
        return value if low <= value <= high else None

    return Param(key, default, parse)


def sections(key: str, names: tuple[str, ...]) -> Param:
    """The page's sections shown on demand that are open, as a comma list of their names in page
    order ("pain,time"); none open is the default and leaves the parameter out."""

    def parse(raw: str) -> tuple[str, ...]:
        chosen = raw.split(",") if raw else []
        if any(name not in names for name in chosen) or len(set(chosen)) < len(chosen):
            raise ValueError(raw)
        return tuple(name for name in names if name in chosen)

    return Param(key, (), parse, names, write=",".join)


NOTE_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _note(raw: str) -> str | None:
    """A sender's note: plain text of at most NOTE_MAX characters, no control characters."""
    text = raw.strip()
    if not text or len(text) > NOTE_MAX or _CONTROL.search(text):
        return None
    return text


LANG = choice("lang", LANGS, DEFAULT_LANG)
# A short note from the sender that travels with a link and is shown as plain text.
NOTE = Param("note", None, _note)
GLOBAL_PARAMS: dict[str, Param] = {"lang": LANG, "note": NOTE}


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
    allowed: Mapping[str, Param],
    version: str = DATA_VERSION,
) -> Review:
    """Check raw query parameters (key -> all values) against the declared parameters.

    The version parameter is checked separately: a well-formed version other than the current
    one is reported as an old link; a malformed one counts as invalid.
    """
    unknown, invalid, old = [], [], None
    for key, values in params.items():
        if key in RESERVED:
            continue
        if key == VERSION_PARAM:
            value = values[-1] if values else ""
            if not _VERSION_RE.fullmatch(value):
                invalid.append(VERSION_PARAM)
            elif value != version:
                old = value
            continue
        if key not in allowed:
            unknown.append(safe_key(key))
            continue
        if not values or any(allowed[key].read(v) is None for v in values):
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


def snapshot() -> dict[str, list[str]]:
    """The URL's parameters as they arrived, before any widget has corrected them."""
    import streamlit as st

    return {key: st.query_params.get_all(key) for key in st.query_params}


def settle(raw: Mapping[str, list[str]], page_params: Mapping[str, Param]) -> list[str]:
    """Review the arrived parameters for the current page, drop unknown and invalid keys, stamp
    the data version; return the notices to show.

    Unknown keys are removed from the address bar; a page's invalid values are replaced by the
    default (through `widget`), the language by Streamlit's binding.
    """
    import streamlit as st

    allowed = GLOBAL_PARAMS | dict(page_params)
    result = review(raw, allowed)
    lang = LANG.read((raw.get("lang") or [None])[-1]) or DEFAULT_LANG
    for key in raw:
        removable = key not in RESERVED and key != "lang" and key != VERSION_PARAM
        if removable and (key not in allowed or safe_key(key) in result.invalid):
            st.query_params.pop(key, None)
    if st.query_params.get(VERSION_PARAM) != DATA_VERSION:
        st.query_params[VERSION_PARAM] = DATA_VERSION
    return notices(result, lang)


# What `widget` last wrote into the URL, per key, and the language of its labels.
_WRITTEN = "_url_written"


def _url_changed(written: dict[str, str | None], key: str, in_url: str | None) -> bool:
    """Whether the URL's `key` says something other than this session last wrote there (back or
    forward in the browser)."""
    return key in written and in_url != written[key]


def widget(render: Callable[..., Any], param: Param, **kwargs: Any) -> Any:
    """Show a widget whose value lives in the URL as `param`'s code, and keep the URL in step.

    The URL wins when it says something this function did not write: on a session's first run
    (an opened link) and after the browser's back or forward button (Streamlit reruns with the
    earlier address). Otherwise the widget wins, and every run writes its value back, so the
    address bar is always a link to exactly this view; the default is left out to keep links
    short.
    """
    import streamlit as st

    key = param.key
    written: dict[str, str | None] = st.session_state.setdefault(_WRITTEN, {})
    in_url = st.query_params.get(key)
    if key not in st.session_state or _url_changed(written, key, in_url):
        from_url = param.read(in_url)
        offered = kwargs.get("options")
        if from_url is not None and offered is not None and from_url not in offered:
            # A valid code the page does not offer now (a start year no longer shown): the
            # default, said as for any invalid value.
            from_url = None
            note = notices(Review(invalid=(safe_key(key),)), current_lang())[0]
            st.info(note, icon=":material/link:")
        st.session_state[key] = param.default if from_url is None else from_url
    elif written.get(f"{key}.lang") != current_lang():
        # The options' labels are in another language than last run. Streamlit's frontend
        # keeps a selection by its label; after back/forward it would keep the old language's
        # label and show nothing selected. Setting the value again sends the new label.
        st.session_state[key] = st.session_state[key]
    written[f"{key}.lang"] = current_lang()
    value = render(key=key, **kwargs)
    if value is None or value == param.default:
        st.query_params.pop(key, None)
        written[key] = None
    else:
        written[key] = st.query_params[key] = param.to_url(value)
    return value


def value(param: Param) -> Any:
    """The setting of a widget not shown in this run (its section is folded): the URL's, else
    the default. The URL keeps saying it, and the widget shows it again once it is back."""
    import streamlit as st

    read = param.read(st.query_params.get(param.key))
    return param.default if read is None else read


def open_key(name: str) -> str:
    """The session key of the expander of the on-demand section `name`."""
    return f"open_{name}"


def open_sections(param: Param, settings: Mapping[str, tuple[str, ...]] | None = None) -> None:
    """Set the open state of the page's on-demand sections from the URL when the URL says
    something this session did not write (an opened link, back/forward) or the language changed,
    as `widget` does; call before the expanders are made, and `write_open_sections` after.

    `settings` maps a section to the link parameters of the widgets inside it: a link that sets
    one of them opens that section whatever its `open` says (a link made before the section was
    folded says nothing of it), so its reader sees the setting's result."""
    import streamlit as st

    written: dict[str, str | None] = st.session_state.setdefault(_WRITTEN, {})
    in_url = st.query_params.get(param.key)
    # After a language switch too: an expander's identity includes its (translated) label, so
    # the switched page's expanders are new widgets that would start closed.
    relabelled = written.get(f"{param.key}.lang") != current_lang()
    if param.key not in written or _url_changed(written, param.key, in_url) or relabelled:
        chosen = param.read(in_url) or param.default
        if settings:
            chosen = (*chosen, *(n for n, keys in settings.items() if _any_in_url(keys)))
        for name in param.options:
            st.session_state[open_key(name)] = name in chosen
        written[param.key] = in_url  # taken: a second call in this run changes nothing
    written[f"{param.key}.lang"] = current_lang()


def _any_in_url(keys: tuple[str, ...]) -> bool:
    import streamlit as st

    return any(key in st.query_params for key in keys)


def write_open_sections(param: Param) -> None:
    """Write which on-demand sections are open into the URL (left out when none is)."""
    import streamlit as st

    written: dict[str, str | None] = st.session_state.setdefault(_WRITTEN, {})
    chosen = tuple(name for name in param.options if st.session_state.get(open_key(name)))
    if chosen == param.default:
        st.query_params.pop(param.key, None)
        written[param.key] = None
    else:
        written[param.key] = st.query_params[param.key] = param.to_url(chosen)


def current_lang() -> str:
    """The language chosen in the sidebar (bound to ``?lang=``)."""
    import streamlit as st

    lang = st.session_state.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG
