"""Shared pieces of the browser benchmarks: launching Chromium, starting extra servers, the
waits that decide when a load or a rerun is finished, the filter widgets and percentiles.

The waits never trust a single ``data-test-script-state='notRunning'``: right after a click that
attribute still says notRunning from the previous run, and a fast run's running/notRunning can
reach the page in one React batch, so the attribute may never visibly change. An init script
therefore counts finished runs (for loads) and keeps a signature of what the charts and metrics
show: a rerun is done only when the view has changed and the app is idle with every chart drawn.
It also records when the script state changed, so each timing can be split into phases.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dashboard.serve import launch_chromium, serve

BLANK_APP = "bench/blank_app.py"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 60_000
# "Done" as a person sees it: the page has not changed (no node, attribute or text) for this long.
QUIET_MS = 600

# Installed in every page before Streamlit's own scripts: counts finished script runs and
# offers `sig()`, a signature of the drawn charts' data, the metric values and the words.
WATCH_JS = """
(() => {
  if (window.__bench) return;
  const STATE = 'data-test-script-state';
  const bench = window.__bench = {runs: 0, last: null, before: null, events: []};
  const step = (value) => {
    if (value === bench.last) return;
    if (value === 'notRunning' && bench.last !== null && bench.last !== 'notRunning') bench.runs++;
    bench.last = value;
    bench.events.push([value, performance.now()]);
    if (bench.events.length > 500) bench.events.splice(0, 250);
  };
  // Where the time between `since` and `end` (performance.now() ms) went, as seen here: the
  // first 'running' state and the last 'notRunning' state in between (null if not seen).
  bench.phases = (since, end) => {
    const seen = bench.events.filter(([, t]) => t >= since && t <= end);
    const running = seen.find(([v]) => v === 'running');
    const done = seen.filter(([v]) => v === 'notRunning').pop();
    return {running_ms: running ? running[1] - since : null,
            not_running_ms: done ? done[1] - since : null, end_ms: end - since};
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') {
        // Several changes may arrive in one batch: replay them through the old values.
        step(r.oldValue);
        step(r.target.getAttribute(STATE));
      } else {
        for (const node of r.addedNodes) {
          if (node.nodeType !== 1) continue;
          const app = node.matches('[data-testid="stApp"]')
            ? node : node.querySelector('[data-testid="stApp"]');
          if (app) step(app.getAttribute(STATE));
        }
      }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeOldValue: true, attributeFilter: [STATE]});
  bench.sig = () => {
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map((c) => {
      // The title (aria-label) names the chart; data and layout are what Plotly drew.
      const gd = c.querySelector('.js-plotly-plot');
      const drawn = gd && gd.data ? JSON.stringify([gd.data, gd.layout]) : '';
      return (c.getAttribute('aria-label') || '') + drawn;
    });
    const metrics = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
      .map((m) => m.textContent);
    // The words too: a chart whose drawing is the same (10 icons, 7 filled) can come with a
    // new sentence (71% rather than 73%), and then only the words change.
    const words = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
      .map((m) => m.textContent);
    return charts.join('\\u0001') + '\\u0002' + metrics.join('\\u0001') + '\\u0002'
      + words.join('\\u0001');
  };
  // What a person sees: the last time anything on the page changed (nodes, attributes, text)
  // and the last pointer press or key press (the action a change is timed from).
  bench.lastMutation = performance.now();
  bench.lastInput = null;
  new MutationObserver(() => { bench.lastMutation = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  for (const type of ['pointerdown', 'keydown']) {
    window.addEventListener(type, () => { bench.lastInput = performance.now(); }, true);
  }
  bench.quiet = (ms) => performance.now() - bench.lastMutation >= ms;
  bench.idle = (minCharts) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (app.getAttribute(STATE) !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.length >= minCharts && charts.every((c) => c.querySelector('.main-svg'));
  };
})();
"""


# ---------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation, as numpy's default computes it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: Sequence[float]) -> dict:
    """n, min, p50, p95, max and mean of some timings (seconds), rounded for the JSON."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "min": round(min(values), 4),
        "p50": round(percentile(values, 50), 4),
        "p95": round(percentile(values, 95), 4),
        "max": round(max(values), 4),
        "mean": round(statistics.fmean(values), 4),
    }


