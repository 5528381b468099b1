"""A light load client for the Streamlit server: viewers simulated as websocket sessions that
speak Streamlit's own protocol, so that tens of viewers fit on the machine that runs the server
(a Chromium per viewer takes the CPU the server should have; see bench/concurrent.py).

One `Session` does what the frontend does for one browser tab:

1. GET the page (index.html; its scripts and styles are taken as cached by the browser),
   ``/_stcore/health`` and ``/_stcore/host-config``;
2. open the websocket ``/_stcore/stream`` (subprotocol "streamlit") and send a BackMsg
   ``rerun_script`` whose ClientState carries the link's query string, its page (``page_name``
   = the url_path), no widget states and the browser's context (url, locale, time zone);
   the ``navigation`` message names the page's script hash, which later reruns send;
3. read ForwardMsgs (new_session, delta ..., page_info_changed, script_finished) until
   ``script_finished`` says the run finished: the page is loaded;
4. change a filter as the frontend does: a ``rerun_script`` with every widget's current state
   (WidgetStates, the same value types the frontend sends: ``string_array_value`` with the
   option's label for a segmented control, ``string_value`` for a selectbox, ``int_value`` /
   ``double_value`` for a number input), the query string the server last wrote
   (page_info_changed), the page's script hash and, for a widget inside an ``st.fragment``,
   that fragment's id (from the widget's Delta), and wait for ``script_finished`` again
   (finished, or fragment run finished; a run that ends early for a rerun is followed by the
   rerun).

A session fails (`SessionFailed`) on a connection error or disconnect, no ``script_finished``
within the timeout, an exception element, an error alert, a compile error, page_not_found, a
page that drew fewer Plotly charts than it should, or a filter change that did not reach the
address (the dashboard writes every filter into the URL: a change the server took changes the
query string).

What it leaves out: rendering, static files after the first visit, the ForwardMsg cache (it
reports no cached message hashes, so the server always sends whole messages: a little more
work than a browser that has seen the page before) and heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState

WIDGET_KINDS = {"button_group": "segmented", "selectbox": "selectbox", "number_input": "number"}


class SessionFailed(Exception):
    """What made a simulated viewer's session fail (the text says what)."""


@dataclass
class Widget:
    """A widget of the last run, as the frontend knows it: its element proto and its state."""

    id: str
    kind: str
    proto: object
    state: WidgetState
    fragment_id: str = ""

    @property
    def key(self) -> str:
        """The user key the widget id ends in (``$$ID-<hash>-<key>``), else the id."""
        return self.id.rpartition("-")[2] if self.id.startswith("$$ID-") else self.id

    def labels(self) -> list[str]:
        """The option labels the frontend shows (and sends back)."""
        if self.kind == "segmented":
            return [option.content for option in self.proto.options]
        if self.kind == "selectbox":
            return list(self.proto.options)
        return []

    def value(self):
        """The current value as sent on the wire."""
        which = self.state.WhichOneof("value")
        if which == "string_array_value":
            return list(self.state.string_array_value.data)
        return getattr(self.state, which) if which else None


def initial_state(kind: str, proto, previous: WidgetState | None) -> WidgetState:
    """The state the frontend holds for a widget after a run: the value the server set (when
    it set one), else what the frontend had, else the element's default."""
    state = WidgetState(id=proto.id)
    if not proto.set_value and previous is not None:
        state.CopyFrom(previous)
        return state
    if kind == "segmented":
        labels = [option.content for option in proto.options]
        values = list(proto.raw_values) if proto.set_value else [labels[i] for i in proto.default]
        state.string_array_value.data.extend(values)
    elif kind == "selectbox":
        if proto.set_value:
            state.string_value = proto.raw_value
        elif proto.options and 0 <= proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
    else:
        field_name = "value" if proto.set_value else "default"
        if not proto.HasField(field_name):
            return state  # an empty number field: no value (not sent)
        number = getattr(proto, field_name)
        if proto.data_type == NumberInput.INT:
            state.int_value = int(number)
        else:
            state.double_value = float(number)
    return state


