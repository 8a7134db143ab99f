"""The Listen stream: document and query targets, an initial snapshot (ADD, documents,
CURRENT, then a global NO_CHANGE carrying the read time), then adds / changes /
removes after each commit that touches a target."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.cloud.firestore_v1.types import firestore as fs
from google.cloud.firestore_v1.types import write as write_types
from google.rpc import status_pb2

from emulator.firestore.backend import Database
from emulator.firestore.context import Context
from emulator.firestore.errors import FirestoreError, invalid
from emulator.firestore.history import StoreView
from emulator.firestore.identity import Caller
from emulator.firestore.names import document_path
from emulator.firestore.protos import document_pb, from_timestamp_pb, timestamp_pb
from emulator.firestore.query import QueryRunner
from emulator.firestore.query_constraints import constraints_of
from emulator.firestore.store import Store, StoredDoc
from emulator.firestore.values import Timestamp

_Response = fs.ListenResponse.pb()
_TargetChange = fs.TargetChange.pb()
_Kind = _TargetChange.TargetChangeType
_POLL_SECONDS = 0.5


@dataclass
class Target:
    id: int
    runner: QueryRunner | None = None  # a query target
    paths: list[str] = field(default_factory=list)  # a documents target
    seen: dict[str, Timestamp] = field(default_factory=dict)  # path -> update time sent

    def affected_by(self, path: str) -> bool:
        """Whether a write to ``path`` can change this target's results."""
        if self.runner is None:
            return path in self.paths
        return path in self.seen or self.runner.in_scope(path)

    def results(
        self, database: Database, store: Store | StoreView | None = None
    ) -> dict[str, StoredDoc]:
        """What the target holds now, or in ``store`` (the database at a past time)."""
        source = store if store is not None else database.store
        if self.runner is not None:
            return {hit.path: hit.doc for hit in self.runner.run(source)}
        found = {path: source.get(path) for path in self.paths}
        return {path: doc for path, doc in found.items() if doc is not None}


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
    """One client's Listen call: reads requests on a thread, answers from a queue."""

    def __init__(self, context: Context, caller: Caller) -> None:
        self.context = context
        self.caller = caller
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.targets: dict[int, Target] = {}
        self.database: Database | None = None
        self._unsubscribe: Any = None
        self._next_id = 1 << 20

    def run(self, requests: Iterator[Any], active: Any) -> Iterator[Any]:
        threading.Thread(target=self._read, args=(requests,), daemon=True).start()
        try:
            while active():
                try:
                    kind, payload = self.events.get(timeout=_POLL_SECONDS)
                except queue.Empty:
                    continue
                if kind == "end":
                    return
                if kind == "request":
                    yield from self._on_request(payload)
                else:
                    yield from self._on_change({payload, *self._drain_changes()})
        finally:
            if self._unsubscribe is not None:
                self._unsubscribe()

    def _read(self, requests: Iterator[Any]) -> None:
        try:
            for request in requests:
                self.events.put(("request", request))
        except Exception:  # the client went away; the stream simply ends
            pass
        self.events.put(("end", None))

    def _drain_changes(self) -> set[str]:
        """Collects every queued changed path into one pass (requests stay queued)."""
        pending, paths = [], set()
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                break
            if event[0] == "change":
                paths.add(event[1])
            else:
                pending.append(event)
        for event in pending:
            self.events.put(event)
        return paths

    def _on_request(self, request: Any) -> Iterator[Any]:
        if self.database is None:
            self.database = self.context.database(request.database)
            self._unsubscribe = self.database.store.subscribe(
                lambda path, _before, _after: self.events.put(("change", path))
            )
        kind = request.WhichOneof("target_change")
        if kind == "remove_target":
            self.targets.pop(request.remove_target, None)
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
            target = self._target(target_id, spec)
        except FirestoreError as error:
            yield _removed(target_id, error)
            return
        start_over = False
        if spec.resume_token or spec.HasField("read_time"):
            try:
                start_over = not self._resume(target, _resumed_at(spec))
            except FirestoreError as error:
                if error.code != grpc.StatusCode.FAILED_PRECONDITION:  # a time in the future
                    yield _removed(target_id, error)
                    return
                start_over = True
        self.targets[target_id] = target
        yield _Response(
            target_change=_TargetChange(target_change_type=_Kind.ADD, target_ids=[target_id])
        )
        if start_over:
            # Resumed from before the one-hour window (or an unknown token): as production
            # does then, the target starts over from a full state.
            yield _Response(
                target_change=_TargetChange(target_change_type=_Kind.RESET, target_ids=[target_id])
            )
        with self.database.store.lock:
            changes = list(self._diff(target))
            now = self.database.store.next_time()
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
            del self.targets[target_id]
            yield _Response(
                target_change=_TargetChange(target_change_type=_Kind.REMOVE, target_ids=[target_id])
            )

    def _resume(self, target: Target, since: Timestamp | None) -> bool:
        """Marks what the client already has (the target's results at ``since``), so only
        what changed after it is sent; False for a token that names no time."""
        assert self.database is not None
        if since is None:
            return False
        with self.database.store.lock:
            then = self.database.store.at(since)
            for path, doc in target.results(self.database, then).items():
                target.seen[path] = doc.update_time
        return True

    def _target(self, target_id: int, spec: Any) -> Target:
        assert self.database is not None
        gate, store = self.context.gate, self.database.store
        if spec.WhichOneof("target_type") == "documents":
            paths = []
            for name in spec.documents.documents:
                database_id, path = document_path(name)
                gate.check_get(self.caller, database_id, store, path)
                paths.append(path)
            return Target(target_id, paths=paths)
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
        return Target(target_id, runner=runner)

    def _on_change(self, paths: set[str]) -> Iterator[Any]:
        if self.database is None:
            return
        affected = [t for t in self.targets.values() if any(t.affected_by(p) for p in paths)]
        changes: list[Any] = []
        with self.database.store.lock:
            for target in affected:
                denial = self._recheck(target, paths)
                if denial is None:
                    changes.extend(self._diff(target))
                    continue
                del self.targets[target.id]
                changes.append(_removed(target.id, denial))
            now = self.database.store.next_time()
        if changes:
            yield from changes
            yield self._global_no_change(now)

    def _recheck(self, target: Target, paths: set[str]) -> FirestoreError | None:
        """Rules are judged again for each change a listener would receive (as the official
        emulator does), so access revoked by a write ends the listener; deletes are not."""
        assert self.database is not None
        gate, store, database_id = self.context.gate, self.database.store, self.database.id
        try:
            if target.runner is None:
                for path in target.paths:
                    if path in paths and store.get(path) is not None:
                        gate.check_get(self.caller, database_id, store, path)
            else:
                runner = target.runner
                gate.check_list(
                    self.caller,
                    database_id,
                    store,
                    runner.collection_path,
                    constraints_of(runner.query),
                    collection_group=runner.is_collection_group,
                )
        except FirestoreError as error:
            return error
        return None

    def _diff(self, target: Target) -> Iterator[Any]:
        """Document changes since what the client was last sent for a target."""
        assert self.database is not None
        database = self.database
        results = target.results(database)
        for path, doc in results.items():
            if target.seen.get(path) != doc.update_time:
                target.seen[path] = doc.update_time
                change = write_types.DocumentChange.pb()(
                    document=document_pb(
                        database.id,
                        path,
                        doc,
                        target.runner.project(doc) if target.runner else None,
                    ),
                    target_ids=[target.id],
                )
                yield _Response(document_change=change)
        for path in [p for p in target.seen if p not in results]:
            del target.seen[path]
            name = database.id.name(path)
            if database.store.get(path) is None:
                yield _Response(
                    document_delete=write_types.DocumentDelete.pb()(
                        document=name, removed_target_ids=[target.id]
                    )
                )
            else:
                yield _Response(
                    document_remove=write_types.DocumentRemove.pb()(
                        document=name, removed_target_ids=[target.id]
                    )
                )

    def _global_no_change(self, now: Timestamp) -> Any:
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
