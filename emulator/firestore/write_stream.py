"""The Write stream (the firebase JS SDK's write path): a handshake that hands out a
stream id and token, then one atomic commit per request of writes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from google.cloud.firestore_v1.types import firestore as fs

from emulator.firestore.errors import invalid
from emulator.firestore.protos import timestamp_pb
from emulator.firestore.service import FirestoreService

_Response = fs.WriteResponse.pb()


class WriteStreamHandler:
    """The Write RPC (gRPC and WebChannel alike)."""

    def __init__(self, service: FirestoreService) -> None:
        self.service = service

    def stream(
        self, requests: Iterator[Any], caller: Any, _active: Callable[[], bool] = lambda: True
    ) -> Iterator[Any]:
        """The responses to a stream of WriteRequests (gRPC and WebChannel alike)."""
        stream_id = os.urandom(8).hex()
        sequence = 0
        for request in requests:
            if sequence == 0:
                if request.writes:
                    raise invalid("The first request of a write stream must not carry writes.")
                database = self.service.context.database(request.database)
            sequence += 1
            token = sequence.to_bytes(8, "big")
            if sequence == 1:
                yield _Response(stream_id=stream_id, stream_token=token)
                continue
            plan = self.service.commit_writes(database, list(request.writes), caller)
            response = _Response(
                stream_id=stream_id, stream_token=token, commit_time=timestamp_pb(plan.commit_time)
            )
            response.write_results.extend(self.service.write_results(plan))
            yield response
