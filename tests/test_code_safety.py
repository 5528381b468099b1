"""Code-level safety checks (issue 7; anchors perf_reliability.md sections 2 and 6, targets 4, 7,
8 and 10): no raw HTML reaches a viewer's browser, every Streamlit cache is bounded, Streamlit is
pinned past its last advisory, and Plotly serialises figures with orjson.

The scans read the source with `ast`, not grep, so a comment or a docstring that mentions
`unsafe_allow_html` does not count, and a call written over several lines does. Each scanner is
first shown to catch a planted example, so a scan that finds nothing means something. The cache
scan lives in bench/code_scan.py, which the concurrency benchmark reports from as well.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from packaging.version import Version

from bench.code_scan import parse, python_files, unbounded_caches

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"

# Advisories for the `streamlit` package, from perf_reliability.md section 2.1 (fixed version
# and where it is recorded). CVE-2025-1684 (st.file_uploader's type= only checked in the
# browser) was fixed by PR #10509 without a version in our sources; the importer checks every
# upload's content itself (analysis.clinic.files._file_type), so it does not rely on that fix.
STREAMLIT_ADVISORIES = [
    ("CVE-2022-35918 / GHSA-v4hr-4jpx-56gc", "1.11.1", "directory traversal via component files",
     "https://github.com/streamlit/streamlit/security/advisories/GHSA-v4hr-4jpx-56gc"),
    ("GHSA-8qw9-gf7w-42x5", "1.30.0", "rest of the same traversal",
     "https://github.com/advisories/GHSA-8qw9-gf7w-42x5"),
    ("CVE-2023-27494 / GHSA-9c6g-qpgj-rvxw", "0.81.0", "reflected XSS through a crafted URL",
     "https://github.com/pypa/advisory-database vulns/streamlit/PYSEC-2023-50.yaml"),
    ("CVE-2024-42474 / GHSA-rxff-vr5r-8cj5", "1.37.0", "static-file path traversal (Windows)",
     "https://github.com/pypa/advisory-database PYSEC-2024-153"),
    ("CVE-2026-10804 / GHSA-vqwp-45wm-r9r5", "1.53.1", "weak hash in runtime/caching/hashing.py",
     "https://github.com/pypa/advisory-database PYSEC-2026-212"),
    ("CVE-2026-33682 / GHSA-7p48-42j8-8846", "1.54.0", "SSRF / NTLM relay via UNC paths (Windows)",
     "https://github.com/pypa/advisory-database PYSEC-2026-2285; streamlit PR #13733"),
]  # fmt: skip


def dotted(node: ast.AST) -> str:
    """`st.html` for an Attribute chain, `html` for a bare Name, '' for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


# --------------------------------------------------------------------------------------------
# (a) No raw HTML


def raw_html_uses(tree: ast.Module) -> list[str]:
    """Every way raw HTML can reach the browser: `unsafe_allow_html` not constant False,
    `st.html(...)`, and anything from `streamlit.components` (its html() is not sanitised)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "unsafe_allow_html" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    found.append(f"line {node.lineno}: unsafe_allow_html")
            name = dotted(node.func)
            if name in {"st.html", "streamlit.html"} or name.endswith("components.html"):
                found.append(f"line {node.lineno}: {name}(...)")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            modules += [alias.name for alias in node.names]
            if isinstance(node, ast.ImportFrom) and node.module == "streamlit":
                modules += [f"streamlit.{alias.name}" for alias in node.names]
            if any(m.startswith("streamlit.components") for m in modules):
                found.append(f"line {node.lineno}: import of streamlit.components")
    return found


def test_the_raw_html_scanner_catches_each_form():
    planted = """
