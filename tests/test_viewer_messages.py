"""A viewer's websocket cannot clear the server's caches: Streamlit acts on a "clear cache"
message from any client (hiding the menu item does not stop one from sending it), which would
empty every viewer's caches at once. `dashboard.asgi.ViewerMessages` drops it."""

from __future__ import annotations

import asyncio

from streamlit.proto.BackMsg_pb2 import BackMsg

from bench import browser_common as bc
from bench import load_client as lc
from dashboard import asgi
from dashboard.serve import running_app

CLEAR = BackMsg(clear_cache=True).SerializeToString()
RERUN = BackMsg(rerun_script={"query_string": "lang=nl"}).SerializeToString()


def test_only_the_blocked_messages_are_recognised(monkeypatch):
    monkeypatch.delenv(asgi.ALLOW_CLEAR_CACHE, raising=False)
    assert asgi.blocked(CLEAR) == "clear_cache"
    assert asgi.blocked(RERUN) is None
    assert asgi.blocked(b"\xff\x00 not a message") is None
    assert asgi.blocked(None) is None
    monkeypatch.setenv(asgi.ALLOW_CLEAR_CACHE, "1")
    assert asgi.blocked(CLEAR) is None


def test_the_middleware_passes_everything_else_in_order(monkeypatch):
    monkeypatch.delenv(asgi.ALLOW_CLEAR_CACHE, raising=False)
    incoming = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "bytes": CLEAR},
        {"type": "websocket.receive", "bytes": RERUN},
        {"type": "websocket.receive", "text": "hello"},
        {"type": "websocket.disconnect", "code": 1000},
    ]
    seen = []

    async def app(scope, receive, send):
        while (message := await receive())["type"] != "websocket.disconnect":
            seen.append(message)

    async def receive():
        return incoming.pop(0)

    async def send(message):
        pass

    asyncio.run(asgi.ViewerMessages(app)({"type": "websocket"}, receive, send))
    assert [m.get("bytes", m.get("text")) for m in seen] == [None, RERUN, "hello"]


def test_a_running_server_keeps_its_caches_when_a_client_asks_to_clear_them():
    with running_app() as base:
        lc.visit(base, "prevalence")
        before = bc.cache_memory_bytes(base)["total"]
        assert before > 0  # the page's charts are cached
        lc.clear_caches(base)
        assert bc.cache_memory_bytes(base)["total"] >= before
