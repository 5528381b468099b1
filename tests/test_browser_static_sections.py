"""A page's static sections are drawn once, when it opens, not on each filter change
(`dashboard.render.run_page`). The home-working claim check is one of them and holds the clinic's
intake: when the owner undoes the import while a reader has the page open, the reader's next
filter change must draw it again from the records as they are now, not keep the old intake.
"""

from __future__ import annotations

import pytest

from dashboard.i18n import t
from tests.browser import running_app, skip_reason, wait_for_app, wait_for_charts
from tests.test_browser_signin import (  # the same owner, password and sign-in steps
    PASSWORD,
    SIGNED_IN,
    open_clinic_page,
    owner_env,  # noqa: F401 (a fixture)
    submit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
    pytest.mark.timeout(300),
]

INTAKE = "At the clinic."  # the clinic's intake beside the national verdict
MISSING = t("home_working.claim.clinic_missing", "en")  # no records: where it will appear


def test_a_filter_change_after_an_undo_draws_the_claim_check_from_the_records_now(
    browser,
    owner_env,  # noqa: F811 (the fixture imported above)
):
    with running_app(extra_env=owner_env) as url:
        reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
        reader = reader_context.new_page()
        reader.goto(f"{url}/home-working")
        wait_for_charts(reader)
        reader.get_by_text(INTAKE).first.wait_for()
        assert reader.get_by_text(MISSING).count() == 0

        # Meanwhile the owner undoes the only import: the pages show the demo clinic again.
        owner_context, owner = open_clinic_page(browser, url)
        submit(owner, PASSWORD)
        owner.get_by_text(SIGNED_IN).wait_for()
        wait_for_app(owner)
        undo = owner.get_by_role("button", name=t("owner.undo", "en", import_id=1))
        undo.click()
        undo.wait_for(state="detached")  # no import left to undo
        owner_context.close()

        # The reader changes the series: only the page's fragment reruns, and it finds other
        # records than the claim check was drawn from, so the whole page is drawn again.
        series = reader.get_by_role("radio", name=t("home_working.series.cbs", "en"), exact=True)
        series.click()
        reader.get_by_text(MISSING).wait_for()
        wait_for_charts(reader)
        assert reader.get_by_text(INTAKE).count() == 0
        assert "series=cbs" in reader.url
        reader_context.close()
