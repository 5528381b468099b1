"""Interaction (issue 14): how long changing a filter takes as a person sees it, for every
filter of every page, against a blank app with one segmented control and one small Plotly chart
measured the same way in the same run; plus the server-side script time of those reruns
(RUGZICHT_TIMING_LOG).

Timed from the committing click (its pointerdown; Enter in a number field) to the moment the page
has not changed for 600 ms (DOM mutations: the script rerun and every chart redrawn), the
view having changed. Each widget alternates between two values (its default and one other) in
one browser session. The first round trip (two changes) is not counted: the first change of a
widget is reported on its own, because it may fill a cache the later, alternating changes hit.

    python -m bench.interaction [--reps 20] [--widgets prevalence/sex,outcomes/group] [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench import browser_common as bc
from bench.results_io import Figure, record
from dashboard.serve import running_app

# The target: every filter's median <= 1.5 x the blank app's (stretch: 1.3 x), the blank
# app being one segmented control and one small chart. The blank app's selectbox and number
# input (same app with ?widgets=all) are reported beside it as yardsticks.
TARGET_RATIO = 1.5
STRETCH_RATIO = 1.3
TARGET_SCRIPT_S = 0.300
BASELINE = "segmented"


def alternate(
    page,
    widget: bc.Widget,
    reps: int,
    timing: bc.TimingLog | None = None,
    blank: tuple | None = None,
) -> dict:
    """One warm-up round trip, then `reps` timed changes; the seconds, phases, script times.

    With `blank` (the blank app's page, its widget and a count of its changes), each change is
    followed by a change in the blank app, so the baseline is measured in the same moments as
    the widget (a shared machine's load drifts); those are returned as `blank_seconds`."""
    mark = timing.mark() if timing else 0
    first = bc.change_settled(page, widget, widget.values[1])["seconds"]
    first_script = sum(e["seconds"] for e in timing.since(mark)) if timing else None
    bc.change_settled(page, widget, widget.values[0])
    seconds, changes, script, runs, blank_changes = [], [], [], [], []
    for i in range(reps):
        mark = timing.mark() if timing else 0
        changes.append(bc.change_settled(page, widget, widget.values[(i + 1) % 2]))
        seconds.append(changes[-1]["seconds"])
        if timing:
            entries = timing.since(mark)
            runs.append(len(entries))
            script.extend(e["seconds"] for e in entries)
        if blank:
            blank_page, blank_widget, state = blank
            state["changes"] += 1  # alternating between its two values across the whole run
            code = blank_widget.values[state["changes"] % 2]
            blank_changes.append(bc.change_settled(blank_page, blank_widget, code))
    found = bc.problems(page)
    if found:
        raise RuntimeError(f"{widget.name}: {', '.join(found)}")
    return {
        "first": first,
        "first_script": first_script,
        "seconds": seconds,
        "script": script,
        "runs": runs,
        "phases": bc.phase_medians(changes),
        "blank_seconds": [c["seconds"] for c in blank_changes],
        "blank_changes": blank_changes,
    }


def _key(kind: str) -> str:
    return kind.replace(", ", "_").replace(" ", "_")


def measure(reps: int, names: list[str] | None) -> tuple[list[Figure], dict]:
    """Run the baseline and every chosen widget; return the figures and the settings."""
    from playwright.sync_api import sync_playwright

    widgets = [w for w in bc.dashboard_widgets() if not names or w.name in names]
    if not widgets:
        choices = [w.name for w in bc.dashboard_widgets()]
        raise SystemExit(f"no widget matches {names}; choose from {choices}")
    kinds = {w.kind for w in widgets}
    blank = {w.kind: w for w in bc.blank_widgets()}
    expected = bc.expected_charts()
    base: dict[str, dict] = {}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        timing = bc.TimingLog(Path(tmp))
        with (
            running_app(extra_env=timing.env) as app,
            bc.blank_app() as (blank_url, _),
            sync_playwright() as pw,
        ):
            browser = bc.launch(pw)

            def on_blank(query: str, charts: int, runs: list[tuple[str, bc.Widget]]) -> None:
                page = bc.new_page(browser)
                bc.load_settled(page, f"{blank_url}/{query}", charts)
                for name, widget in runs:
                    base[name] = alternate(page, widget, reps)
                page.context.close()

            # Yardsticks: the blank app's selectbox and number input (?widgets=all), and the
            # blank app drawing as many charts as the busiest measured page.
            others = [(kind, blank[kind]) for kind in ("selectbox", "number") if kind in kinds]
            if others:
                on_blank("?widgets=all", 1, others)
            many = max(expected[w.page] for w in widgets)
            if many > 1:
                on_blank(f"?charts={many}", many, [(f"{BASELINE}, {many} charts", blank[BASELINE])])
            # The baseline: the blank app as it is, one segmented control and one chart, open
            # beside the dashboard and changed after every change of a dashboard filter.
            baseline = bc.new_page(browser)
            bc.load_settled(baseline, blank_url, 1)
            bc.change_settled(baseline, blank[BASELINE], blank[BASELINE].values[1])
            state = {"changes": 1}  # showing values[1]
            # Each page once, and again with a section open for a control inside it.
            for url_path, opens in dict.fromkeys((w.page, w.opens) for w in widgets):
                page = bc.new_page(browser)
                link = bc.page_url(app, url_path, {"open": opens} if opens else None)
                bc.load_settled(page, link, expected[url_path])
                for widget in (w for w in widgets if (w.page, w.opens) == (url_path, opens)):
                    results[widget.name] = alternate(
                        page, widget, reps, timing, blank=(baseline, blank[BASELINE], state)
                    )
                page.context.close()
            baseline.context.close()
            browser.close()

    paired = [c for w in widgets for c in results[w.name]["blank_changes"]]
    base = {
        BASELINE: {
            "first": paired[0]["seconds"],
            "seconds": [c["seconds"] for c in paired],
            "phases": bc.phase_medians(paired),
        },
        **base,
    }
    figures = []
    for kind, measured in base.items():
        summary = bc.summary(measured["seconds"])
        detail = {
            **summary,
            "first_change_s": round(measured["first"], 4),
            "phases_ms": measured["phases"],
        }
        figures.append(Figure(f"blank {kind}: rerun p50", summary["p50"], "s", detail=detail))
        figures.append(Figure(f"blank {kind}: rerun p95", summary["p95"], "s"))
    blank_p50 = bc.summary(base[BASELINE]["seconds"])["p50"]
    for widget in widgets:
        measured = results[widget.name]
        summary = bc.summary(measured["seconds"])
        # Against the blank app's changes made between this widget's changes.
        beside = bc.summary(measured["blank_seconds"])
        ratio = summary["p50"] / beside["p50"]
        detail = {
            **summary,
            "first_change_s": round(measured["first"], 4),
            "first_change_script_s": round(measured["first_script"], 4),
            "blank_beside_s": beside,
            "ratio_p50_to_blank_p50": round(ratio, 3),
            "ratio_p95_to_blank_p95": round(summary["p95"] / beside["p95"], 3),
            "ratio_p50_to_blank_p50_whole_run": round(summary["p50"] / blank_p50, 3),
            **{
                f"ratio_p50_to_blank_{_key(kind)}_p50": round(
                    summary["p50"] / bc.summary(m["seconds"])["p50"], 3
                )
                for kind, m in base.items()
                if kind != BASELINE and (kind == widget.kind or kind.startswith(f"{BASELINE}, "))
            },
            "phases_ms": measured["phases"],
            "server_script_s": bc.summary(measured["script"]),
            "script_runs_per_change": sorted(set(measured["runs"])),
            "values": list(widget.values),
        }
        figures.append(Figure(f"{widget.name}: rerun p50", summary["p50"], "s", detail=detail))
        figures.append(Figure(f"{widget.name}: rerun p95", summary["p95"], "s"))
        figures.append(
            Figure(
                f"{widget.name}: ratio to blank",
                ratio,
                "x",
                target=(
                    f"<= {TARGET_RATIO} x blank app p50 ({TARGET_RATIO * beside['p50']:.3f} s; "
                    f"stretch {STRETCH_RATIO} x)"
                ),
                met=ratio <= TARGET_RATIO,
                detail={"stretch_met": ratio <= STRETCH_RATIO},
            )
        )
    for url_path in dict.fromkeys(w.page for w in widgets):
        script = [s for w in widgets if w.page == url_path for s in results[w.name]["script"]]
        summary = bc.summary(script)
        figures.append(Figure(f"{url_path}: script p50", summary["p50"], "s", detail=summary))
        figures.append(
            Figure(
                f"{url_path}: script p95",
                summary["p95"],
                "s",
                target=f"<= {TARGET_SCRIPT_S:.1f} s",
                met=summary["p95"] <= TARGET_SCRIPT_S,
            )
        )
    settings = {
        "reps": reps,
        "widgets": [w.name for w in widgets],
        "baseline": (
            "bench/blank_app.py: one segmented control and one small Plotly chart, served like "
            "the dashboard, open in a second browser context and changed (measured the same "
            "way) after every timed change of a dashboard filter; each filter's ratio is to the "
            "blank changes made between its own; its selectbox and number input "
            "(?widgets=all) and its N-chart version (?charts=N) are yardsticks only"
        ),
        "warm_up": "one round trip (2 changes) per widget, not counted; the first is reported",
        "timed": (
            f"from the committing click's pointerdown (Enter's keydown in a number field) to the "
            f"page's last DOM change (nodes, attributes, text) once it has not changed for "
            f"{bc.QUIET_MS} ms, with the charts' data or metrics changed and the app idle; "
            f"each change starts from a page quiet for {bc.QUIET_MS} ms"
        ),
        "phases_ms": (
            "medians on the page's clock from the click: running (script state 'running' "
            "seen; null when the states arrived in one batch), not_running (run finished), "
            "end (the last change)"
        ),
        "target": (
            f"every filter's median <= {TARGET_RATIO} x the blank app's median (stretch "
            f"{STRETCH_RATIO} x); server script p95 <= {TARGET_SCRIPT_S} s per page"
        ),
    }
    return figures, settings


def main(argv: list[str] | None = None) -> Path:
    """Command line: measure, print the table, write bench/results/interaction.json."""
    parser = argparse.ArgumentParser(prog="python -m bench.interaction", description=__doc__)
    parser.add_argument("--reps", type=int, default=20, help="timed changes per widget (20)")
    parser.add_argument("--widgets", default="", help="e.g. prevalence/sex,outcomes/group")
    parser.add_argument("--quick", action="store_true", help="2 reps: a smoke run of ~1 min")
    args = parser.parse_args(argv)
    reps = 2 if args.quick else args.reps
    names = [n.strip() for n in args.widgets.split(",") if n.strip()] or None
    print(f"interaction: {reps} timed changes per widget after one warm-up round trip", flush=True)
    figures, settings = measure(reps, names)
    return record("interaction", figures, settings)


if __name__ == "__main__":
    main()
