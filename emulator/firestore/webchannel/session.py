"""One WebChannel session: the server-to-client arrays waiting to be acknowledged, the
client-to-server maps already accepted, and whether it is still open. Confined to the
event loop, as is the stream task that feeds it."""

from __future__ import annotations

import asyncio
import os
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from emulator.firestore.webchannel.framing import encode_json

# A session that has had no request for this long (its page went away without a
# terminate) is closed, so its stream task ends.
IDLE_SECONDS = 120.0


class Session:
    """Array ids start at 1: id 0 is the handshake's ``c`` array."""

    def __init__(self, rpc: str) -> None:
        self.rpc = rpc
        self.id = os.urandom(12).hex()
        self.http_session_id = os.urandom(9).hex()
        self.open = True
        self._arrays: deque[tuple[int, str]] = deque()  # sent or not, not yet acknowledged
        self._next_array = 1
        self.sent_through = 0  # the highest array id written to a back channel
        self._next_map = 0  # the id of the next client message not yet accepted
        self._changed = asyncio.Event()
        self.back_channel = 0  # which back-channel request is the current one
        self.touched = time.monotonic()
        self.on_close: Callable[[], None] = lambda: None

    # ---- server to client ----

    def push(self, payload: Any) -> None:
        """Queues one array for the client (a JSON-able payload)."""
        if not self.open:
            return
        self._arrays.append((self._next_array, encode_json(payload)))
        self._next_array += 1
        self._changed.set()

    def acknowledge(self, array_id: int) -> None:
        """The client has every array up to ``array_id``: they need not be resent."""
        while self._arrays and self._arrays[0][0] <= array_id:
            self._arrays.popleft()

    def unsent(self) -> list[tuple[int, str]]:
        """Arrays not yet written to the current back channel; marks them written."""
        fresh = [entry for entry in self._arrays if entry[0] > self.sent_through]
        if fresh:
            self.sent_through = fresh[-1][0]
        return fresh

    def outstanding_bytes(self) -> int:
        return sum(len(text) for array_id, text in self._arrays if array_id > self.sent_through)

    async def wait_for_arrays(self, timeout: float) -> None:
        """Returns when an array was queued or the session closed, or after ``timeout``."""
        if self.has_unsent() or not self.open:
            return
        self._changed.clear()
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            pass

    def has_unsent(self) -> bool:
        return bool(self._arrays) and self._arrays[-1][0] > self.sent_through

    def attach_back_channel(self, acknowledged: int) -> int:
        """A new back-channel request: everything after ``acknowledged`` goes (again) on
        it, and any older back channel stops. Returns its token."""
        self.acknowledge(acknowledged)
        self.sent_through = max(acknowledged, 0)
        self.back_channel += 1
        self._changed.set()  # wakes the back channel this one replaces
        self.touch()
        return self.back_channel

    # ---- client to server ----

    def accept(self, offset: int, messages: list[Any]) -> list[Any]:
        """The messages of a forward-channel request not accepted before (a retried
        request repeats its maps with the same ids)."""
        self.touch()
        fresh = [m for i, m in enumerate(messages) if offset + i >= self._next_map]
        self._next_map = max(self._next_map, offset + len(messages))
        return fresh

    # ---- lifetime ----

    def touch(self) -> None:
        self.touched = time.monotonic()

    def idle(self, now: float) -> bool:
        return now - self.touched > IDLE_SECONDS

    def close(self) -> None:
        if not self.open:
            return
        self.open = False
        self._changed.set()
        self.on_close()


class SessionTable:
    """The open sessions by id."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}

    def add(self, session: Session) -> None:
        self.sweep()
        self._sessions[session.id] = session

    def get(self, session_id: str) -> Session | None:
        """A session, also one that has ended but may still owe the client its last
        arrays (an error and ``close``); it goes at terminate or when idle."""
        return self._sessions.get(session_id)

    def close(self, session_id: str) -> None:
        session = self._sessions.pop(session_id, None)
        if session is not None:
            session.close()

    def close_all(self) -> None:
        for session in list(self._sessions.values()):
            session.close()
        self._sessions.clear()

    def sweep(self) -> None:
        """Closes and forgets the sessions idle for longer than IDLE_SECONDS."""
        now = time.monotonic()
        for session_id, session in list(self._sessions.items()):
            if session.idle(now):
                self.close(session_id)
