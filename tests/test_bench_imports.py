"""bench/ imports no test module (DESIGN.md section 2): tests import the code and the benchmarks,
never the other way round. What both need (the server starter, Chromium's settings, the cache
scan, the page views) lives in dashboard/ and bench/code_scan.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports_of_tests(tree: ast.Module) -> list[str]:
    """Every module of the `tests` package a source imports, at the top or inside a function."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "tests":
                found += [f"tests.{alias.name}" for alias in node.names]
            else:
                found.append(node.module)
    return [name for name in found if name == "tests" or name.startswith("tests.")]


def test_the_scan_finds_every_form_of_import():
    planted = """
import tests
import tests.browser as b
from tests import page_charts, conftest
from tests.browser import serve
def later():
    from tests.test_code_safety import parse
from testsuite import x
from . import tests
import bench.tests_like
"""
    assert imports_of_tests(ast.parse(planted)) == [
        "tests", "tests.browser", "tests.page_charts", "tests.conftest", "tests.browser",
        "tests.test_code_safety",
    ]  # fmt: skip


def test_bench_imports_no_test_module():
    found = set()
    for path in sorted((ROOT / "bench").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found |= {(str(path.relative_to(ROOT)), name) for name in imports_of_tests(tree)}
    assert found == set(), "bench/ must not import tests/: move what both need out"
