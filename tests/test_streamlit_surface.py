"""What the Streamlit server answers besides the pages, checked against the pinned Streamlit
(1.67): the experimental agent API is off, static serving is off, no route serves a project
file, and the always-on endpoints (metrics, host config, health) hold nothing private.

Two tripwires make an upgrade look again: the reviewed list of Streamlit's own routes and of
its server/client options. A new route or option fails here until someone has checked it and
added it (with its setting in .streamlit/config.toml when it needs one).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request

import pytest

from dashboard.auth import hash_password
from tests.browser import ROOT, running_app

CONFIG = ROOT / ".streamlit" / "config.toml"
DEMO_EXPORT = ROOT / "data" / "demo" / "clinic_visits_demo.csv"
PRIVATE = re.compile(r"DEMO-\d{4}|\b[0-9a-f]{16,}\b|scrypt\$|patient_key")

# Streamlit's own routes in 1.67 (starlette server), reviewed for this app:
REVIEWED_ROUTES = {
    # health checks, the host's allowed origins, Prometheus-style counters: no app data
    "_stcore/health", "_stcore/script-health-check", "_stcore/host-config", "_stcore/metrics",
    # files a running session made (charts, downloads) under unguessable ids; uploads go to a
    # widget of a live session (only the signed-in owner has an upload widget)
    "media/{file_id:path}", "_stcore/upload_file/{session_id}/{file_id}",
    # custom components (none used) and the frontend's own files
    "component/{path:path}", "_stcore/bidi-components/{path:path}", "static",
    # static serving: off (server.enableStaticServing = false)
    "app/static/{path:path}",
    # st.login (OIDC): inert without an [auth] section in the secrets
    "auth/login", "auth/logout", "oauth2callback",
    # the experimental agent API: off (server.enableAgentApi = false)
    "_stcore/agent/interact", "_stcore/agent/mcp", "_stcore/agent/openapi.json",
}  # fmt: skip

# Server and client options of 1.67, reviewed (the security-relevant ones are set in config.toml
# or left at a safe default: trustedUserHeaders {} and unsafeMetricsUserAttributes [] keep user
# data out of st.user and the metrics endpoint).
REVIEWED_OPTIONS = {
    "server.address", "server.agentMaxSessions", "server.agentPreviewRows",
    "server.agentSessionTTL", "server.agentWaitTimeout", "server.allowRunOnSave",
    "server.allowedHosts", "server.baseUrlPath", "server.cookieSecret",
    "server.corsAllowedOrigins", "server.customComponentBaseUrlPath",
    "server.disconnectedSessionTTL", "server.enableAgentApi", "server.enableCORS",
    "server.enableExpensiveMemoryStats", "server.enableStaticServing",
    "server.enableWebsocketCompression", "server.enableXsrfProtection", "server.fileWatcherType",
    "server.folderWatchBlacklist", "server.folderWatchList", "server.headless",
    "server.maxCacheDataSize", "server.maxMessageSize", "server.maxUploadSize",
    "server.maxWidgetStateSize", "server.port", "server.runOnSave",
    "server.scriptHealthCheckEnabled", "server.showEmailPrompt", "server.sslCertFile",
    "server.sslKeyFile", "server.trustedUserHeaders", "server.unsafeMetricsUserAttributes",
    "server.websocketPingInterval", "server.xsrfCookieSameSite",
    "client.allowedOrigins", "client.disableDataExport", "client.showErrorDetails",
    "client.showErrorLinks", "client.showSidebarNavigation", "client.toolbarMode",
}  # fmt: skip

ROUTE_MODULES = ("starlette_routes", "starlette_auth_routes", "starlette_agent_routes")


def streamlit_routes() -> set[str]:
    found = set()
    for name in ROUTE_MODULES:
        module = importlib.import_module(f"streamlit.web.server.starlette.{name}")
        for key, value in vars(module).items():
            route = isinstance(value, str) and re.fullmatch(r"_?ROUTE_[A-Z0-9_]+", key)
            if route or key == "BASE_ROUTE_STATIC":
                found.add(value)
    return found


def test_streamlits_routes_are_the_reviewed_ones():
    routes = streamlit_routes()
    assert routes - REVIEWED_ROUTES == set(), "new Streamlit routes: check them, then list them"
    assert REVIEWED_ROUTES - routes == set(), "routes gone: update the list"


def test_streamlits_server_and_client_options_are_the_reviewed_ones():
    from streamlit import config

    options = {
        k for k in config._config_options_template if k.split(".")[0] in ("server", "client")
    }
    assert options - REVIEWED_OPTIONS == set(), "new Streamlit options: check them, then list them"


def test_the_config_file_switches_the_agent_api_and_static_serving_off():
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    assert server["enableAgentApi"] is False
    assert server["enableStaticServing"] is False
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    block = shown[shown.index("enableAgentApi") - 400 : shown.index("enableAgentApi") + 40]
    assert "enableAgentApi = false" in block
    assert f"set in {CONFIG}" in block, "Streamlit does not read it from the project config"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app as an owner runs it: records imported, a password (nobody here knows) set."""
    var = tmp_path_factory.mktemp("var")
    env = {
        "RUGZICHT_DB": str(var / "clinic.duckdb"),
        "RUGZICHT_SECRET_FILE": str(var / "clinic_secret"),
        "RUGZICHT_OWNER_PASSWORD_HASH": hash_password(secrets.token_urlsafe(16)),
    }
    subprocess.run(
        [sys.executable, "-m", "analysis.clinic", "import", str(DEMO_EXPORT)],
        cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with running_app(extra_env=env) as url:
        yield url


def fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (local server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_agent_api_answers_that_it_is_off(server):
    status, body = fetch(f"{server}/_stcore/agent/interact", b"{}")
    assert status == 403 and json.loads(body)["error"]["code"] == "not_available"
    status, body = fetch(f"{server}/_stcore/agent/mcp", b'{"jsonrpc": "2.0", "id": 1}')
    assert b"not_available" in body
    status, body = fetch(f"{server}/_stcore/agent/openapi.json")
    assert b"switched off" in body and not PRIVATE.search(body.decode())


FILES = [
    "README.md",
    "dashboard/app.py",
    ".streamlit/config.toml",
    ".streamlit/secrets.toml",
    "data/demo/clinic_visits_demo.csv",
    "var/clinic.duckdb",
    "var/clinic_secret",
    "var/signin_attempts.sqlite",
]


@pytest.mark.parametrize("prefix", ["", "app/static/", "static/", "media/", "component/"])
def test_no_route_serves_a_project_file(server, prefix):
    # The HTML for a path that is no page (a page's HTML also carries its link preview's tags).
    _, shell = fetch(f"{server}/no-such-page")
    for name in FILES:
        status, body = fetch(f"{server}/{prefix}{name}")
        # The page shell (the app's HTML for an unknown path) or a refusal, never the file.
        assert status >= 400 or body == shell, f"/{prefix}{name} answered {status}"
        assert b"patient_id" not in body and b"DEMO-" not in body


@pytest.mark.parametrize(
    "path", ["_stcore/metrics", "_stcore/host-config", "_stcore/health", "auth/login"]
)
def test_the_always_on_endpoints_hold_nothing_private(server, path):
    status, body = fetch(f"{server}/{path}")
    text = body.decode("utf-8", "replace")
    assert status < 500
    assert not PRIVATE.search(text), PRIVATE.search(text)