def changed_state(widget: Widget, rng) -> WidgetState:
    """A new state for `widget`, different from its current one, as a user would set it: another
    segment or option (chosen by `rng`), or the number one step up (down at the maximum)."""
    state = WidgetState(id=widget.id)
    current = widget.value()
    if widget.kind in ("segmented", "selectbox"):
        now = current if isinstance(current, list) else [current]
        others = [label for label in widget.labels() if label not in now]
        if not others:
            raise SessionFailed(f"widget {widget.key} has no other option")
        choice = rng.choice(others)
        if widget.kind == "segmented":
            state.string_array_value.data.append(choice)
        else:
            state.string_value = choice
        return state
    proto = widget.proto
    step = proto.step or 1
    if current is None:  # an empty field: the user types a value (the middle of the range)
        number = (proto.min + proto.max) // 2 if proto.has_min and proto.has_max else step
        number = round(number / step) * step
    else:
        number = current + step
        if proto.has_max and number > proto.max:
            number = current - step
    if proto.data_type == NumberInput.INT:
        state.int_value = int(number)
    else:
        state.double_value = float(number)
    return state


@dataclass
class Run:
    """What one script run sent back, as the client saw it."""

    seconds: float = 0.0
    messages: int = 0
    bytes: int = 0
    charts: int = 0
    in_fragment: int = 0  # charts drawn inside a fragment (a filter change redraws only those)
    fragment: bool = False  # the run was a fragment's rerun
    widgets: dict[str, Widget] = field(default_factory=dict)


def _get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our server)
        return response.read()


