"""Benchmarks 3 (scale of clinic data) and 5 (chart payload): how import and outcome analysis
grow with the number of visits, and how big every figure's JSON is.

``python -m bench.scale [--sizes 10000,100000,1000000] [--quick] [--keep DIR] [--no-page-charts]``

For each size a SYNTHETIC export in the Dutch format (the demo generator, `analysis.demo`, with
more patients and a fixed seed; not timed) is written to a temporary folder. Each measurement then
runs in a fresh process (`bench.scale_child`) so that its peak RSS is its own:

a. a process that only reads the file with DuckDB's own ``read_csv`` into a table of a new
   database file (its default threads): the floor for reading this file;
b. a process that imports the same file with the documented command line, ``python -m
   analysis.clinic import FILE --db DB``, into a fresh store (imports, decode, validate,
   pseudonymise, one transaction). The importer's upload caps (10 MB, 200,000 rows) are lifted
   inside that process only, and the output says so. Both are timed whole, from process start
   to exit (what an owner waits for); the in-process seconds are in the detail. Target: at
   most 3x (a);
c. the outcome analysis of all visits as the Outcomes page runs it (load the visits from the
   store, then `clinic_view.public_outcomes` for the default selection). scipy and statsmodels
   are imported first, as a running dashboard has done; that cost is reported apart. Target at
   1M visits: 2 s.

Every step must peak at 1.5 GB (1,500 MB) RSS or less. Growth is reported as seconds per 10k
visits at each size and as (t_large / t_small) / (n_large / n_small), 1.0 being linear, from the
smallest size to the largest and between the two largest. Finally every figure the dashboard
builds (all pages, both languages; the Outcomes figures also from the largest stored table) is
serialised as Streamlit does (`plotly.io.to_json`): each at most 1 MB. Figures go through
`bench.results_io.record("scale", ...)` into bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results_io import Figure, record

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 50_000)
SEED = 20261124
IMPORT_RATIO_TARGET = 3.0
ANALYSIS_TARGET_S = 2.0
ANALYSIS_TARGET_VISITS = 1_000_000
RSS_LIMIT_MB = 1500.0
FIGURE_LIMIT_BYTES = 1_000_000
VISITS_PER_PATIENT = 7.0  # about what the demo generator makes; topped up when short
ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------------------- the files


def synthetic_visits(n_visits: int, seed: int = SEED):
    """The first `n_visits` rows of the demo generator run with enough patients (synthetic:
    patient numbers start with DEMO). The generator draws patient after patient from one seed,
    so a smaller size is exactly the start of a larger one."""
    from analysis import demo

    patients = math.ceil(n_visits / VISITS_PER_PATIENT)
    frame = demo.make_demo(seed=seed, n_patients=patients)
    while len(frame) < n_visits:
        patients = math.ceil(patients * 1.2)
        frame = demo.make_demo(seed=seed, n_patients=patients)
    return frame.iloc[:n_visits]


def write_exports(sizes: list[int], folder: Path, seed: int = SEED) -> dict[int, Path]:
    """One Dutch-format CSV export per size (generated once, at the largest size)."""
    from analysis import demo

    largest = synthetic_visits(max(sizes), seed)
    paths = {}
    for n in sizes:
        path = folder / f"synthetic_visits_{n}.csv"
        path.write_bytes(demo.to_dutch_csv(largest.iloc[:n]))
        paths[n] = path
    return paths


# ------------------------------------------------------------------------------- measuring


def run_step(step: str, args: dict) -> dict:
    """Run one measurement in a fresh Python process and return what it printed, with the
    whole process's wall time (start to exit: interpreter, imports, work) as `process_s`."""
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 -- our own module, arguments we built
        [sys.executable, "-m", "bench.scale_child", step, json.dumps(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    process_s = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"step {step} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_s"] = process_s
    return out


def whole_process(step: dict) -> dict:
    """A step timed as a whole process (what an owner waits for): `seconds` becomes the
    process's wall time, the in-process seconds move to the detail."""
    detail = {"in_process_s": round(step["seconds"], 4), **step["detail"]}
    return {**step, "seconds": step["process_s"], "detail": detail}


def fresh(path: Path) -> str:
    """`path` with no database left there from an earlier run (a kept folder is reused)."""
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    return str(path)


def measure_size(n: int, path: Path, folder: Path) -> dict[str, dict]:
    """The three measurements for one file; the import writes the store the analysis reads."""
    secret = str(folder / "secret")
    store = fresh(folder / f"store_{n}.duckdb")
    floor = fresh(folder / f"floor_{n}.duckdb")
    out = {"duckdb": whole_process(run_step("duckdb", {"file": str(path), "db": floor}))}
    out["import"] = whole_process(
        run_step("import", {"file": str(path), "db": store, "secret": secret, "rows": n})
    )
    out["analysis"] = run_step("analysis", {"db": store, "secret": secret})
    return out


# ------------------------------------------------------------------------------- figures


def label(n: int) -> str:
    """10k, 100k, 1M: how a size reads in a figure's name."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def _mb(value: int) -> float:
    """Bytes in MB (10^6 bytes, as the 1.5 GB limit is read)."""
    return value / 1e6


def rss_figure(name: str, step: dict) -> Figure:
    """A step's peak RSS against the 1.5 GB limit (the RSS before the step in the detail)."""
    peak = _mb(step["peak_rss"])
    return Figure(
        name,
        peak,
        "MB",
        f"≤ {RSS_LIMIT_MB:,.0f} MB peak RSS",
        peak <= RSS_LIMIT_MB,
        {"rss_before_step_mb": round(_mb(step["rss_before"]), 1)},
    )


def size_figures(n: int, steps: dict[str, dict], path: Path) -> list[Figure]:
    """Figures for one size: floor, import, ratio, analysis and the peak RSS of each step."""
    tag = f"{label(n)} synthetic visits"
    floor, imported, analysed = steps["duckdb"], steps["import"], steps["analysis"]
    ratio = imported["seconds"] / floor["seconds"]
    at_target_size = n >= ANALYSIS_TARGET_VISITS
    file_detail = {"file_mb": round(_mb(path.stat().st_size), 1), **floor["detail"]}
    return [
        Figure(f"{tag}: DuckDB read_csv (floor)", floor["seconds"], "s", detail=file_detail),
        Figure(f"{tag}: Rugzicht import", imported["seconds"], "s", detail=imported["detail"]),
        Figure(
            f"{tag}: import / DuckDB read_csv",
            ratio,
            "x",
            f"≤ {IMPORT_RATIO_TARGET:g}× DuckDB read_csv",
            ratio <= IMPORT_RATIO_TARGET,
        ),
        Figure(
            f"{tag}: outcome analysis",
            analysed["seconds"],
            "s",
            f"≤ {ANALYSIS_TARGET_S:g} s at 1M visits" if at_target_size else "",
            analysed["seconds"] <= ANALYSIS_TARGET_S if at_target_size else None,
            analysed["detail"],
        ),
        rss_figure(f"{tag}: peak RSS, DuckDB read_csv", floor),
        rss_figure(f"{tag}: peak RSS, import", imported),
        rss_figure(f"{tag}: peak RSS, outcome analysis", analysed),
    ]


def growth_figures(results: dict[int, dict[str, dict]]) -> list[Figure]:
    """Seconds per 10k visits at each size, and growth against linear from the smallest size
    to the largest and (with three sizes or more) between the two largest, where fixed costs
    no longer hide how the work grows."""
    sizes = sorted(results)
    pairs = [(sizes[0], sizes[-1])] if len(sizes) > 1 else []
    if len(sizes) > 2:
        pairs.append((sizes[-2], sizes[-1]))
    figures = []
    for step, what in (("import", "import"), ("analysis", "outcome analysis")):
        for n in sizes:
            per_10k = results[n][step]["seconds"] / (n / 10_000)
            figures.append(Figure(f"{what}: seconds per 10k visits at {label(n)}", per_10k, "s"))
        for small, large in pairs:
            figures.append(growth_figure(what, small, large, results, step))
    return figures


def growth_figure(what: str, small: int, large: int, results: dict, step: str) -> Figure:
    """(t_large / t_small) / (large / small): 1.0 is linear."""
    times = results[large][step]["seconds"] / results[small][step]["seconds"]
    factor = times / (large / small)
    return Figure(
        f"{what}: growth {label(small)} → {label(large)} relative to linear",
        factor,
        "x",
        "close to linear (1.0 = linear; no hard target)",
        None,
        {
            "time_ratio": round(times, 3),
            "size_ratio": large / small,
            "verdict": growth_verdict(factor),
        },
    )


def growth_verdict(factor: float) -> str:
    """The growth factor in words: below 1 the fixed costs of a small file still weigh."""
    if factor > 1.5:
        return "worse than linear"
    if factor < 0.67:
        return "better than linear (fixed costs dominate the small size)"
    return "close to linear"


def chart_figures(charts: dict, largest: int) -> list[Figure]:
    """Benchmark 5: the largest figure JSON, the engine, the Outcomes page total, peak RSS."""
    detail = charts["detail"]
    largest_bytes = detail["largest_bytes"]
    return [
        Figure(
            "largest figure JSON (every page and view, both languages)",
            largest_bytes,
            "bytes",
            "≤ 1 MB (1,000,000 bytes) per figure",
            largest_bytes <= FIGURE_LIMIT_BYTES,
            {"figure": detail["largest"], "figures_checked": detail["figures"]},
        ),
        Figure(
            "plotly.io JSON engine is orjson",
            1.0 if detail["engine"] == "orjson" else 0.0,
            "",
            "orjson (what st.plotly_chart's plotly.io.to_json uses when installed)",
            detail["engine"] == "orjson",
            {"engine": detail["engine"]},
        ),
        Figure(
            f"Outcomes page JSON, default view, {label(largest)} stored visits",
            detail["outcomes_page_bytes"],
            "bytes",
            "≤ 5 MB per rerun",
            detail["outcomes_page_bytes"] <= 5_000_000,
        ),
        rss_figure(f"peak RSS, building every figure ({label(largest)} stored visits)", charts),
    ]


# ------------------------------------------------------------------------------- the run


def run(sizes: list[int], folder: Path, page_charts: bool = True) -> tuple[list[Figure], dict]:
    """Generate, measure every size, then the figures; return the figures and settings."""
    paths = write_exports(sizes, folder)
    print(f"synthetic exports written to {folder} (not timed)", flush=True)
    results, figures = {}, []
    for n in sorted(sizes):
        print(f"measuring {label(n)} visits ...", flush=True)
        results[n] = measure_size(n, paths[n], folder)
        figures += size_figures(n, results[n], paths[n])
    figures += growth_figures(results)
    largest = max(sizes)
    secret = str(folder / "secret")
    charts = run_step(
        "charts",
        {
            "db": str(folder / f"store_{largest}.duckdb"),
            "secret": secret,
            "page_charts": page_charts,
        },
    )
    figures += chart_figures(charts, largest)
    caps = results[largest]["import"]["detail"].get("caps_lifted", {})
    settings = {
        "sizes": sorted(sizes),
        "data": f"SYNTHETIC visits from analysis.demo (seed {SEED}), Dutch export format",
        "importer_caps_lifted_in_benchmark_process": caps,
        "fresh_process_per_measurement": True,
        "page_charts": page_charts,
    }
    return figures, settings


def parse_sizes(text: str) -> list[int]:
    """--sizes: comma-separated visit counts (underscores allowed), smallest first."""
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 100:
        raise argparse.ArgumentTypeError(
            "sizes are visit counts of at least 100, e.g. 10000,100000"
        )
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and record its figures (bench/results/scale.json)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES))
    parser.add_argument("--quick", action="store_true", help="10k and 50k visits only (smoke run)")
    parser.add_argument("--keep", type=Path, help="write the files and stores here and keep them")
    parser.add_argument(
        "--no-page-charts", action="store_true", help="only the Outcomes figures (faster)"
    )
    args = parser.parse_args(argv)
    sizes = list(QUICK_SIZES) if args.quick else args.sizes
    print(
        "Synthetic data. The importer's upload caps (MAX_FILE_BYTES, MAX_ROWS) are lifted inside "
        "the benchmark's import process only.",
        flush=True,
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        figures, settings = run(sizes, args.keep, not args.no_page_charts)
    else:
        with tempfile.TemporaryDirectory(prefix="rugzicht-scale-") as folder:
            figures, settings = run(sizes, Path(folder), not args.no_page_charts)
    if settings["importer_caps_lifted_in_benchmark_process"]:
        print(f"caps lifted: {settings['importer_caps_lifted_in_benchmark_process']}")
    record("scale", figures, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