# ---------------------------------------------------------------- servers


def blank_app() -> AbstractContextManager[tuple[str, subprocess.Popen]]:
    """The blank one-chart baseline app (bench/blank_app.py), served like the dashboard."""
    return serve(["-m", "streamlit", "run", BLANK_APP])


def cache_memory_bytes(base: str) -> dict[str, int]:
    """Streamlit's /_stcore/metrics ``cache_memory_bytes``, summed per cache type and in total."""
    url = f"{base}/_stcore/metrics?families=cache_memory_bytes"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        text = response.read().decode()
    totals: dict[str, int] = {"total": 0}
    for line in text.splitlines():
        if not line.startswith("cache_memory_bytes"):
            continue
        labels, _, value = line.rpartition(" ")
        kind = labels.partition('cache_type="')[2].partition('"')[0] or "other"
        totals[kind] = totals.get(kind, 0) + int(float(value))
        totals["total"] += int(float(value))
    return totals


class TimingLog:
    """The server's RUGZICHT_TIMING_LOG file: one JSON line {page, seconds} per script run."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / "timing.jsonl"
        self.path.touch()

    @property
    def env(self) -> dict[str, str]:
        """The environment that makes the dashboard write this log."""
        return {"RUGZICHT_TIMING_LOG": str(self.path)}

    def mark(self) -> int:
        """How many runs are logged so far (pass to `since`)."""
        return len(self.entries())

    def entries(self) -> list[dict]:
        """Every logged run so far."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def since(self, mark: int) -> list[dict]:
        """The runs logged after `mark` (a `mark()` taken earlier)."""
        return self.entries()[mark:]


# ---------------------------------------------------------------- browser


# Debian's Chromium, headless, with the flags the browser tests use too.
launch = launch_chromium


def next_frame(page) -> None:
    """Wait until the browser has laid out and painted twice."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def new_page(browser):
    """A page in a fresh context (empty cache, no cookies) with the run counter installed."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WATCH_JS)
    return context.new_page()


def page_url(base: str, url_path: str, params: dict[str, str] | None = None) -> str:
    """A page's address with its query parameters (a shared link)."""
    from urllib.parse import urlencode

    query = f"?{urlencode(params)}" if params else ""
    return f"{base}/{url_path}{query}"


@cache
def expected_charts() -> dict[str, int]:
    """How many Plotly charts each dashboard page draws when it opens (by url_path; sections shown
    on demand stay folded) in its default view, from
    the page views themselves (`dashboard.views.every_view`)."""
    from dashboard.site import PAGES
    from dashboard.views import every_view

    counts = {url_path: 0 for _, url_path, _, _ in PAGES}
    for _name, view in every_view(("en",)):
        counts[view.path] = max(counts.get(view.path, 0), len(view.charts_at_open))
    return counts


def wait_loaded(page, charts: int, timeout_ms: int = TIMEOUT_MS) -> float:
    """Wait until the first script run has finished, nothing is a placeholder and at least
    `charts` Plotly charts have drawn their SVG; return the page's clock (ms) at that moment."""
    handle = page.wait_for_function(
        "(n) => window.__bench.runs >= 1 && window.__bench.idle(n) && performance.now()",
        arg=charts,
        timeout=timeout_ms,
        polling="raf",
    )
    return handle.json_value()


