"""The benchmark results table (bench/README.md) and the README's headline figures are the last
`make bench` run's figures, not typed by hand."""

from bench import report
from bench.results_io import Figure, format_value, table


def test_the_results_table_is_built_from_bench_results():
    shown = report.shown(report.BENCH_README, report.START, report.END)
    assert shown == report.markdown_table(), "run `make bench` (or `python -m bench --report`)"


def test_the_readme_headline_is_built_from_bench_results():
    shown = report.shown(report.README, report.HEADLINE_START, report.HEADLINE_END)
    assert shown == report.headline(), "run `make bench` (or `python -m bench --report`)"
    assert report.START not in report.README.read_text(encoding="utf-8"), (
        "the full table belongs in bench/README.md"
    )


def test_every_headline_names_a_measured_figure():
    for bench, endings in report.HEADLINES.items():
        figures = [Figure(**f) for f in report.load(bench)["figures"]]
        for ending in endings:
            assert report.headline_figure(figures, ending), f"{bench}: no figure {ending!r}"


def test_every_benchmark_has_results_with_targets():
    for bench in report.TITLES:
        payload = report.load(bench)
        assert payload is not None, f"bench/results/{bench}.json is missing: run make bench"
        figures = [Figure(**f) for f in payload["figures"]]
        judged = [f for f in figures if f.met is not None]
        assert judged, f"{bench} judges no figure against a target"
        assert all(f.target for f in judged), bench  # a verdict always says against what
        # A target without a verdict is only a stated expectation ("close to linear").
        assert all("no hard target" in f.target for f in figures if f.target and f.met is None)


def test_the_report_names_every_missed_target(tmp_path, monkeypatch):
    import json

    from bench import results_io

    monkeypatch.setattr(results_io, "RESULTS", tmp_path)
    figures = [
        {"name": "a", "value": 2.5, "unit": "x", "target": "<= 1.5x", "met": False, "detail": {}},
        {"name": "b", "value": 0.2, "unit": "s", "target": "", "met": None, "detail": {}},
    ]
    (tmp_path / "scale.json").write_text(
        json.dumps({"bench": "scale", "machine": {"cpus": 2}, "settings": {}, "figures": figures})
    )
    assert report.missed_targets() == ["scale: a = 2.5 x (target <= 1.5x)"]
    assert "| Clinic data at scale | a | 2.5 x | <= 1.5x | **no** |" in report.markdown_table()
    assert "| Cold open in Chromium | not run yet |" in report.markdown_table()
    assert "- **Clinic data at scale**: 0 of 1 targets met.\n" in report.headline()
    assert "- **Cold open in Chromium**: not run yet." in report.headline()


def test_values_print_readably():
    assert format_value(Figure("t", 1234.5, "MB")) == "1,234 MB"  # rounds half to even
    assert format_value(Figure("t", 0.0421, "s")) == "0.0421 s"
    assert "NO" in table("x", [Figure("t", 3, "x", "<= 1.5x", False)])
