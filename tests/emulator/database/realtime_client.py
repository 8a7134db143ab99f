"""A raw client of the SDKs' realtime protocol, for protocol-level tests (websockets, sync)."""

from __future__ import annotations

import json
import time
from typing import Any

from websockets.sync.client import connect


class RealtimeClient:
    """One WebSocket connection: requests get numbered responses, pushes are kept in order."""

    def __init__(self, address: str, ns: str) -> None:
        self.ws = connect(f"ws://{address}/.ws?ns={ns}&v=5", open_timeout=5, legacy=True)
        self.handshake = self._receive(5)
        self.pushes: list[dict[str, Any]] = []
        self._number = 0

    def _receive(self, timeout: float) -> dict[str, Any]:
        frame = self.ws.recv(timeout=timeout)
        assert isinstance(frame, str)
        if len(frame) <= 6 and frame.isdigit():  # a multi-frame message follows
            frame = "".join(str(self.ws.recv(timeout=timeout)) for _ in range(int(frame)))
        return json.loads(frame)

    def send_raw(self, frame: str) -> None:
        self.ws.send(frame)

    def request(self, action: str, body: dict[str, Any], timeout: float = 5) -> dict[str, Any]:
        """Sends a request and returns the body of its response ({"s": ..., "d": ...})."""
        self._number += 1
        self.ws.send(json.dumps({"t": "d", "d": {"r": self._number, "a": action, "b": body}}))
        return self.response_to(self._number, timeout)

    def response_to(self, number: int, timeout: float = 5) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(max(deadline - time.monotonic(), 0.01))
            data = message.get("d", {})
            if message.get("t") == "d" and data.get("r") == number:
                return data["b"]
            self.pushes.append(message)

    def next_push(self, timeout: float = 5) -> dict[str, Any]:
        """The next server-initiated message (data push, revoke, control)."""
        if self.pushes:
            return self.pushes.pop(0)
        return self._receive(timeout)

    def close(self) -> None:
        self.ws.close()
