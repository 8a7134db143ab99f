"""A small event-stream client over httpx async streaming, run on its own thread and event
loop so that tests can wait with timeouts and close it at any moment."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
from types import TracebackType
from typing import Any

import httpx


class EventStream:
    """Opens ``GET url`` with ``Accept: text/event-stream`` and collects (event, data) pairs."""

    def __init__(self, url: str, params: dict[str, str] | None = None) -> None:
        self._url, self._params = url, params
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.status: int | None = None
        self._opened = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> EventStream:
        self._thread.start()
        assert self._opened.wait(10), "stream did not open"
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drops the connection, as a client that goes away does."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._cancel)
            self._thread.join(timeout=5)

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _run(self) -> None:
        self._task = self._loop.create_task(self._read())
        try:
            self._loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        finally:
            self._loop.close()
            self._opened.set()
            self.events.put(("closed", None))

    async def _read(self) -> None:
        headers = {"Accept": "text/event-stream"}
        timeout = httpx.Timeout(10, read=None)
        async with (
            httpx.AsyncClient(timeout=timeout, verify=False, trust_env=False) as client,
            client.stream("GET", self._url, params=self._params, headers=headers) as response,
        ):
            self.status = response.status_code
            self._opened.set()
            event = None
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    event = line[len("event: ") :]
                elif line.startswith("data: ") and event is not None:
                    self.events.put((event, json.loads(line[len("data: ") :])))
                    event = None

    def next(self, timeout: float = 5, skip_keep_alive: bool = True) -> tuple[str, Any]:
        """The next event (keep-alives skipped unless asked for)."""
        while True:
            event = self.events.get(timeout=timeout)
            if not (skip_keep_alive and event[0] == "keep-alive"):
                return event
