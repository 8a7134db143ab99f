"""A minimal client of the Realtime Database's realtime (WebSocket) protocol, as the SDKs speak it.

Enough of the wire protocol for typing and presence: handshake, auth, listen, put, merge
and onDisconnect put / merge / cancel. Requests are answered in order; data pushes that
arrive meanwhile are kept in ``pushes``.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from websockets.sync.client import ClientConnection, connect

from tests.support.id_tokens import id_token


class RealtimeConnection:
    """One SDK-like connection to one database namespace."""

    def __init__(self, host: str, namespace: str, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self._stack = ExitStack()
        self.ws: ClientConnection = self._stack.enter_context(
            connect(f"ws://{host}/.ws?v=5&ns={namespace}", open_timeout=timeout)
        )
        self.pushes: list[dict[str, Any]] = []
        self._next_request = 0
        handshake = self._receive()
        assert handshake["t"] == "c" and handshake["d"]["t"] == "h", handshake

    def _receive(self) -> dict[str, Any]:
        return json.loads(self.ws.recv(timeout=self.timeout))

    def request(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Sends one request and returns its answer body ({"s": status, "d": data})."""
        self._next_request += 1
        number = self._next_request
        self.ws.send(json.dumps({"t": "d", "d": {"r": number, "a": action, "b": body}}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = self._receive()
            data = message.get("d", {})
            if message.get("t") == "d" and data.get("r") == number:
                return data["b"]
            if message.get("t") == "d" and "a" in data:
                self.pushes.append(data)
        raise TimeoutError(f"no answer to {action} {body}")

    def sign_in(self, uid: str, lifetime_seconds: int = 3600) -> dict[str, Any]:
        return self.request("auth", {"cred": id_token(uid, lifetime_seconds)})

    def put(self, path: str, data: Any) -> str:
        return self.request("p", {"p": f"/{path}", "d": data})["s"]

    def merge(self, path: str, data: dict[str, Any]) -> str:
        return self.request("m", {"p": f"/{path}", "d": data})["s"]

    def listen(self, path: str) -> str:
        return self.request("q", {"p": f"/{path}", "h": ""})["s"]

    def on_disconnect_put(self, path: str, data: Any) -> str:
        """``onDisconnect().set(data)``; ``None`` is ``onDisconnect().remove()``."""
        return self.request("o", {"p": f"/{path}", "d": data})["s"]

    def on_disconnect_cancel(self, path: str) -> str:
        return self.request("oc", {"p": f"/{path}", "d": None})["s"]

    def wait_for_push(self, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first data push (already received or arriving in time) that ``matches``."""
        deadline = time.monotonic() + self.timeout
        while True:
            for push in self.pushes:
                if matches(push):
                    return push
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("expected push did not arrive")
            message = json.loads(self.ws.recv(timeout=remaining))
            if message.get("t") == "d" and "a" in message.get("d", {}):
                self.pushes.append(message["d"])

    def next_push(self, action: str = "d") -> dict[str, Any]:
        """The next push of ``action`` ("d": set, "m": merge) to arrive from now on, skipping
        what came before and anything else meanwhile."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            data = self._receive().get("d", {})
            if data.get("a") == action:
                return data
        raise TimeoutError(f"no {action!r} push arrived")

    def close(self) -> None:
        """A clean close, as when the app calls goOffline()."""
        self._stack.close()

    def drop(self) -> None:
        """The network goes away: the socket dies without a closing handshake."""
        self.ws.socket.shutdown(socket.SHUT_RDWR)
        self.ws.socket.close()
        self._stack.close()