def load(page, url: str, charts: int, timeout_ms: int = TIMEOUT_MS) -> dict:
    """Open `url` and time it: seconds from page.goto until `wait_loaded` returns (Streamlit's
    initial_load), and the phases on the page's clock (ms from navigation start): HTML and
    scripts loaded (DOMContentLoaded), first script run started, finished, charts drawn."""
    start = time.perf_counter()
    page.goto(url)
    end = wait_loaded(page, charts, timeout_ms)
    seconds = time.perf_counter() - start
    phases = page.evaluate(
        """(end) => ({dom_ready_ms: performance.getEntriesByType('navigation')[0]
                          .domContentLoadedEventEnd,
                      ...window.__bench.phases(0, end)})""",
        end,
    )
    return {"seconds": seconds, "phases": phases}


def timed_load(page, url: str, charts: int, timeout_ms: int = TIMEOUT_MS) -> float:
    """Seconds from page.goto(url) until `wait_loaded` returns (Streamlit's initial_load)."""
    return load(page, url, charts, timeout_ms)["seconds"]


def load_settled(page, url: str, charts: int, timeout_ms: int = TIMEOUT_MS) -> dict:
    """Open `url` and time it as a person sees it: from navigation start (the page's clock) to
    the last change of the page once it has not changed for QUIET_MS, with the first script run
    finished and at least `charts` charts drawn. Returns the seconds and the phases (ms from
    navigation start, as `load`), `settled_ms` being the last change."""
    page.goto(url)
    page.wait_for_function(
        """([n, quiet]) => window.__bench.quiet(quiet) && window.__bench.runs >= 1
                          && window.__bench.idle(n)""",
        arg=[charts, QUIET_MS],
        timeout=timeout_ms,
        polling=50,  # the time is read off the page's record, not off this polling
    )
    phases = page.evaluate(
        """() => { const b = window.__bench, end = b.lastMutation;
                   return {dom_ready_ms: performance.getEntriesByType('navigation')[0]
                             .domContentLoadedEventEnd, ...b.phases(0, end), settled_ms: end}; }"""
    )
    return {"seconds": phases["settled_ms"] / 1000, "phases": phases}


def before_change(page) -> float:
    """Remember the view's signature before a change; return the page's clock (ms)."""
    return page.evaluate(
        "() => { window.__bench.before = window.__bench.sig(); return performance.now(); }"
    )


def wait_rerun(page, timeout_ms: int = TIMEOUT_MS) -> float:
    """Wait until the charts' data or the metrics differ from before the change and the app is
    idle again (script notRunning, no placeholder, every chart drawn), then for a painted frame;
    return the page's clock (ms) when the change was seen.

    The data change is what proves the rerun happened: a fast run's running and notRunning can
    reach React in one batch, so the state attribute may never visibly leave notRunning.
    """
    handle = page.wait_for_function(
        """() => window.__bench.idle(0) && window.__bench.sig() !== window.__bench.before
                 && performance.now()""",
        timeout=timeout_ms,
        polling="raf",
    )
    next_frame(page)
    return handle.json_value()


def problems(page) -> list[str]:
    """What on the page says the app failed: an exception box, an error text, a lost server."""
    found = []
    if page.locator("[data-testid='stException']").count():
        found.append("exception box")
    body = page.inner_text("body")
    for text in ("encountered an error", "Error", "Connection error"):
        if text in body:
            found.append(f"text {text!r}")
    state = page.get_attribute("[data-testid='stApp']", "data-test-connection-state")
    if state != "CONNECTED":
        found.append(f"connection state {state}")
    return found


# ---------------------------------------------------------------- widgets


@dataclass(frozen=True)
class Widget:
    """One filter: where it is, what kind of control, its label and two values to alternate.

    `label` and `option` give the on-screen texts in a language, as the page formats them.
    """

    page: str  # url_path
    key: str
    kind: str  # "segmented", "selectbox" or "number"
    label: Callable[[str], str]
    values: tuple[str, str]
    option: Callable[[str, str], str] = lambda code, lang: str(code)
    # The on-demand section the control sits in (dashboard/params.py ON_DEMAND): a page is
    # opened with it open (``?open=...``) to change the control.
    opens: str = ""

    @property
    def name(self) -> str:
        """The widget as figures and --widgets name it: page/key (blank/kind in the blank app)."""
        return f"{self.page or 'blank'}/{self.key}"


