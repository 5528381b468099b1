"""One measurement of `bench.scale`, run in a fresh process so that its peak memory is its own.

``python -m bench.scale_child STEP '{"json": "arguments"}'`` runs one step and prints one JSON
line: seconds, peak RSS (VmHWM, the whole process), the RSS before the step started
(interpreter and imports) and details. Steps: ``duckdb`` (DuckDB's own read_csv, the floor),
``import`` (Rugzicht's importer into a fresh ClinicStore), ``analysis`` (what the Outcomes page
computes) and ``charts`` (every figure's JSON size, as Streamlit serialises it).

The ``duckdb`` and ``import`` steps are also timed whole by `bench.scale` (process start to
exit): ``import`` runs the documented command line, ``python -m analysis.clinic import FILE
--db DB`` (`analysis.clinic.cli.main` with those arguments), in a process that lifted the upload
caps for files past them; this module imports nothing heavy before the step starts.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

# The DuckDB reader settings for the Dutch export: ';', decimal comma, dd-mm-yyyy, header row.
DUCKDB_READ = (
    "CREATE TABLE t AS SELECT * FROM read_csv(?, delim = ';', decimal_separator = ',', "
    "dateformat = '%d-%m-%Y', header = true)"
)


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far.

    On Linux from VmHWM in /proc/self/status: `ru_maxrss` survives fork and exec, so a child
    would report its parent's peak (the data generator's) when that was higher."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _timed(function: Callable, totals: dict[str, float], key: str) -> Callable:
    """`function`, adding the seconds each call takes to totals[key] (a breakdown of a step)."""

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - start

    return wrapper


def duckdb_read(args: dict) -> dict:
    """The floor: DuckDB reads the same file into a table of a fresh database file."""
    import duckdb

    before = peak_rss_bytes()
    start = time.perf_counter()
    con = duckdb.connect(args["db"])
    con.execute(DUCKDB_READ, [args["file"]])
    rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    con.close()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_before": before, "detail": {"rows": int(rows)}}


def lift_caps(file_bytes: int, rows: int) -> dict:
    """Raise the importer's upload caps just enough for this file, in this process only.

    The caps (10 MB, 200,000 rows) protect the dashboard's upload; the benchmark measures the
    same code on bigger files, so it lifts them and says so."""
    from analysis.clinic import files

    lifted = {
        "MAX_FILE_BYTES": [files.MAX_FILE_BYTES, max(files.MAX_FILE_BYTES, file_bytes)],
        "MAX_ROWS": [files.MAX_ROWS, max(files.MAX_ROWS, rows)],
    }
    files.MAX_FILE_BYTES = lifted["MAX_FILE_BYTES"][1]
    files.MAX_ROWS = lifted["MAX_ROWS"][1]
    return {name: {"from": old, "to": new} for name, (old, new) in lifted.items() if new != old}


def rugzicht_import(args: dict) -> dict:
    """Rugzicht's import of the file into a fresh store through the documented command line
    (`cli.main(["import", FILE, "--db", DB])`, secret from $RUGZICHT_SECRET_FILE): imports,
    read, validate, pseudonymise, write. The seconds count from before the CLI's imports."""
    import os

    before = peak_rss_bytes()
    start = time.perf_counter()
    from analysis.clinic import cli
    from analysis.clinic import store as store_module

    path = Path(args["file"])
    lifted = lift_caps(path.stat().st_size, args["rows"])
    parts: dict[str, float] = {"imports_s": time.perf_counter() - start}
    # import_file calls these through the store module's names: time them there. The read
    # returns DuckDB relations, so "pseudonymise" is when the visits and their patient keys are
    # computed (from the validated cells); "write" is the rest (store, commit).
    store_module.read_export = _timed(store_module.read_export, parts, "read_validate_s")
    store_module.pseudonymise = _timed(store_module.pseudonymise, parts, "visits_and_keys_s")
    results = []
    import_file = store_module.ClinicStore.import_file

    def recorded(self, *a, **kw):
        results.append(import_file(self, *a, **kw))
        return results[-1]

    store_module.ClinicStore.import_file = recorded
    os.environ["RUGZICHT_SECRET_FILE"] = args["secret"]
    code = cli.main(["import", str(path), "--db", args["db"]])
    seconds = time.perf_counter() - start
    result = results[0] if results else None
    if code != 0 or result is None or result.rows_added != args["rows"]:
        raise SystemExit(f"import failed ({code}): {result and result.summary()}")
    parts["write_s"] = seconds - sum(parts.values())
    detail = {"rows_added": result.rows_added, "caps_lifted": lifted, **parts}
    return {"seconds": seconds, "rss_before": before, "detail": detail}


