"""The Listen stream: document and query targets, an initial snapshot (ADD, documents,
CURRENT, then a global NO_CHANGE carrying the read time), then adds / changes /
removes after each commit that touches a target, as one batch per commit closed by a
global NO_CHANGE at the commit's time. What a commit changed for each target comes from
the database's ListenHub (judged once per distinct query); rules are judged again per
listener (once per query and auth)."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Iterator
from functools import partial
from typing import Any

import grpc
from google.cloud.firestore_v1.types import firestore as fs
from google.cloud.firestore_v1.types import write as write_types
from google.rpc import status_pb2

from emulator.firestore.backend import Database
from emulator.firestore.blocking import BlockingPool
from emulator.firestore.context import Context
from emulator.firestore.errors import FirestoreError, invalid
from emulator.firestore.identity import Caller
from emulator.firestore.listen_hub import Batch, Delta, Target
from emulator.firestore.names import document_path
from emulator.firestore.protos import document_pb, from_timestamp_pb, timestamp_pb
from emulator.firestore.query import QueryRunner
from emulator.firestore.query_constraints import constraints_of
from emulator.firestore.store import StoredDoc
from emulator.firestore.values import Timestamp

_Response = fs.ListenResponse.pb()
_TargetChange = fs.TargetChange.pb()
_Kind = _TargetChange.TargetChangeType
_DocumentChange = write_types.DocumentChange.pb()
_DocumentDelete = write_types.DocumentDelete.pb()
_DocumentRemove = write_types.DocumentRemove.pb()
_UNJUDGED = object()


def _removed(target_id: int, error: FirestoreError) -> Any:
    """REMOVE of a target with the error as its cause (the client reports it)."""
    cause = status_pb2.Status(code=error.code.value[0], message=error.message)
    return _Response(
        target_change=_TargetChange(
            target_change_type=_Kind.REMOVE, target_ids=[target_id], cause=cause
        )
    )


def _resume_token(stamp: Timestamp) -> bytes:
    return stamp.total_nanos().to_bytes(12, "big")


def _resumed_at(spec: Any) -> Timestamp | None:
    """The time a target resumes from: its read_time, else its resume token's."""
    if spec.HasField("read_time"):
        return from_timestamp_pb(spec.read_time)
    if len(spec.resume_token) == 12:
        nanos = int.from_bytes(spec.resume_token, "big")
        return Timestamp(nanos // 1_000_000_000, nanos % 1_000_000_000)
    return None


class ListenStream:
    """One client's Listen call, on the event loop: requests and the hub's per-commit
    batches arrive on one queue; the work on the store (snapshots, rules) runs on the
    blocking pool, one hop per request or per run of queued batches."""

    def __init__(self, context: Context, caller: Caller, pool: BlockingPool) -> None:
        self.context = context
        self.caller = caller
        self.pool = pool
        # Listeners with the same auth share a rules verdict per query and commit.
        self.caller_key = "admin" if caller.admin else json.dumps(caller.auth, sort_keys=True)
        # Requests and batches in arrival order; only touched on the event loop.
        self._inbox: deque[tuple[str, Any]] = deque()
        self._arrived = asyncio.Event()
        self.targets: dict[int, Target] = {}
        self.database: Database | None = None
        self._next_id = 1 << 20
        self._read_nanos = 0  # the latest read time sent: they never go back
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    async def run(self, requests: AsyncIterator[Any]) -> AsyncIterator[Any]:
        self._loop = asyncio.get_running_loop()
        reader = asyncio.ensure_future(self._read(requests))
        try:
            while True:
                kind, payload = await self._next()
                if kind == "end":
                    return
                if kind == "request":
                    responses = await self.pool.run(partial(self._answer, payload))
                else:
                    batches = [payload, *self._queued_batches()]
                    responses = await self.pool.run_fanout(partial(self._on_batches, batches))
                for response in responses:
                    yield response
        finally:
            reader.cancel()
            self.pool.submit(self._detach_all)  # the loop does not wait for the store lock

    async def _read(self, requests: AsyncIterator[Any]) -> None:
        try:
            async for request in requests:
                self._put(("request", request))
        except Exception:  # the client went away; the stream simply ends
            pass
        self._put(("end", None))

    def _put(self, event: tuple[str, Any]) -> None:
        self._inbox.append(event)
        self._arrived.set()

    async def _next(self) -> tuple[str, Any]:
        while not self._inbox:
            self._arrived.clear()
            await self._arrived.wait()
        return self._inbox.popleft()

    def _queued_batches(self) -> list[Batch]:
        """The batches queued right behind the first one (stops at a request)."""
        found: list[Batch] = []
        while self._inbox and self._inbox[0][0] == "batch":
            found.append(self._inbox.popleft()[1])
        return found

    def _sink(self, batch: Batch) -> None:
        """Called by the hub under the store lock, on a pool thread: only queues."""
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self._put, ("batch", batch))
        except RuntimeError:  # the loop closed: the emulator is stopping
            pass

    def _answer(self, request: Any) -> list[Any]:
        return list(self._on_request(request))

    def _on_batches(self, batches: list[Batch]) -> list[Any]:
        """The changes of queued commits, closed by one NO_CHANGE at the latest one."""
        responses = [response for batch in batches for response in self._on_batch(batch)]
        if responses:
            responses.append(self._global_no_change(batches[-1][0]))
        return responses

    def _detach_all(self) -> None:
        """The stream ended: its targets leave the hub, and none attaches later (a
        request may still be in progress on another pool thread)."""
        self._closed = True
        if self.database is None:
            return
        with self.database.store.lock:
            for target in list(self.targets.values()):
                self.database.listens.detach(target)

    def _drop(self, target_id: int) -> None:
        target = self.targets.pop(target_id, None)
        if target is not None and self.database is not None:
            with self.database.store.lock:
                self.database.listens.detach(target)

    def _on_request(self, request: Any) -> Iterator[Any]:
        if self.database is None:
            self.database = self.context.database(request.database)
        kind = request.WhichOneof("target_change")
        if kind == "remove_target":
            self._drop(request.remove_target)
            yield _Response(
                target_change=_TargetChange(
                    target_change_type=_Kind.REMOVE, target_ids=[request.remove_target]
                )
            )
        elif kind == "add_target":
            yield from self._add(request.add_target)

    def _add(self, spec: Any) -> Iterator[Any]:
        assert self.database is not None
        target_id = spec.target_id or self._fresh_id()
        try:
            runner, paths = self._checked_target(spec)
        except FirestoreError as error:
            yield _removed(target_id, error)
            return
        store, hub = self.database.store, self.database.listens
        with store.lock:
            try:
                seen, start_over = self._resumed(runner, paths, spec)
            except FirestoreError as error:  # a read time in the future
                denial: FirestoreError | None = error
            else:
                denial = None
                if self._closed:
                    return
                if runner is not None:
                    target = hub.attach_query(target_id, self._sink, runner)
                else:
                    target = hub.attach_documents(target_id, self._sink, paths)
                target.seen = seen
                self._drop(target_id)  # an id reused without a remove replaces the old one
                self.targets[target_id] = target
                changes = list(self._full_diff(target, hub.results(target)))
                now = store.next_time()
        if denial is not None:
            yield _removed(target_id, denial)
            return
        yield _Response(
            target_change=_TargetChange(target_change_type=_Kind.ADD, target_ids=[target_id])
        )
        if start_over:
            # Resumed from before the one-hour window (or an unknown token): as production
            # does then, the target starts over from a full state.
            yield _Response(
                target_change=_TargetChange(target_change_type=_Kind.RESET, target_ids=[target_id])
            )
        yield from changes
        yield _Response(
            target_change=_TargetChange(
                target_change_type=_Kind.CURRENT,
                target_ids=[target_id],
                resume_token=_resume_token(now),
                read_time=timestamp_pb(now),
            )
        )
        yield self._global_no_change(now)
        if spec.once:
            self._drop(target_id)
            yield _Response(
                target_change=_TargetChange(target_change_type=_Kind.REMOVE, target_ids=[target_id])
            )

    def _resumed(
        self, runner: QueryRunner | None, paths: list[str], spec: Any
    ) -> tuple[dict[str, Timestamp], bool]:
        """What the client already has when it resumes (the target's results at the
        resume time), so only what changed after it is sent; or nothing and start over
        (True) for a token that names no time or a time before the one-hour window."""
        assert self.database is not None
        if not spec.resume_token and not spec.HasField("read_time"):
            return {}, False
        since = _resumed_at(spec)
        if since is None:
            return {}, True
        try:
            then = self.database.store.at(since)
        except FirestoreError as error:
            if error.code == grpc.StatusCode.FAILED_PRECONDITION:  # too old
                return {}, True
            raise
        if runner is not None:
            return {hit.path: hit.doc.update_time for hit in runner.run(then)}, False
        found = {path: then.get(path) for path in paths}
        return {path: doc.update_time for path, doc in found.items() if doc is not None}, False

    def _checked_target(self, spec: Any) -> tuple[QueryRunner | None, list[str]]:
        """The target's query or document paths, once rules allow listening to it."""
        assert self.database is not None
        gate, store = self.context.gate, self.database.store
        if spec.WhichOneof("target_type") == "documents":
            paths = []
            for name in spec.documents.documents:
                database_id, path = document_path(name)
                gate.check_get(self.caller, database_id, store, path)
                paths.append(path)
            return None, paths
        if spec.WhichOneof("target_type") != "query":
            raise invalid("A target needs documents or a query.")
        database, parent = self.context.parent(spec.query.parent)
        runner = QueryRunner(database.id, parent, spec.query.structured_query)
        gate.check_list(
            self.caller,
            database.id,
            store,
            runner.collection_path,
            constraints_of(runner.query),
            collection_group=runner.is_collection_group,
        )
        return runner, []

    def _on_batch(self, batch: Batch) -> Iterator[Any]:
        """One commit's changes to this stream's targets."""
        assert self.database is not None
        _stamp, items = batch
        live = [(t, d) for t, d in items if self.targets.get(t.id) is t]
        if not live:
            return
        responses: list[Any] = []
        allowed: list[tuple[Target, Delta]] = []
        with self.database.store.lock:  # rules may read other documents
            for target, delta in live:
                denial = self._recheck(target, delta)
                if denial is None:
                    allowed.append((target, delta))
                    continue
                del self.targets[target.id]
                self.database.listens.detach(target)
                responses.append(_removed(target.id, denial))
        for target, delta in allowed:
            responses.extend(self._apply(target, delta))
        yield from responses

    def _recheck(self, target: Target, delta: Delta) -> FirestoreError | None:
        """Rules are judged again for each change a listener would receive (as the official
        emulator does), so access revoked by a write ends the listener; deletes are not.
        Under the store lock."""
        assert self.database is not None
        if target.group is None:
            return self._recheck_documents(delta)
        hub = self.database.listens
        key = (target.group.key, self.caller_key)
        verdict = hub.verdicts.get(key, _UNJUDGED)
        if verdict is _UNJUDGED:
            verdict = self._judge_list(target.group.runner)
            hub.verdicts[key] = verdict
        assert verdict is None or isinstance(verdict, FirestoreError)
        return verdict

    def _judge_list(self, runner: QueryRunner) -> FirestoreError | None:
        assert self.database is not None
        try:
            self.context.gate.check_list(
                self.caller,
                self.database.id,
                self.database.store,
                runner.collection_path,
                constraints_of(runner.query),
                collection_group=runner.is_collection_group,
            )
        except FirestoreError as error:
            return error
        return None

    def _recheck_documents(self, delta: Delta) -> FirestoreError | None:
        assert self.database is not None
        gate, store, database_id = self.context.gate, self.database.store, self.database.id
        try:
            for path, entry in delta.items():
                if entry.doc is not None:
                    gate.check_get(self.caller, database_id, store, path)
        except FirestoreError as error:
            return error
        return None

    def _apply(self, target: Target, delta: Delta) -> Iterator[Any]:
        """The responses that bring the client from ``target.seen`` through a delta."""
        for path, entry in delta.items():
            if entry.doc is not None:
                if target.seen.get(path) != entry.doc.update_time:
                    target.seen[path] = entry.doc.update_time
                    yield self._document_change(target, path, entry.doc)
            elif target.seen.pop(path, None) is not None:
                yield self._document_gone(target, path, exists=entry.exists)

    def _full_diff(self, target: Target, results: dict[str, StoredDoc]) -> Iterator[Any]:
        """Document changes from what the client was last sent to ``results`` (under the
        store lock)."""
        assert self.database is not None
        for path, doc in results.items():
            if target.seen.get(path) != doc.update_time:
                target.seen[path] = doc.update_time
                yield self._document_change(target, path, doc)
        for path in [p for p in target.seen if p not in results]:
            del target.seen[path]
            exists = self.database.store.get(path) is not None
            yield self._document_gone(target, path, exists=exists)

    def _document_change(self, target: Target, path: str, doc: StoredDoc) -> Any:
        assert self.database is not None
        runner = target.runner
        document = document_pb(
            self.database.id, path, doc, runner.project(doc) if runner is not None else None
        )
        return _Response(document_change=_DocumentChange(document=document, target_ids=[target.id]))

    def _document_gone(self, target: Target, path: str, *, exists: bool) -> Any:
        assert self.database is not None
        name = self.database.id.name(path)
        if exists:
            return _Response(
                document_remove=_DocumentRemove(document=name, removed_target_ids=[target.id])
            )
        return _Response(
            document_delete=_DocumentDelete(document=name, removed_target_ids=[target.id])
        )

    def _global_no_change(self, stamp: Timestamp) -> Any:
        # Read times only move forward, also when a batch queued before a newer target's
        # snapshot is answered after it.
        self._read_nanos = max(self._read_nanos, stamp.total_nanos())
        now = Timestamp(self._read_nanos // 1_000_000_000, self._read_nanos % 1_000_000_000)
        return _Response(
            target_change=_TargetChange(
                target_change_type=_Kind.NO_CHANGE,
                resume_token=_resume_token(now),
                read_time=timestamp_pb(now),
            )
        )

    def _fresh_id(self) -> int:
        self._next_id += 1
        return self._next_id