def _t(key: str) -> Callable[[str], str]:
    from dashboard.i18n import t

    return lambda lang: t(key, lang)


def _tf(pattern: str) -> Callable[[str, str], str]:
    from dashboard.i18n import t

    return lambda code, lang: t(pattern.format(code), lang)


def _outcome_option(key: str) -> Callable[[str, str], str]:
    from dashboard.i18n import t

    def option(code: str, lang: str) -> str:
        if code == "all":
            return t("outcomes.all", lang)
        if key == "group":
            return t(f"outcomes.group_option.{code}", lang)
        return t(f"sex.{code}", lang) if key == "sex" else code

    return option


def _patients_label(key: str) -> Callable[[str], str]:
    from dashboard.words import patients as w

    return lambda lang: w.label(key, lang)


def _patients_option(key: str) -> Callable[[str, str], str]:
    from dashboard.words import patients as w

    return lambda code, lang: w.option(key, code, lang)


def dashboard_widgets() -> list[Widget]:
    """Every filter of the public pages (dashboard/params.py), each with a second value that
    changes what the page draws."""
    return [
        Widget("prevalence", "year", "segmented", _t("prevalence.year_label"), ("2018", "2020")),
        Widget("prevalence", "sex", "segmented", _t("prevalence.sex_label"), ("women", "men"),
               _tf("sex.{}")),
        Widget("prevalence", "measure", "segmented", _t("prevalence.measure_label"),
               ("rate", "persons"), _tf("prevalence.measure_{}")),
        Widget("prevalence", "standard", "segmented", _t("prevalence.standard_label"),
               ("crude", "esp2013"), _tf("standard.{}"), opens="standardised"),
        Widget("prevalence", "catchment", "number", _t("prevalence.catchment_label"),
               ("25000", "50000"), opens="catchment"),
        Widget("home-working", "series", "segmented", _t("home_working.series_label"),
               ("all", "cbs"), _tf("home_working.series.{}")),
        Widget("outcomes", "group", "segmented", _t("outcomes.group_label"), ("all", "chronic"),
               _outcome_option("group")),
        Widget("outcomes", "sex", "segmented", _t("outcomes.sex_label"), ("all", "women"),
               _outcome_option("sex")),
        Widget("outcomes", "age", "segmented", _t("outcomes.age_label"), ("all", "40-59"),
               _outcome_option("age")),
        Widget("outcomes", "period", "segmented", _t("outcomes.period_label"), ("all", "2023"),
               _outcome_option("period")),
        *(Widget("patients", key, "segmented", _patients_label(key), values, _patients_option(key))
          for key, values in (("group", ("acute", "chronic")), ("sex", ("all", "women")),
                              ("age", ("all", "40-59")))),
    ]  # fmt: skip


def blank_widgets() -> list[Widget]:
    """The blank app's widget of each kind (bench/blank_app.py), each redraws its chart: the
    segmented control is the app's only widget; the others need ``?widgets=all``."""
    return [
        Widget("", "segmented", "segmented", lambda lang: "Series", ("a", "b")),
        Widget("", "selectbox", "selectbox", lambda lang: "Pick", ("x", "y")),
        Widget("", "number", "number", lambda lang: "Scale", ("2", "3")),
    ]


def _control(page, widget: Widget, lang: str):
    """The widget's element on the page, found by its kind and its label."""
    test_id = {"segmented": "stButtonGroup", "selectbox": "stSelectbox", "number": "stNumberInput"}
    label = page.get_by_test_id("stWidgetLabel").get_by_text(widget.label(lang), exact=True)
    return page.get_by_test_id(test_id[widget.kind]).filter(has=label)


