"""A WebChannel session's RPC, run by the same stream handlers as gRPC's Listen and Write
(so rules, targets and commits behave the same on every transport). The handler is an
async generator on the event loop: requests reach it through a queue, and each response
is pushed to the session as it comes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
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
    """Feeds one session's requests to its stream runner and its responses back, as a
    task on the event loop (no thread per session)."""

    def __init__(self, session: Session, runner: StreamRunner, caller: Caller) -> None:
        self.session = session
        self.runner = runner
        self.caller = caller
        self._requests: asyncio.Queue[Any] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        session.on_close = self.stop

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._main())

    def send(self, request: Any) -> None:
        """One parsed client message."""
        self._requests.put_nowait(request)

    def stop(self) -> None:
        self._requests.put_nowait(_END)
        if self._task is not None:
            self._task.cancel()

    def fail(self, error: FirestoreError) -> None:
        """Ends the RPC with an error the SDK reports."""
        fail_session(self.session, error)

    async def _incoming(self) -> AsyncIterator[Any]:
        while True:
            request = await self._requests.get()
            if request is _END:
                return
            yield request

    async def _main(self) -> None:
        try:
            async for response in self.runner(self._incoming(), self.caller):
                self.session.push([json_format.MessageToDict(response)])
        except asyncio.CancelledError:
            pass  # the session closed
        except FirestoreError as error:
            self.fail(error)
        except Exception:
            log.exception("WebChannel %s stream failed", self.session.rpc)
            self.fail(
                FirestoreError(grpc.StatusCode.INTERNAL, "Internal emulator error (see its log).")
            )
