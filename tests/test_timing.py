"""The benchmarks' server-side timing log: one line per script run, fragment reruns marked."""

import json

from dashboard.timing import script_run


def test_each_run_is_one_line_and_fragment_reruns_are_told_apart(tmp_path, monkeypatch):
    log = tmp_path / "timing.jsonl"
    monkeypatch.setenv("RUGZICHT_TIMING_LOG", str(log))
    with script_run(run := {}):
        run["path"] = "outcomes"  # known only once the page is
    with script_run({"path": "outcomes", "fragment": True}):
        pass
    first, second = (json.loads(line) for line in log.read_text().splitlines())
    assert first["page"] == "outcomes" and "fragment" not in first
    assert second["fragment"] is True
    assert first["seconds"] >= 0 and second["seconds"] >= 0


def test_nothing_is_written_without_the_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("RUGZICHT_TIMING_LOG", raising=False)
    monkeypatch.chdir(tmp_path)
    with script_run({"path": "x"}):
        pass
    assert list(tmp_path.iterdir()) == []
