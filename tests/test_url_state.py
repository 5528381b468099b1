"""The URL review and parameter parsing: unknown keys, invalid values, old data versions."""

from hypothesis import given
from hypothesis import strategies as st

from analysis.metadata import DATA_VERSION
from dashboard import params, url_state
from dashboard.url_state import LANG, Review, choice, integer, review

ALLOWED = {"lang": LANG, "sex": choice("sex", ("men", "women"), "women")}


def test_clean_url():
    assert review({"lang": ["nl"], "sex": ["men"], "v": [DATA_VERSION]}, ALLOWED).is_clean
    assert review({}, ALLOWED).is_clean


def test_unknown_invalid_and_old_version():
    result = review(
        {"lang": ["de"], "foo": ["1"], "v": ["2025.1.1"], "embed": ["true"]}, ALLOWED, "2026.11.24"
    )
    assert result == Review(unknown=("foo",), invalid=("lang",), old_version="2025.1.1")


def test_translated_labels_are_not_codes():
    assert review({"sex": ["vrouwen"]}, ALLOWED).invalid == ("sex",)


def test_malformed_version_is_invalid_not_old():
    assert review({"v": ["<script>"]}, ALLOWED).invalid == ("v",)
    assert review({"v": ["2026.12.06.x"]}, ALLOWED).invalid == ("v",)


def test_a_second_release_on_one_day_is_a_version():
    """Data changed twice on 6 December 2026: the earlier link's version is old, not invalid."""
    result = review({"v": ["2026.12.06"]}, ALLOWED, "2026.12.06.2")
    assert result.invalid == () and result.old_version == "2026.12.06"
    assert review({"v": ["2026.12.06.2"]}, ALLOWED, "2026.12.06.2").old_version is None


def test_repeated_and_empty_values_are_checked():
    assert review({"lang": ["en", "xx"]}, ALLOWED).invalid == ("lang",)
    assert review({"sex": []}, ALLOWED).invalid == ("sex",)


def test_keys_shown_on_screen_are_sanitised():
    result = review({"<img src=x onerror=alert(1)>": ["1"]}, ALLOWED)
    assert result.unknown == ("imgsrcxonerroralert1",)


def test_notices_are_in_the_readers_language():
    result = Review(unknown=("foo",), invalid=("lang",), old_version="2025.1.1")
    dutch = url_state.notices(result, "nl")
    assert len(dutch) == 3
    assert "genegeerd: foo" in dutch[0] and "2025.1.1" in dutch[2]


def test_integer_param_bounds_and_format():
    catchment = integer("catchment", None, 1, 20_000_000)
    assert catchment.read("25000") == 25000
    for bad in ("0", "-5", "1e5", "25.000", "20000001", "", " 5", "٣"):
        assert catchment.read(bad) is None, bad


def test_choice_param_round_trips_its_codes():
    year = params.PREVALENCE["year"]
    for option in year.options:
        assert year.read(year.to_url(option)) == option
    assert year.read("2019") is None


@given(
    st.dictionaries(st.text(max_size=60), st.lists(st.text(max_size=200), max_size=4), max_size=8)
)
def test_review_never_raises_and_shows_only_safe_keys(raw):
    allowed = url_state.GLOBAL_PARAMS | params.PREVALENCE
    result = review(raw, allowed)
    for key in result.unknown + result.invalid:
        assert key == "?" or all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
        assert len(key) <= 30
    for text in url_state.notices(result, "en"):
        assert "<" not in text and ">" not in text


@given(st.text(max_size=300))
def test_every_declared_param_reads_any_text_without_raising(text):
    for page in params.PAGE_PARAMS.values():
        for param in page.values():
            value = param.read(text)
            assert value is None or param.read(param.to_url(value)) == value


def test_version_with_trailing_newline_is_invalid():
    assert review({"v": [DATA_VERSION + "\n"]}, ALLOWED).invalid == ("v",)


SECTIONS = url_state.sections("open", ("pain", "course", "trials", "time"))


def test_open_sections_are_read_in_page_order_and_written_back():
    assert SECTIONS.read("time,pain") == ("pain", "time")
    assert SECTIONS.to_url(("pain", "time")) == "pain,time"
    assert SECTIONS.read("") == () == SECTIONS.default
    for bad in ("pain,pain", "pain,<b>", "Pain", "pain,,time"):
        assert SECTIONS.read(bad) is None, bad


@given(st.lists(st.sampled_from(SECTIONS.options), unique=True))
def test_open_sections_round_trip(chosen):
    value = SECTIONS.read(",".join(chosen))
    assert set(value) == set(chosen)
    assert SECTIONS.read(SECTIONS.to_url(value)) == value


def test_every_page_declares_its_on_demand_sections_as_a_link_parameter():
    """A section shown on demand is listed in the page's `open` parameter (so a link can open
    it), and the parameter names no section the page lacks."""
    from dashboard.views import every_view

    seen: dict[str, set[str]] = {}
    for _name, view in every_view(("en",)):
        seen.setdefault(view.path, set()).update(s.name for s in view.sections if s.on_demand)
    for path, names in seen.items():
        declared = params.ON_DEMAND.get(path)
        assert set(declared.options if declared else ()) == names, path
        if names:
            assert params.link_params(path)[params.OPEN] is declared
