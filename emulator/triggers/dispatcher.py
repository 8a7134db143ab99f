"""Delivers events to trigger functions on one worker thread, after the write committed.

Store hooks only enqueue (they run under the store's lock or on its event loop); the
worker builds each CloudEvent and calls the function. ``wait_idle`` lets tests and tools
wait, with a bound, until every queued event and the events it caused were delivered.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from cloudevents.http import CloudEvent

from emulator.triggers.loader import Trigger

log = logging.getLogger(__name__)
HISTORY = 1000


@dataclass(frozen=True)
class Delivery:
    """One event handed to one function, and how it ended."""

    trigger: Trigger
    event: CloudEvent | None
    error: BaseException | None = None


class Dispatcher:
    """A queue of pending deliveries and the worker thread that drains it."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Trigger, Callable[[], CloudEvent]] | None] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self.deliveries: deque[Delivery] = deque(maxlen=HISTORY)
        self._worker = threading.Thread(target=self._run, name="trigger-delivery", daemon=True)
        self._worker.start()

    def submit(self, trigger: Trigger, build: Callable[[], CloudEvent]) -> None:
        """Queue one delivery; ``build`` makes its CloudEvent on the worker thread."""
        with self._idle:
            self._pending += 1
        self._queue.put((trigger, build))

    def redeliver(self, delivery: Delivery) -> None:
        """Send an already delivered event again, as an at-least-once transport may."""
        assert delivery.event is not None, "the event of this delivery could not be built"
        event = delivery.event
        self.submit(delivery.trigger, lambda: event)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is queued or running (True), or the timeout passed (False)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def failures(self) -> list[Delivery]:
        """Recent deliveries whose function raised."""
        return [d for d in self.deliveries if d.error is not None]

    def close(self, timeout: float = 10.0) -> None:
        """Finish what is queued, then stop the worker."""
        self._queue.put(None)
        self._worker.join(timeout)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            trigger, build = item
            try:
                self._deliver(trigger, build)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _deliver(self, trigger: Trigger, build: Callable[[], CloudEvent]) -> None:
        event: CloudEvent | None = None
        try:
            event = build()
            trigger.function(event)
        except Exception as error:  # a failing function must not stop delivery to others
            log.exception("trigger %s failed", trigger.name)
            self.deliveries.append(Delivery(trigger, event, error))
            return
        self.deliveries.append(Delivery(trigger, event))
