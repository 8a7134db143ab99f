"""The Write stream (the firebase JS SDK's write path): a handshake that hands out a
stream id and token, then one atomic commit per request of writes. Runs on the event
loop; each commit runs on the blocking pool."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

from google.cloud.firestore_v1.types import firestore as fs

from emulator.firestore.blocking import BlockingPool
from emulator.firestore.errors import invalid
from emulator.firestore.identity import Caller
from emulator.firestore.protos import timestamp_pb
from emulator.firestore.service import FirestoreService

_Response = fs.WriteResponse.pb()


class WriteStreamHandler:
    """The Write RPC (gRPC and WebChannel alike)."""

    def __init__(self, service: FirestoreService, pool: BlockingPool) -> None:
        self.service = service
        self.pool = pool

    async def stream(self, requests: AsyncIterator[Any], caller: Caller) -> AsyncIterator[Any]:
        """The responses to a stream of WriteRequests."""
        stream_id = os.urandom(8).hex()
        sequence = 0
        async for request in requests:
            if sequence == 0:
                if request.writes:
                    raise invalid("The first request of a write stream must not carry writes.")
                database = self.service.context.database(request.database)
            sequence += 1
            token = sequence.to_bytes(8, "big")
            if sequence == 1:
                yield _Response(stream_id=stream_id, stream_token=token)
                continue
            writes = list(request.writes)
            plan = await self.pool.run(
                lambda: self.service.commit_writes(database, writes, caller)  # noqa: B023
            )
            response = _Response(
                stream_id=stream_id, stream_token=token, commit_time=timestamp_pb(plan.commit_time)
            )
            response.write_results.extend(self.service.write_results(plan))
            yield response
