"""The realtime protocol of the Firebase SDKs over WebSocket (``/.ws?ns=...&v=5``)."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from emulator.database.context import context_of, namespace_of
from emulator.database.frames import FrameAssembler, split_message
from emulator.database.session import RealtimeSession
from emulator.database.store import now_ms

PROTOCOL_VERSION = "5"


def _handshake(host: str) -> dict[str, Any]:
    session_id = secrets.token_hex(8)
    return {
        "t": "c",
        "d": {"t": "h", "d": {"ts": now_ms(), "v": PROTOCOL_VERSION, "h": host, "s": session_id}},
    }


async def handle_websocket(request: web.Request) -> web.WebSocketResponse:
    """Serves one SDK connection until it closes, then runs its onDisconnect writes."""
    # WebSocket pings find half-open sockets (a laptop that slept), so onDisconnect runs.
    ws = web.WebSocketResponse(max_msg_size=0, heartbeat=30.0)
    await ws.prepare(request)
    outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
    sender = asyncio.ensure_future(_send_loop(ws, outbox))
    store = context_of(request).store
    session = RealtimeSession(store, namespace_of(request), outbox.put_nowait)
    unwatch = store.watch(session.name, session.on_change)
    outbox.put_nowait(_handshake(request.host))
    try:
        await _receive_loop(ws, session, outbox)
    finally:
        unwatch()
        session.run_on_disconnect()
        outbox.put_nowait(None)
        await sender
    return ws


async def _receive_loop(
    ws: web.WebSocketResponse,
    session: RealtimeSession,
    outbox: asyncio.Queue[dict[str, Any] | None],
) -> None:
    assembler = FrameAssembler()
    async for frame in ws:
        if frame.type != WSMsgType.TEXT:
            continue
        text = assembler.feed(frame.data)
        if text is None:
            continue
        try:
            message = json.loads(text)
        except ValueError:
            continue  # garbage from a client is ignored, as a keep-alive would be
        reply = _dispatch(session, message)
        if reply is not None:
            outbox.put_nowait(reply)


def _dispatch(session: RealtimeSession, message: Any) -> dict[str, Any] | None:
    if not isinstance(message, dict) or not isinstance(message.get("d"), dict):
        return None
    layer, data = message.get("t"), message["d"]
    if layer == "c":
        if data.get("t") == "p":  # ping → pong
            return {"t": "c", "d": {"t": "o", "d": {}}}
        return None
    if layer != "d" or "r" not in data:
        return None
    body = data.get("b") if isinstance(data.get("b"), dict) else {}
    return {"t": "d", "d": {"r": data["r"], "b": session.handle(str(data.get("a")), body)}}


async def _send_loop(
    ws: web.WebSocketResponse, outbox: asyncio.Queue[dict[str, Any] | None]
) -> None:
    while (message := await outbox.get()) is not None:
        if ws.closed:
            continue
        try:
            for frame in split_message(json.dumps(message, separators=(",", ":"))):
                await ws.send_str(frame)
        except ConnectionResetError:
            continue