class Session:
    """One viewer's browser tab on one link: `open()`, then `change()` filters, `close()`."""

    def __init__(
        self, base: str, url_path: str, query: str, charts: int = 0, timeout: float = 30
    ) -> None:
        self.base, self.url_path, self.query = base.rstrip("/"), url_path, query
        self.charts, self.timeout = charts, timeout
        self.fragment_charts = 0  # of the charts the link drew, those its page's fragment drew
        self.ws = None
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}

    @property
    def url(self) -> str:
        path = f"{self.base}/{self.url_path}"
        return f"{path}?{self.query}" if self.query else path

    async def open(self) -> Run:
        """Load the link as a browser does; the Run's seconds are from the first request."""
        from websockets.asyncio.client import connect

        start = time.perf_counter()
        try:
            await asyncio.to_thread(_get, self.url, self.timeout)
            await asyncio.to_thread(_get, f"{self.base}/_stcore/health", self.timeout)
            await asyncio.to_thread(_get, f"{self.base}/_stcore/host-config", self.timeout)
            stream = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
            self.ws = await asyncio.wait_for(
                connect(stream, subprotocols=["streamlit"], max_size=None, compression=None),
                self.timeout,
            )
        except (OSError, TimeoutError) as error:
            raise SessionFailed(f"connect: {type(error).__name__}: {error}") from error
        run = await self._rerun(page_name=self.url_path, widget_states=[])
        run.seconds = time.perf_counter() - start
        if run.charts < self.charts:
            raise SessionFailed(f"{self.url}: {run.charts} of {self.charts} charts drawn")
        self.fragment_charts = run.in_fragment
        return run

    def filters(self, keys) -> list[Widget]:
        """The widgets of the last run whose key is one of `keys` (the page's URL parameters)."""
        return [w for w in self.widgets.values() if w.key in keys and not w.proto.disabled]

    async def change(self, widget: Widget, rng) -> Run:
        """Set `widget` to another value and wait for the rerun; fail if the address (where the
        dashboard keeps every filter) did not change."""
        before = self.query
        # The frontend keeps the new value as the widget's state from now on.
        widget.state = changed_state(widget, rng)
        states = [w.state for w in self.widgets.values() if w.state.WhichOneof("value")]
        start = time.perf_counter()
        run = await self._rerun(
            page_hash=self.page_hash, widget_states=states, fragment_id=widget.fragment_id
        )
        run.seconds = time.perf_counter() - start
        if self.query == before:
            raise SessionFailed(f"{self.url_path}: changing {widget.key} left ?{before}")
        # A fragment's rerun sends only its own charts (the page's static sections stay).
        expected = self.fragment_charts if run.fragment else self.charts
        if run.charts < expected:
            raise SessionFailed(f"{self.url}: {run.charts} of {expected} charts drawn")
        return run

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # a socket that may be gone already
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def _rerun(
        self, page_name: str = "", page_hash: str = "", widget_states=(), fragment_id: str = ""
    ) -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.fragment_id = fragment_id
        state.query_string = self.query
        state.page_name = page_name
        state.page_script_hash = page_hash
        state.widget_states.widgets.extend(widget_states)
        state.context_info.url = self.url
        state.context_info.locale = "en-GB"
        state.context_info.timezone = "Europe/Amsterdam"
        state.context_info.timezone_offset = -60
        state.context_info.color_scheme = "light"
        try:
            await self.ws.send(msg.SerializeToString())
            return await self._read_run()
        except SessionFailed:
            raise
        except TimeoutError as error:
            raise SessionFailed(f"{self.url}: no script_finished in {self.timeout:g} s") from error
        except Exception as error:  # noqa: BLE001 (disconnects and protocol errors are results)
            raise SessionFailed(f"{self.url}: {type(error).__name__}: {error}") from error

    async def _read_run(self) -> Run:
        """Read ForwardMsgs until the run has finished; keep the widgets and the address."""
        run = Run()
        deadline = time.monotonic() + self.timeout
        while True:
            data = await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic()))
            if isinstance(data, str):
                raise SessionFailed(f"text frame: {data[:200]}")
            run.messages += 1
            run.bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run.widgets, run.charts = {}, 0
            elif kind == "navigation":
                # st.navigation's current page: what the frontend sends on its next rerun.
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, msg.delta.fragment_id, run)
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                raise SessionFailed(f"{self.url}: page_not_found")
            elif kind == "session_event":
                if msg.session_event.HasField("script_compilation_exception"):
                    raise SessionFailed(f"{self.url}: script compilation exception")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise SessionFailed(f"{self.url}: finished with compile error")
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    self.widgets = run.widgets
                    return run
                if status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    # Only the fragments' widgets were sent; the frontend keeps the others.
                    self.widgets = {**self.widgets, **run.widgets}
                    run.fragment = True
                    return run
                # FINISHED_EARLY_FOR_RERUN: a rerun was asked for (st.rerun, a callback's
                # fragment rerun); the next run follows on the same socket.

    def _element(self, element, fragment_id: str, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise SessionFailed(f"{self.url}: exception {element.exception.message[:200]}")
        if kind == "alert" and element.alert.format == Alert.ERROR:
            raise SessionFailed(f"{self.url}: error alert {element.alert.body[:200]}")
        if kind == "plotly_chart":
            run.charts += 1
            run.in_fragment += bool(fragment_id)
        elif kind in WIDGET_KINDS:
            proto = getattr(element, kind)
            previous = self.widgets.get(proto.id)
            state = initial_state(WIDGET_KINDS[kind], proto, previous and previous.state)
            widget = Widget(proto.id, WIDGET_KINDS[kind], proto, state, fragment_id)
            run.widgets[proto.id] = widget


def query_string(params: dict[str, str]) -> str:
    """A link's query string as the browser sends it."""
    return urllib.parse.urlencode(params)


# ---------------------------------------------------------------- simulated viewers


@dataclass
class Viewer:
    """What one simulated viewer did: client-side seconds of each load and filter change,
    sessions opened and the errors of those that failed."""

    loads: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    sessions: int = 0
    errors: list[str] = field(default_factory=list)
    bytes: int = 0


@dataclass(frozen=True)
class Plan:
    """How the viewers behave: links opened in turn (url_path, parameters), each one's filters
    (the page's URL parameters), charts to expect per page, `changes` filter changes per link
    with a pause drawn from `think` seconds before each, then the next link in a new session
    (a new tab: the old socket closes)."""

    links: tuple[tuple[str, dict[str, str]], ...]
    filters: dict[str, frozenset[str]]
    charts: dict[str, int]
    changes: int = 3
    think: tuple[float, float] = (3.0, 7.0)
    timeout: float = 30.0


async def viewer(
    base: str, plan: Plan, offset: int, seconds: float, seed: int, max_links: int | None = None
) -> Viewer:
    """One viewer for `seconds` (or `max_links` links): arrives within the first pause, opens
    links from `offset` on and changes filters on each until the time is up. Never raises:
    failures are recorded."""
    import random

    rng = random.Random(seed)  # noqa: S311 (which filter to change, not secrets)
    out = Viewer()
    deadline = time.monotonic() + seconds
    await asyncio.sleep(rng.uniform(0, plan.think[1]))
    k = offset
    while time.monotonic() < deadline and (max_links is None or k - offset < max_links):
        url_path, params = plan.links[k % len(plan.links)]
        k += 1
        page = url_path if url_path != "overview" else ""
        session = Session(base, page, query_string(params), plan.charts.get(url_path, 0),
                          plan.timeout)  # fmt: skip
        out.sessions += 1
        try:
            run = await session.open()
            out.loads.append(run.seconds)
            out.bytes += run.bytes
            for _ in range(plan.changes):
                pause = rng.uniform(*plan.think)
                if time.monotonic() + pause >= deadline:
                    await asyncio.sleep(max(0.0, deadline - time.monotonic()))
                    break
                await asyncio.sleep(pause)
                choices = session.filters(plan.filters.get(url_path, frozenset()))
                if not choices:
                    continue  # a page without filters: the viewer reads it
                run = await session.change(rng.choice(choices), rng)
                out.reruns.append(run.seconds)
                out.bytes += run.bytes
        except SessionFailed as error:
            out.errors.append(str(error))
        except Exception as error:  # noqa: BLE001 (a client bug is reported, not raised)
            out.errors.append(f"{session.url}: client {type(error).__name__}: {error}")
        finally:
            await session.close()
    return out


async def _crowd(base: str, plan: Plan, viewers: int, seconds: float, seed: int) -> list[Viewer]:
    from concurrent.futures import ThreadPoolExecutor

    # The page GETs run in threads (urllib): enough that no viewer waits for another's.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max(8, viewers)))
    tasks = [
        viewer(base, plan, offset=i, seconds=seconds, seed=seed * 1000 + i) for i in range(viewers)
    ]
    return list(await asyncio.gather(*tasks))


def crowd(base: str, plan: Plan, viewers: int, seconds: float, seed: int = 0) -> list[Viewer]:
    """`viewers` viewers at once for `seconds` (one event loop in this process); each starts at
    a different link."""
    return asyncio.run(_crowd(base, plan, viewers, seconds, seed))


def warm_up(base: str, plan: Plan, links: int | None = None) -> Viewer:
    """One viewer without pauses over every link (or the first `links`) once, changing filters
    as usual (fills the server's caches)."""
    quick = Plan(plan.links, plan.filters, plan.charts, plan.changes, (0.0, 0.0), plan.timeout)
    count = len(plan.links) if links is None else links
    return asyncio.run(viewer(base, quick, 0, 1e9, seed=-1, max_links=count))


def visit(base: str, url_path: str = "", timeout: float = 30) -> Run:
    """One short visit: open the page, close the tab."""

    async def once() -> Run:
        session = Session(base, url_path, "", 0, timeout)
        try:
            return await session.open()
        finally:
            await session.close()

    return asyncio.run(once())


def clear_caches(base: str, timeout: float = 30) -> None:
    """Clear the server's st.cache_data and st.cache_resource for every session, as the
    frontend's "Clear cache" menu item does (a BackMsg clear_cache). The dashboard drops that
    message from every client (`dashboard.asgi.ViewerMessages`) unless the server runs with
    RUGZICHT_ALLOW_CLEAR_CACHE=1, as the benchmark's does. For the heap figures only."""

    async def once() -> None:
        session = Session(base, "", "", 0, timeout)
        try:
            await session.open()
            await session.ws.send(BackMsg(clear_cache=True).SerializeToString())
            await asyncio.sleep(0.5)
        finally:
            await session.close()

    asyncio.run(once())
