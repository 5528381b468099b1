"""Regenerate the README's screenshots: ``python -m tests.screenshots`` (or ``make screenshots``).

Starts the app on the bundled data, opens each page in headless Chromium and saves a PNG of the
first screen and a half to ``docs/screenshots/``.
"""

from __future__ import annotations

import sys

from dashboard.serve import launch_chromium
from tests.browser import ROOT, running_app, skip_reason, wait_for_charts

OUT = ROOT / "docs" / "screenshots"
SHOTS = {
    "overview": "/",
    "prevalence": "/prevalence",
    "home_working": "/home-working",
    "outcomes": "/outcomes",
    "sources": "/sources",
}


def main() -> int:
    reason = skip_reason()
    if reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with running_app() as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        for name, path in SHOTS.items():
            page.goto(url + path)
            wait_for_charts(page)
            target = OUT / f"{name}.png"
            page.screenshot(path=str(target))
            print(f"wrote {target.relative_to(ROOT)}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