def _warm_imports() -> float:
    """Import what the analysis imports lazily (scipy, statsmodels) and load the published
    benchmarks it reads (validated on first load, ~0.5 s): a running dashboard has done both
    once, so that first-call cost is reported apart, not in the analysis time."""
    start = time.perf_counter()
    import scipy.stats  # noqa: F401
    import statsmodels.duration.survfunc  # noqa: F401
    import statsmodels.stats.proportion  # noqa: F401

    from analysis import clinic, clinic_view, data, disclosure, outcomes  # noqa: F401

    data.load("outcome_benchmarks")

    return time.perf_counter() - start


def outcome_analysis(args: dict) -> dict:
    """What the Outcomes page computes for the default selection: load every visit from the
    store, then `clinic_view.public_outcomes` (episodes, trajectories, KM, claims, suppression)."""
    warm = _warm_imports()
    from analysis import clinic, clinic_view, outcomes

    store = clinic.ClinicStore(args["db"], secret_path=args["secret"])
    before = peak_rss_bytes()
    start = time.perf_counter()
    visits = store.visits()
    loaded = time.perf_counter()
    result = clinic_view.public_outcomes(visits)
    seconds = time.perf_counter() - start
    peak = peak_rss_bytes()
    period_start = time.perf_counter()
    n_periods = len(clinic_view.periods(outcomes.episodes(visits)))
    detail = {
        "load_s": loaded - start,
        "public_outcomes_s": seconds - (loaded - start),
        "periods_filter_s": time.perf_counter() - period_start,
        "lazy_imports_s": warm,
        "visits": len(visits),
        "episodes": result.n_episodes,
        "patients": result.n_patients,
        "periods": n_periods,
    }
    return {"seconds": seconds, "rss_before": before, "peak": peak, "detail": detail}


def _json_size(figure) -> int:
    """Bytes of the figure's JSON exactly as `st.plotly_chart` makes it."""
    import plotly.io

    return len(plotly.io.to_json(figure, validate=False).encode("utf-8"))


def json_engine() -> str:
    """The engine plotly.io.to_json uses here ("orjson" when installed and the default is auto)."""
    import plotly.io

    engine = plotly.io.json.config.default_engine
    if engine == "auto":
        try:
            import orjson  # noqa: F401
        except ImportError:
            return "json"
        return "orjson"
    return engine


def _large_outcome_charts(visits) -> dict[str, int]:
    """JSON size of each Outcomes figure, built by the page view as the page builds it, from
    `visits` (every view a link can ask for)."""
    from analysis import clinic_view, outcomes
    from dashboard.views import outcomes as page

    periods = clinic_view.periods(outcomes.episodes(visits, categorical=True))
    sizes = {}
    for settings in page.link_settings(periods):
        result = page.public(settings, visits)
        name = f"{settings.group}/{settings.sex}/{settings.age}/{settings.period}"
        for lang in ("en", "nl"):
            for chart in page.view(settings, lang, result).charts:
                sizes[f"{lang}/outcomes/{chart.name}/{name} (stored visits)"] = _json_size(
                    chart.figure
                )
    return sizes


def chart_sizes(args: dict) -> dict:
    """Every figure's JSON size: the outcomes figures from the stored (largest) visit table and,
    unless told not to, every public page's figures from the page views."""
    from analysis import clinic

    before = peak_rss_bytes()
    start = time.perf_counter()
    visits = clinic.ClinicStore(args["db"], secret_path=args["secret"]).visits()
    sizes = _large_outcome_charts(visits)
    if args.get("page_charts", True):
        from dashboard.views import every_chart

        sizes |= {name: _json_size(chart.figure) for name, chart in every_chart()}
    seconds = time.perf_counter() - start
    largest = max(sizes, key=sizes.get)
    outcome_page = sum(
        size
        for name, size in sizes.items()
        if name.startswith("en/outcomes/") and "all/all/all (" in name
    )
    detail = {
        "figures": len(sizes),
        "largest": largest,
        "largest_bytes": sizes[largest],
        "engine": json_engine(),
        "outcomes_page_bytes": outcome_page,
        "visits": len(visits),
    }
    return {"seconds": seconds, "rss_before": before, "detail": detail}


STEPS: dict[str, Callable[[dict], dict]] = {
    "duckdb": duckdb_read,
    "import": rugzicht_import,
    "analysis": outcome_analysis,
    "charts": chart_sizes,
}


def main(argv: list[str]) -> int:
    """Run STEP with its JSON arguments; print the result as the last line of stdout."""
    step, args = argv[0], json.loads(argv[1])
    cpu = time.process_time()
    out = STEPS[step](args)
    # CPU seconds of every thread, setup included: steadier than wall time on a busy machine.
    out["detail"]["process_cpu_s"] = round(time.process_time() - cpu, 3)
    out["peak_rss"] = out.pop("peak", None) or peak_rss_bytes()
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
