"""A WebChannel session's RPC, run by the same stream handlers as gRPC's Listen and Write
(so rules, targets and commits behave the same on every transport). The handler is a
blocking generator, so each session runs it on a thread of its own: requests reach it
through a queue, and its responses go back to the session on the event loop."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

import grpc
from google.protobuf import json_format

from emulator.firestore.errors import FirestoreError, invalid
from emulator.firestore.identity import Caller
from emulator.firestore.rpc_table import BIDI, StreamRunner
from emulator.firestore.verify import parse_json
from emulator.firestore.webchannel.session import Session

log = logging.getLogger(__name__)

_END = object()


def parse_request(rpc: str, message: Any) -> Any:
    """A proto3-JSON request message of the RPC as its protobuf."""
    if not isinstance(message, dict):
        raise invalid("Each WebChannel message must be a JSON object.")
    try:
        return parse_json(message, BIDI[rpc].request())
    except (json_format.ParseError, TypeError, ValueError) as error:
        raise invalid(f"Invalid {rpc}Request: {error}") from None


def error_payload(error: FirestoreError) -> list[Any]:
    """An RPC failure as the SDK reads it from a message: ``[{"error": {...}}]``."""
    return [error.to_json()]


def fail_session(session: Session, error: FirestoreError) -> None:
    """Queues the error and a ``close`` for the client, and closes the session."""
    session.push(error_payload(error))
    session.push(["close"])
    session.close()


class StreamBridge:
    """Feeds one session's requests to its stream handler and its responses back."""

    def __init__(
        self,
        session: Session,
        runner: StreamRunner,
        caller: Caller,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.session = session
        self.runner = runner
        self.caller = caller
        self.loop = loop
        self._requests: queue.Queue[Any] = queue.Queue()
        self._running = True
        session.on_close = self.stop

    def start(self) -> None:
        threading.Thread(
            target=self._main, name=f"webchannel-{self.session.rpc}", daemon=True
        ).start()

    def send(self, request: Any) -> None:
        """One parsed client message (event loop side)."""
        self._requests.put(request)

    def stop(self) -> None:
        self._running = False
        self._requests.put(_END)

    def fail(self, error: FirestoreError) -> None:
        """Ends the RPC with an error the SDK reports (event loop side)."""
        fail_session(self.session, error)

    def _incoming(self) -> Iterator[Any]:
        while True:
            request = self._requests.get()
            if request is _END:
                return
            yield request

    def _main(self) -> None:
        try:
            for response in self.runner(self._incoming(), self.caller, lambda: self._running):
                self._deliver([json_format.MessageToDict(response)])
        except FirestoreError as error:
            self._call(self.fail, error)
        except Exception:
            log.exception("WebChannel %s stream failed", self.session.rpc)
            self._call(
                self.fail,
                FirestoreError(grpc.StatusCode.INTERNAL, "Internal emulator error (see its log)."),
            )

    def _deliver(self, payload: list[Any]) -> None:
        self._call(self.session.push, payload)

    def _call(self, function: Callable[[Any], None], argument: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(function, argument)
        except RuntimeError:  # the loop closed: the emulator is stopping
            self._running = False