def change(page, widget: Widget, code: str, lang: str = "en", timeout_ms: int = TIMEOUT_MS) -> dict:
    """Set `widget` to `code`; time from the committing action (the click on a segment or
    option, Enter in a number field) until the rerun has finished and the view has changed.

    Returns the seconds and the phases on the page's clock (ms from just before the action):
    script state 'running' seen, 'notRunning' seen, change seen with the app idle (null when a
    state was not visible: a fast run's states can reach the page in one batch). Opening a
    dropdown or typing the number happens before the clock starts.
    """
    control = _control(page, widget, lang)
    text = widget.option(code, lang)
    if widget.kind == "segmented":
        target = control.get_by_role("radio", name=text, exact=True)
        target.wait_for()
        commit = target.click
    elif widget.kind == "selectbox":
        control.get_by_role("button", name="Open").click()
        option = page.get_by_role("listbox").get_by_role("option", name=text, exact=True)
        option.wait_for()
        commit = option.click
    else:
        field = control.locator("input")
        field.fill(text)
        commit = lambda: field.press("Enter")  # noqa: E731
    since = before_change(page)
    start = time.perf_counter()
    commit()
    end = wait_rerun(page, timeout_ms)
    seconds = time.perf_counter() - start
    phases = page.evaluate("([since, end]) => window.__bench.phases(since, end)", [since, end])
    return {"seconds": seconds, "phases": phases}


def timed_change(
    page, widget: Widget, code: str, lang: str = "en", timeout_ms: int = TIMEOUT_MS
) -> float:
    """Seconds for `change` (see there)."""
    return change(page, widget, code, lang, timeout_ms)["seconds"]


def change_settled(
    page, widget: Widget, code: str, lang: str = "en", timeout_ms: int = TIMEOUT_MS
) -> dict:
    """Set `widget` to `code` and time it as a person sees it: from the committing click (its
    pointerdown; the Enter keydown in a number field) to the page's last change once the page
    has not changed for QUIET_MS, the view having changed (charts' data or metrics) and the app
    being idle. Starts from a quiet page. Returns the seconds and the phases (ms from the click:
    script state 'running' and 'notRunning' seen, `end` the last change)."""
    control = _control(page, widget, lang)
    text = widget.option(code, lang)
    page.wait_for_function("(q) => window.__bench.quiet(q)", arg=QUIET_MS, polling=50)
    if widget.kind == "segmented":
        target = control.get_by_role("radio", name=text, exact=True)
        target.wait_for()
        commit = target.click
    elif widget.kind == "selectbox":
        control.get_by_role("button", name="Open").click()
        option = page.get_by_role("listbox").get_by_role("option", name=text, exact=True)
        option.wait_for()
        commit = option.click
    else:
        field = control.locator("input")
        field.fill(text)
        commit = lambda: field.press("Enter")  # noqa: E731
    before_change(page)
    page.evaluate("() => { window.__bench.lastInput = null; }")
    commit()
    page.wait_for_function(
        """(quiet) => { const b = window.__bench;
             return b.lastInput !== null && b.quiet(quiet) && b.lastMutation > b.lastInput
                    && b.idle(0) && b.sig() !== b.before; }""",
        arg=QUIET_MS,
        timeout=timeout_ms,
        polling=50,  # the time is read off the page's record, not off this polling
    )
    phases = page.evaluate(
        """() => { const b = window.__bench;
                   return {...b.phases(b.lastInput, b.lastMutation)}; }"""
    )
    return {"seconds": phases["end_ms"] / 1000, "phases": phases}


def phase_medians(measured: list[dict]) -> dict:
    """Median of each phase (ms) over several `load` or `change` results (seen ones only)."""
    keys = dict.fromkeys(k for m in measured for k in m["phases"])
    medians = {}
    for key in keys:
        values = [m["phases"][key] for m in measured if m["phases"].get(key) is not None]
        medians[key] = round(statistics.median(values), 1) if values else None
    return medians