import streamlit as st
import streamlit.components.v1 as components
from streamlit import components as c2
st.markdown(note, unsafe_allow_html=True)
st.markdown(note, unsafe_allow_html=flag)
st.html(note)
components.html(note)
st.markdown(note, unsafe_allow_html=False)
st.markdown(note)
"""
    found = raw_html_uses(ast.parse(planted))
    assert [line.split(":")[0] for line in found] == [
        "line 3", "line 4", "line 5", "line 6", "line 7", "line 8",
    ]  # fmt: skip


def test_no_page_or_module_renders_raw_html():
    found = {
        str(path.relative_to(ROOT)): uses
        for path in python_files()
        if (uses := raw_html_uses(parse(path)))
    }
    assert found == {}, f"raw HTML would reach viewers (escape it or use st.text): {found}"


# --------------------------------------------------------------------------------------------
# (b) Bounded caches


def test_the_cache_scanner_catches_unbounded_caches():
    planted = """
import streamlit as st
from streamlit import cache_data
@st.cache_data
def a(): ...
@st.cache_resource(show_spinner=False)
def b(): ...
@cache_data()
def c(): ...
d = st.cache_data(lambda: 1)
@st.cache_data(max_entries=8)
def e(): ...
@st.cache_resource(ttl=60)
def f(): ...
st.cache_data.clear()
"""
    problems, uses = unbounded_caches(ast.parse(planted))
    assert [p.split(":")[0] for p in problems] == ["line 4", "line 6", "line 8", "line 10"]
    assert uses == 6


def test_every_streamlit_cache_has_max_entries_or_ttl():
    found, total = {}, 0
    for path in python_files():
        problems, uses = unbounded_caches(parse(path))
        total += uses
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    assert found == {}, f"unbounded caches grow with every distinct argument: {found}"
    assert total >= 1, "no cache found: the scan is not looking where the caches are"


# --------------------------------------------------------------------------------------------
# (c) Streamlit pinned past its advisories


def pins() -> dict[str, str]:
    """requirements.txt as name -> version; every requirement must be an exact pin."""
    found = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([0-9][0-9A-Za-z.+\-]*)", line)
        assert match, f"requirements.txt: {line!r} is not an exact pin (name==version)"
        found[match.group(1).lower()] = match.group(2)
    return found


def test_runtime_requirements_are_exact_pins_including_the_data_stack():
    pinned = pins()
    for name in ("streamlit", "plotly", "pandas", "duckdb", "openpyxl", "orjson"):
        assert name in pinned, f"{name} is not pinned in requirements.txt"


def test_streamlit_is_pinned_past_every_known_advisory():
    pinned = Version(pins()["streamlit"])
    for advisory, fixed_in, what, source in STREAMLIT_ADVISORIES:
        assert pinned >= Version(fixed_in), f"{advisory} ({what}; {source}) fixed in {fixed_in}"
    assert pinned >= Version("1.54.0")  # the newest fix in the table
    assert importlib.metadata.version("streamlit") == pins()["streamlit"], (
        "the environment runs another Streamlit than requirements.txt pins: run `make dashboard`"
    )


# --------------------------------------------------------------------------------------------
# (d) orjson serialises the figures


def test_plotly_serialises_figures_with_orjson(monkeypatch):
    """Streamlit's plotly_chart calls plotly.io.to_json(figure, validate=False); with orjson
    installed and Plotly's engine left on "auto" (or set to "orjson") that call goes through
    orjson (anchors section 1.3: 550 ms -> 64 ms for one figure)."""
    orjson = pytest.importorskip("orjson", reason="orjson is pinned in requirements.txt")
    assert pio.json.config.default_engine in {"auto", "orjson"}
    calls = []
    dumps = orjson.dumps

    def spy(*args, **kwargs):
        calls.append(1)
        return dumps(*args, **kwargs)

    monkeypatch.setattr(orjson, "dumps", spy)
    figure = go.Figure(go.Bar(x=["men", "women"], y=[1.5, 2.25]))
    text = pio.to_json(figure, validate=False)
    assert calls, "plotly.io.to_json did not use orjson"
    assert json.loads(text) == json.loads(pio.to_json(figure, validate=False, engine="json"))
