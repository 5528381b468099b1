"""Running Rugzicht for others (README "Deploying"): the production config file is hardened and
in effect, and the app serves on a non-default port under a base path, as behind a reverse
proxy. The browser part needs Chromium; the rest runs everywhere."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request

import pytest

from dashboard.i18n import t
from tests.browser import ROOT, chromium, running_app, skip_reason, wait_for_charts

CONFIG = ROOT / ".streamlit" / "config.toml"
README = ROOT / "README.md"
BASE_PATH = "rugzicht"

# (section, key): value, as the README's "Deploying" section explains them.
HARDENED = {
    ("browser", "gatherUsageStats"): False,
    ("client", "showErrorDetails"): "none",
    ("client", "toolbarMode"): "viewer",
    ("server", "headless"): True,
    ("server", "enableXsrfProtection"): True,
    ("server", "enableCORS"): True,
    ("server", "enableStaticServing"): False,
    ("server", "runOnSave"): False,
    ("server", "fileWatcherType"): "none",
}


def test_the_config_file_sets_the_hardened_keys():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    for (section, key), expected in HARDENED.items():
        assert config.get(section, {}).get(key) == expected, f"[{section}] {key}"
    assert 1 <= config["server"]["maxUploadSize"] <= 25  # MB; visit exports are small
    # Secrets never go in the committed config: a cookie secret belongs in the environment.
    assert "cookieSecret" not in config["server"]
    # Nothing that would switch the protections off again.
    assert "developmentMode" not in config.get("global", {})


def test_the_readme_explains_every_hardened_key():
    readme = README.read_text(encoding="utf-8")
    for section, key in [*HARDENED, ("server", "maxUploadSize")]:
        assert f"`{section}.{key}`" in readme, f"{section}.{key} is not in the README"


def readme_server_args() -> list[str]:
    """The options of the systemd ExecStart line in the README's "Deploying" section, without
    the port (each test run takes a free one)."""
    readme = README.read_text(encoding="utf-8")
    lines = [line for line in readme.splitlines() if line.startswith("ExecStart=")]
    assert len(lines) == 1, "the README should show one systemd ExecStart line"
    command = shlex.split(lines[0].removeprefix("ExecStart="))
    assert command[0].endswith("/.venv/bin/python")
    assert command[1:5] == ["-m", "streamlit", "run", "dashboard/app.py"]
    args = command[5:]
    if "--server.port" in args:
        at = args.index("--server.port")
        assert args[at + 1] != "8501", "use a port other than Streamlit's default"
        del args[at : at + 2]
    assert args[args.index("--server.baseUrlPath") + 1] == BASE_PATH
    return args


def effective_config() -> dict[tuple[str, str], tuple[object, str]]:
    """(section, key) -> (value, where it was set), as ``streamlit config show`` reports it
    when run from the project folder (that is where ``streamlit run`` reads config.toml)."""
    out = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    found, section, source = {}, "", "default"
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line.startswith("# The value below was set in "):
            source = line.removeprefix("# The value below was set in ").strip()
        elif line and not line.startswith("#") and " = " in line:
            key, raw = line.split(" = ", 1)
            found[(section, key)] = (tomllib.loads(f"v = {raw}")["v"], source)
            source = "default"
    return found


def test_streamlit_takes_the_hardened_keys_from_the_project_config_file():
    found = effective_config()
    for (section, key), expected in HARDENED.items():
        value, source = found[(section, key)]
        assert value == expected, f"[{section}] {key} = {value!r}"
        assert source == str(CONFIG), f"[{section}] {key} comes from {source}"
    assert found[("server", "maxUploadSize")][1] == str(CONFIG)


@pytest.fixture(scope="module")
def server():
    with running_app(extra_args=readme_server_args()) as url:
        yield url


def status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local test server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_the_app_serves_on_a_non_default_port_under_the_base_path(server):
    origin, _, path = server.rpartition("/")
    assert path == BASE_PATH
    assert not origin.endswith(":8501")
    assert status(f"{server}/_stcore/health") == (200, b"ok")
    code, page = status(f"{server}/prevalence?lang=nl")
    assert code == 200 and b"<html" in page.lower()
    # Nothing is served outside the base path (the proxy forwards only /rugzicht/).
    assert status(f"{origin}/_stcore/health")[0] == 404
    assert status(f"{origin}/prevalence")[0] == 404


@pytest.mark.browser
@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
def test_a_page_under_the_base_path_opens_in_dutch_with_its_charts(server):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{server}/prevalence?lang=nl")
        wait_for_charts(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("h1").first.inner_text().strip() == t("prevalence.title", "nl")
        charts = page.locator("[data-testid='stPlotlyChart']")
        assert charts.count() == 2  # drawn when the page opens; the others are folded
        assert all(charts.nth(i).locator(".main-svg").count() for i in range(2))
        assert f"/{BASE_PATH}/prevalence" in page.url and "lang=nl" in page.url
        # XSRF protection is on: the server handed this browser its token cookie.
        assert "_streamlit_xsrf" in {cookie["name"] for cookie in context.cookies()}
        context.close()
