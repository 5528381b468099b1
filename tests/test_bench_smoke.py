"""The benchmarks still run: each one's core at a tiny size, so a broken benchmark fails `make
test` rather than the next `make bench`."""

import json
import math

from bench import results_io, scale


def test_scale_bench_runs_small(tmp_path, monkeypatch):
    """bench.scale at 2,000 synthetic visits (Outcomes figures only) writes every figure."""
    monkeypatch.setattr(results_io, "RESULTS", tmp_path / "results")
    assert scale.main(["--sizes", "2000", "--no-page-charts", "--keep", str(tmp_path)]) == 0

    payload = json.loads((tmp_path / "results" / "scale.json").read_text(encoding="utf-8"))
    figures = {figure["name"]: figure for figure in payload["figures"]}
    expected = [
        "2k synthetic visits: DuckDB read_csv (floor)",
        "2k synthetic visits: Rugzicht import",
        "2k synthetic visits: import / DuckDB read_csv",
        "2k synthetic visits: outcome analysis",
        "2k synthetic visits: peak RSS, DuckDB read_csv",
        "2k synthetic visits: peak RSS, import",
        "2k synthetic visits: peak RSS, outcome analysis",
        "import: seconds per 10k visits at 2k",
        "outcome analysis: seconds per 10k visits at 2k",
        "largest figure JSON (every page and view, both languages)",
        "plotly.io JSON engine is orjson",
    ]
    assert [name for name in expected if name not in figures] == []
    assert all(math.isfinite(f["value"]) and f["value"] >= 0 for f in figures.values())
    assert figures["2k synthetic visits: Rugzicht import"]["detail"]["rows_added"] == 2000
    assert figures["2k synthetic visits: outcome analysis"]["detail"]["visits"] == 2000
    assert figures["largest figure JSON (every page and view, both languages)"]["met"] is True
    assert "SYNTHETIC" in payload["settings"]["data"]
