"""The owner's sign-in in Chromium: wrong passwords from fresh browser contexts (no cookies, no
session) close it for everyone, the right password is refused while it is closed, the lock
survives a server restart, the unlock command opens it; and the owner's private view is never
in a link, the export or another browser.

Every attempt here comes from the same machine, so Streamlit gives no client address: they
are counted under "local", and the count lives in the file beside the clinic database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from dashboard import auth, signin_guard
from dashboard.auth import hash_password
from dashboard.i18n import t
from tests.browser import ROOT, running_app, skip_reason, wait_for_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
    # Two or three server starts, an import and a dozen page loads on a shared machine.
    pytest.mark.timeout(300),
]

PASSWORD = "correct horse battery staple"  # noqa: S105 (test fixture)
DEMO_EXPORT = ROOT / "data" / "demo" / "clinic_visits_demo.csv"

# The page's "signed in" line, as the owner sees it.
SIGNED_IN = t("owner.signed_in", "en", hours=auth.SESSION_SECONDS // 3600)


@pytest.fixture
def owner_env(tmp_path):
    """A clinic with the demo export imported, a password the test knows, and a first wait of
    ten minutes (so a lock outlasts a restart on a slow machine)."""
    env = {
        "RUGZICHT_DB": str(tmp_path / "clinic.duckdb"),
        "RUGZICHT_SECRET_FILE": str(tmp_path / "clinic_secret"),
        "RUGZICHT_OWNER_PASSWORD_HASH": hash_password(PASSWORD),
        signin_guard.ENV_PATH: str(tmp_path / signin_guard.FILE_NAME),
        signin_guard.ENV_DELAY: "600",
    }
    subprocess.run(
        [sys.executable, "-m", "analysis.clinic", "import", str(DEMO_EXPORT)],
        cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return env


def log(env: dict) -> signin_guard.SigninGuard:
    """The attempt log the app writes."""
    return signin_guard.SigninGuard(env[signin_guard.ENV_PATH])


def open_clinic_page(browser, url: str):
    """A fresh browser context (a new visitor: no cookies, no session) on /clinic-data."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/clinic-data")
    wait_for_app(page)
    return context, page


def submit(page, password: str) -> None:
    page.get_by_label(t("owner.password", "en")).fill(password)
    page.get_by_role("button", name=t("owner.sign_in", "en")).click()


def wait_for_log(env: dict, outcome: str, count: int, timeout: float = 30) -> None:
    """Wait until the attempt log holds `count` attempts with `outcome` (the app has handled
    the click), then for the page to settle."""
    deadline = time.monotonic() + timeout
    while len(log(env).recent(100, (outcome,))) < count:
        assert time.monotonic() < deadline, f"no {count} {outcome} attempt(s) recorded"
        time.sleep(0.1)


def main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def test_wrong_passwords_from_fresh_contexts_lock_the_sign_in_across_a_restart(browser, owner_env):
    closed = "sign-in is closed until"
    with running_app(extra_env=owner_env) as url:
        for n in (1, 2, 3):
            context, page = open_clinic_page(browser, url)
            assert closed not in main_text(page)
            submit(page, f"guess number {n}")
            page.get_by_text(t("owner.wrong_password", "en")).wait_for()
            wait_for_app(page)
            assert page.locator("input[type=file]").count() == 0
            if n == 3:
                assert closed in main_text(page), "the third wrong password closes the sign-in"
            context.close()

        # A fourth visitor with the right password: refused, the password not even checked.
        context, page = open_clinic_page(browser, url)
        assert closed in main_text(page)
        submit(page, PASSWORD)
        wait_for_log(owner_env, signin_guard.REFUSED, 1)
        wait_for_app(page)
        text = main_text(page)
        assert closed in text and SIGNED_IN not in text
        assert page.locator("input[type=file]").count() == 0
        context.close()

    # The server restarted: the count is in the file, not in the server's memory.
    with running_app(extra_env=owner_env) as url:
        context, page = open_clinic_page(browser, url)
        assert closed in main_text(page)
        submit(page, PASSWORD)
        wait_for_log(owner_env, signin_guard.REFUSED, 2)
        wait_for_app(page)
        assert SIGNED_IN not in main_text(page)
        context.close()

        # The owner clears the lock on the server; the right password then signs in.
        done = subprocess.run(
            [sys.executable, "-m", "dashboard.auth", "unlock"],
            cwd=ROOT, env={**os.environ, **owner_env}, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        context, page = open_clinic_page(browser, url)
        assert closed not in main_text(page)
        submit(page, PASSWORD)
        page.get_by_text(SIGNED_IN).wait_for()
        page.get_by_test_id("stFileUploader").wait_for()
        context.close()
    assert [row[2] for row in log(owner_env).recent(10, ("failed", "refused", "ok"))] == [
        "ok", "refused", "refused", "failed", "failed", "failed",
    ]  # fmt: skip


def test_the_private_view_stays_in_the_owners_session(browser, owner_env):
    with running_app(extra_env=owner_env) as url:
        context, page = open_clinic_page(browser, url)
        submit(page, PASSWORD)
        page.get_by_text(SIGNED_IN).wait_for()
        wait_for_app(page)
        page.get_by_text(t("owner.panel_private", "en"), exact=True).click()
        page.get_by_text("PRIVATE: only you see this").wait_for()
        wait_for_app(page)
        assert page.get_by_test_id("stDataFrame").count() >= 4
        # As the README says (Privacy): the owner, signed in, can download a private table
        # through Streamlit's table toolbar; the banner says so too. Viewers get no table (below).
        assert "download it as CSV" in main_text(page)
        page.get_by_test_id("stDataFrame").first.hover()
        page.get_by_role("button", name=re.compile(r"^Download as CSV")).first.wait_for()
        link = page.url
        assert "private" not in link and "panel" not in link
        # The share panel gives the link, but no export of this page.
        page.get_by_role("button", name=t("share.button", "en")).click()
        page.get_by_text(t("share.link_label", "en")).wait_for()
        assert page.get_by_role("button", name=t("share.export_html", "en")).count() == 0
        context.close()

        # The same address in another browser: the sign-in, nothing of the owner's view.
        for address in (link, f"{url}/clinic-data?panel=private&_owner_panel=private"):
            other = browser.new_context()
            viewer = other.new_page()
            viewer.goto(address)
            wait_for_app(viewer)
            text = viewer.inner_text("body")
            assert "PRIVATE" not in text and SIGNED_IN not in text
            assert viewer.get_by_label(t("owner.password", "en")).count() == 1
            assert viewer.get_by_test_id("stDataFrame").count() == 0
            other.close()
