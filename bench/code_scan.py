"""The project's own Python source read with `ast` (dashboard/ and analysis/), and the scan for
Streamlit caches without max_entries or ttl: tests/test_code_safety.py asserts it finds none and
bench/concurrent.py reports what it finds, so the two cannot disagree.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [ROOT / "dashboard", ROOT / "analysis"]
CACHES = {"cache_data", "cache_resource"}


def python_files() -> list[Path]:
    files = sorted(p for folder in SCANNED for p in folder.rglob("*.py"))
    assert files, "nothing to scan"
    return files


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def unbounded_caches(tree: ast.Module) -> tuple[list[str], int]:
    """Uses of st.cache_data / st.cache_resource without max_entries or ttl, and how many
    cache uses there are in all (`.clear()` and other attribute access are not uses)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    problems, uses = [], 0
    for node in ast.walk(tree):
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
        if name not in CACHES or not isinstance(node, ast.Attribute | ast.Name):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute):
            continue  # st.cache_data.clear() and the like
        uses += 1
        bounded = (
            isinstance(parent, ast.Call)
            and parent.func is node
            and any(keyword.arg in {"max_entries", "ttl"} for keyword in parent.keywords)
        )
        if not bounded:
            problems.append(f"line {node.lineno}: {name} without max_entries or ttl")
    return problems, uses


def unbounded_caches_by_file() -> dict[str, list[str]]:
    """The unbounded caches in every scanned file (path relative to the project root)."""
    found = {}
    for path in python_files():
        problems, _ = unbounded_caches(parse(path))
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    return found
