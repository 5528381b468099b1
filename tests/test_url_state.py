"""The URL review: unknown keys, invalid values and old data versions, never an exception."""

from hypothesis import given
from hypothesis import strategies as st

from analysis.metadata import DATA_VERSION
from dashboard import url_state
from dashboard.url_state import Review, review

ALLOWED = {"lang": ("en", "nl"), "catchment": None}


def test_clean_url():
    assert review({"lang": ["nl"], "v": [DATA_VERSION]}, ALLOWED).is_clean
    assert review({}, ALLOWED).is_clean


def test_unknown_invalid_and_old_version():
    result = review(
        {"lang": ["de"], "foo": ["1"], "v": ["2025.1.1"], "embed": ["true"]}, ALLOWED, "2026.11.24"
    )
    assert result == Review(unknown=("foo",), invalid=("lang",), old_version="2025.1.1")


def test_malformed_version_is_invalid_not_old():
    assert review({"v": ["<script>"]}, ALLOWED).invalid == ("v",)


def test_repeated_values_are_all_checked():
    assert review({"lang": ["en", "xx"]}, ALLOWED).invalid == ("lang",)


def test_keys_shown_on_screen_are_sanitised():
    result = review({"<img src=x onerror=alert(1)>": ["1"]}, ALLOWED)
    assert result.unknown == ("imgsrcxonerroralert1",)


def test_notices_are_in_the_readers_language():
    result = Review(unknown=("foo",), invalid=("lang",), old_version="2025.1.1")
    dutch = url_state.notices(result, "nl")
    assert len(dutch) == 3
    assert "genegeerd: foo" in dutch[0] and "2025.1.1" in dutch[2]


@given(
    st.dictionaries(st.text(max_size=60), st.lists(st.text(max_size=200), max_size=4), max_size=8)
)
def test_review_never_raises_and_shows_only_safe_keys(params):
    result = review(params, ALLOWED)
    for key in result.unknown + result.invalid:
        assert key == "?" or all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
        assert len(key) <= 30
    for text in url_state.notices(result, "en"):
        assert "<" not in text and ">" not in text
