"""The browser benchmarks (bench/cold_open.py, interaction.py, concurrent.py) run end to end
with tiny settings and write their JSON: a smoke test that they work, not a measurement."""

import json

import pytest

from bench import results_io
from tests.browser import skip_reason

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]


@pytest.fixture(autouse=True)
def results_in_tmp(tmp_path, monkeypatch):
    """Keep the real bench/results/ (the lead's measured figures) untouched."""
    monkeypatch.setattr(results_io, "RESULTS", tmp_path)
    return tmp_path


def figures(path) -> dict[str, dict]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["machine"]["cpus"]
    return {f["name"]: f for f in payload["figures"]}


def test_cold_open_one_page_one_rep():
    from bench import cold_open

    found = figures(cold_open.main(["--reps", "1", "--pages", "home-working"]))
    ratio = found["home-working: ratio to blank"]
    assert ratio["value"] > 0 and ratio["met"] in (True, False)
    load = found["home-working: median load"]
    assert load["detail"]["charts"] == 1  # the trend; GP care and the studies of workers fold
    assert load["detail"]["server_script_s"]["n"] == 1  # the timing log saw the load's run
    assert found["blank app: median load"]["value"] > 0


def test_interaction_two_reps_one_widget():
    from bench import interaction

    found = figures(interaction.main(["--reps", "2", "--widgets", "home-working/series"]))
    assert found["home-working/series: rerun p95"]["value"] > 0
    ratio = found["home-working/series: ratio to blank"]
    assert ratio["value"] > 0 and ratio["met"] in (True, False) and "blank app" in ratio["target"]
    detail = found["home-working/series: rerun p50"]["detail"]
    # One script run per change: the page's fragment, logged by dashboard.render.
    assert detail["n"] == 2 and detail["script_runs_per_change"] == [1]
    assert found["home-working: script p50"]["detail"]["n"] == 2
    assert found["blank segmented: rerun p50"]["value"] > 0  # the baseline
    assert "blank selectbox: rerun p50" not in found  # only the kinds measured


def test_concurrent_two_sessions_briefly():
    from bench import concurrent

    figures_, settings = concurrent.measure(
        sessions=2, seconds=3, ttl=1, timeout_s=30, passes=1, warm_up=False
    )
    path = results_io.record("concurrent", figures_, settings)
    found = figures(path)
    assert found["failed sessions"]["value"] == 0, found["failed sessions"]["detail"]
    assert found["initial load p95, 2 sessions"]["detail"]["n"] >= 2
    assert found["heap in use: warm baseline"]["value"] > 10
    assert found["st caches without max_entries or ttl"]["met"] is True
    assert json.loads(path.read_text())["settings"]["sessions"] == 2
