"""Shared fixtures: a throw-away copy of the data package that a test may break."""

import shutil
from pathlib import Path

import pytest

from analysis.data import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of data/ (descriptor and CSVs) in a temporary folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("demo"))
    return target


# -- Browser tests (tests/browser.py): one app and one Chromium per test module --------------


@pytest.fixture(scope="module")
def app_url():
    """The app served on a free port with the project's config (a module may override this,
    e.g. to serve it under a base path or with clinic records imported)."""
    from tests.browser import running_app

    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    from tests.browser import chromium

    with chromium() as chromium_browser:
        yield chromium_browser


@pytest.fixture
def page(browser):
    """A page in a fresh browser context (no cookies, no session) at desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
