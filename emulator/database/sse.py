"""Event streams (``Accept: text/event-stream``): put, patch, keep-alive, cancel, auth_revoked."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web

from emulator.database import tree
from emulator.database.auth import Caller
from emulator.database.context import context_of
from emulator.database.events import stream_events
from emulator.database.query import Query
from emulator.database.store import Change, PermissionDeniedError, Store


def _frame(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def _event_data(relative: str, data: Any, event: str = "put") -> dict[str, Any]:
    if event == "patch":
        # A patch's data names the children to replace: rendered one by one, never an array.
        return {"path": "/" + relative, "data": {k: tree.render(v) for k, v in data.items()}}
    return {"path": "/" + relative, "data": tree.render(data)}


class _Listener:
    """One open stream: queues frames from store changes for the response loop."""

    def __init__(
        self, store: Store, name: str, path: str, caller: Caller, spec: Query | None
    ) -> None:
        self.store, self.name, self.path, self.caller, self.spec = store, name, path, caller, spec
        self.frames: asyncio.Queue[bytes | None] = asyncio.Queue()

    def on_change(self, change: Change) -> None:
        """Called by the store after each write; rules are checked again on every change."""
        # Access is re-checked on every change: read rules may depend on data anywhere.
        try:
            self.store.check_read(self.name, self.path, self.caller, self.rules_query())
        except PermissionDeniedError:
            self.frames.put_nowait(_frame("cancel", None))
            self.frames.put_nowait(None)
            return
        for event, relative, data in stream_events(change, self.path, self.spec):
            self.frames.put_nowait(_frame(event, _event_data(relative, data, event)))

    def rules_query(self) -> Any:
        """The query as the read rules see it."""
        return self.spec.to_rules_query() if self.spec else None

    def initial_frame(self) -> bytes:
        """The first event: the whole current value (or query result)."""
        value = self.store.get(self.name, self.path)
        data = self.spec.apply(value) if self.spec else value
        return _frame("put", _event_data("", data))


async def stream(
    request: web.Request, name: str, path: str, caller: Caller, spec: Query | None
) -> web.StreamResponse:
    """Serves one event stream until the client leaves, access is lost or the server stops."""
    ctx = context_of(request)
    listener = _Listener(ctx.store, name, path, caller, spec)
    ctx.store.check_read(name, path, caller, listener.rules_query())
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-cache",
            "Access-Control-Allow-Origin": "*",
        }
    )
    await response.prepare(request)
    unwatch = ctx.store.watch(name, listener.on_change)
    try:
        await response.write(listener.initial_frame())
        await _pump(response, listener, ctx.keep_alive_seconds)
    except ConnectionResetError:
        pass
    finally:
        unwatch()
    return response


def _wait_limit(caller: Caller, keep_alive_due: float) -> float:
    """Seconds until the next keep-alive is due, or until the token expires if sooner."""
    due = keep_alive_due
    expires = caller.expires_at()
    if expires is not None:
        due = min(due, expires + 0.001)
    return max(due - time.time(), 0.0)


async def _pump(response: web.StreamResponse, listener: _Listener, keep_alive: float) -> None:
    # auth_revoked is sent when the token expires, not at the next keep-alive.
    keep_alive_due = time.time() + keep_alive
    while True:
        try:
            frame = await asyncio.wait_for(
                listener.frames.get(), timeout=_wait_limit(listener.caller, keep_alive_due)
            )
        except TimeoutError:
            if listener.caller.expired():
                await response.write(_frame("auth_revoked", "credential is no longer valid"))
                return
            if time.time() < keep_alive_due:
                continue
            keep_alive_due = time.time() + keep_alive
            frame = _frame("keep-alive", None)
        if frame is None:
            return
        await response.write(frame)
