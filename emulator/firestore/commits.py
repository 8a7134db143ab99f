"""Write RPCs: Commit, BatchWrite, CreateDocument, UpdateDocument, DeleteDocument,
BeginTransaction and Rollback."""

from __future__ import annotations

import os
from typing import Any

import grpc
from google.cloud.firestore_v1.types import firestore as fs
from google.cloud.firestore_v1.types import write as write_types
from google.protobuf import empty_pb2
from google.rpc import status_pb2

from emulator.firestore import field_paths
from emulator.firestore.backend import Database
from emulator.firestore.context import Context
from emulator.firestore.errors import FirestoreError, invalid
from emulator.firestore.identity import Caller
from emulator.firestore.names import DatabaseId, document_path, split_name
from emulator.firestore.protos import document_pb, from_timestamp_pb, timestamp_pb, value_pb
from emulator.firestore.writes import CommitPlan, PlannedWrite, target_name

_Write = write_types.Write.pb()
_WriteResult = write_types.WriteResult.pb()


class Commits:
    context: Context

    def commit(self, request: Any, caller: Caller) -> Any:
        database = self.context.database(request.database)
        plan = self._commit(database, list(request.writes), caller, request.transaction or None)
        response = fs.CommitResponse.pb()(commit_time=timestamp_pb(plan.commit_time))
        response.write_results.extend(self.write_results(plan))
        return response

    def commit_writes(self, database: Database, writes: list[Any], caller: Caller) -> CommitPlan:
        """Commits writes atomically outside any transaction (the Write stream's path)."""
        return self._commit(database, writes, caller, None)

    def write_results(self, plan: CommitPlan) -> list[Any]:
        return [_result(plan.commit_time, w) for w in plan.writes]

    def batch_write(self, request: Any, caller: Caller) -> Any:
        """Each write applied on its own; one failing does not stop the others."""
        database = self.context.database(request.database)
        response = fs.BatchWriteResponse.pb()()
        for write in request.writes:
            try:
                plan = self._commit(database, [write], caller, None)
            except FirestoreError as error:
                response.write_results.append(_WriteResult())
                response.status.append(
                    status_pb2.Status(code=error.code.value[0], message=error.message)
                )
                continue
            response.write_results.append(_result(plan.commit_time, plan.writes[0]))
            response.status.append(status_pb2.Status(code=0))
        return response

    def begin_transaction(self, request: Any, caller: Caller) -> Any:
        database = self.context.database(request.database)
        read_only = request.options.WhichOneof("mode") == "read_only"
        retry_of = request.options.read_write.retry_transaction
        read_time = None
        if read_only and request.options.read_only.HasField("read_time"):
            read_time = from_timestamp_pb(request.options.read_only.read_time)
            with database.store.lock:
                database.store.at(read_time)  # the backend's error for a time out of range
        transaction = database.transactions.begin(read_only, retry_of, read_time)
        return fs.BeginTransactionResponse.pb()(transaction=transaction)

    def rollback(self, request: Any, caller: Caller) -> Any:
        database = self.context.database(request.database)
        # Idempotent: clients roll back after a failed commit, which already ended it.
        database.transactions.finish(request.transaction)
        return empty_pb2.Empty()

    def create_document(self, request: Any, caller: Caller) -> Any:
        database_id, parent = split_name(request.parent)
        if parent and len(parent.split("/")) % 2:
            raise invalid(f"Invalid parent {request.parent!r}.")
        collection = f"{parent}/{request.collection_id}" if parent else request.collection_id
        document_id = request.document_id or os.urandom(10).hex()[:20]
        path = f"{collection}/{document_id}"
        write = _Write(update=request.document)
        write.update.name = database_id.name(path)
        write.current_document.exists = False
        return self._single(database_id, write, caller, request)

    def update_document(self, request: Any, caller: Caller) -> Any:
        database_id, _ = document_path(request.document.name)
        write = _Write(update=request.document)
        if request.HasField("update_mask"):
            write.update_mask.CopyFrom(request.update_mask)
        if request.HasField("current_document"):
            write.current_document.CopyFrom(request.current_document)
        return self._single(database_id, write, caller, request)

    def delete_document(self, request: Any, caller: Caller) -> Any:
        database_id, _ = document_path(request.name)
        write = _Write(delete=request.name)
        if request.HasField("current_document"):
            write.current_document.CopyFrom(request.current_document)
        database = self.context.backend.database(database_id)
        self._commit(database, [write], caller, None)
        return empty_pb2.Empty()

    def _single(self, database_id: DatabaseId, write: Any, caller: Caller, request: Any) -> Any:
        """Commits one write and answers the resulting document (masked if asked)."""
        database = self.context.backend.database(database_id)
        plan = self._commit(database, [write], caller, None)
        written = plan.writes[0]
        assert written.after is not None
        data = field_paths.masked(written.after.data, field_paths.request_mask(request))
        return document_pb(database_id, written.path, written.after, data)

    def _commit(
        self, database: Database, writes: list[Any], caller: Caller, transaction: bytes | None
    ) -> CommitPlan:
        store = database.store
        with store.lock:
            if transaction is not None:
                paths = [document_path(target_name(w))[1] for w in writes]
                database.transactions.prepare_commit(transaction, paths)
            try:
                plan = CommitPlan(store, database.id, store.next_time())
                for write in writes:
                    self._add(plan, write, caller)
                self.context.gate.check_commit(
                    caller, database.id, plan, in_transaction=transaction is not None
                )
                store.apply(plan.changes(), plan.commit_time)
            finally:
                if transaction is not None:
                    database.transactions.finish(transaction)
        return plan

    def _add(self, plan: CommitPlan, write: Any, caller: Caller) -> None:
        """Plans one write. A failed precondition answers only a caller who may read the
        document: to others the answer would tell whether it exists (PERMISSION_DENIED)."""
        try:
            plan.add(write)
        except FirestoreError as failed:
            if caller.admin or failed.code not in PRECONDITION_CODES:
                raise
            path = document_path(target_name(write))[1]
            self.context.gate.check_get(caller, plan.database, plan.store, path)
            raise


# What a failed precondition answers: the document's existence or update time.
PRECONDITION_CODES = frozenset(
    {grpc.StatusCode.NOT_FOUND, grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.FAILED_PRECONDITION}
)


def _result(commit_time: Any, planned: PlannedWrite) -> Any:
    result = _WriteResult()
    if not planned.is_delete and not planned.is_verify:
        result.update_time.CopyFrom(timestamp_pb(commit_time))
    result.transform_results.extend(value_pb(v) for v in planned.transform_results)
    return result
