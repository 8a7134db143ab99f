"""Asks the rules engine about every non-admin request, building the AccessRequests of
the contract in emulator/firestore_rules/api.py."""

from __future__ import annotations

from typing import Any

import grpc

from emulator.firestore.errors import FirestoreError
from emulator.firestore.history import StoreView
from emulator.firestore.identity import Caller
from emulator.firestore.names import DatabaseId
from emulator.firestore.rules import RulesRegistry
from emulator.firestore.store import Store, StoredDoc
from emulator.firestore.values import Timestamp
from emulator.firestore.writes import CommitPlan, PlannedWrite
from emulator.firestore_rules.api import (
    AccessRequest,
    Decision,
    QueryConstraints,
    StoredDocument,
)


def as_stored(path: str, doc: StoredDoc | None) -> StoredDocument | None:
    if doc is None:
        return None
    return StoredDocument(path, doc.data, doc.create_time, doc.update_time)


class StoreReader:
    """get() sees the store; get_after() sees it with a planned commit applied."""

    def __init__(self, store: Store | StoreView, plan: CommitPlan | None = None) -> None:
        self.store = store
        self.plan = plan

    def get(self, path: str) -> StoredDocument | None:
        return as_stored(path, self.store.get(path))

    def get_after(self, path: str) -> StoredDocument | None:
        doc = self.plan.current(path) if self.plan else self.store.get(path)
        return as_stored(path, doc)


class Gate:
    """Allows or denies requests of non-admin callers."""

    def __init__(self, rules: RulesRegistry) -> None:
        self.rules = rules

    def check_get(
        self, caller: Caller, database: DatabaseId, store: Store | StoreView, path: str
    ) -> None:
        if caller.admin:
            return
        request = self._request(caller, database, "get", path, resource=store.get(path))
        self._enforce(database, lambda r: r.authorize(request, StoreReader(store)))

    def check_list(
        self,
        caller: Caller,
        database: DatabaseId,
        store: Store | StoreView,
        path: str,
        constraints: QueryConstraints,
        collection_group: bool,
    ) -> None:
        if caller.admin:
            return
        request = AccessRequest(
            method="list",
            path=path,
            auth=caller.auth,
            time=Timestamp.now(),
            query=constraints,
            collection_group=collection_group,
            database=database.database,
        )
        self._enforce(database, lambda r: r.authorize(request, StoreReader(store)))

    def check_commit(
        self, caller: Caller, database: DatabaseId, plan: CommitPlan, in_transaction: bool = False
    ) -> None:
        """A lone write is a single-document request; batches and transactions are judged
        together (post-commit state, the larger access-call budget)."""
        if caller.admin or not plan.writes:
            return
        # A verify "only requires read access to the document" (the API reference): without
        # it, a verify-only commit would tell anyone whether a document exists.
        for write in plan.writes:
            if write.is_verify:
                self.check_get(caller, database, plan.store, write.path)
        # request.time is the commit time, so `== request.time` holds for REQUEST_TIME transforms.
        # A verify writes nothing: its read access was judged above.
        requests = [
            self._write_request(caller, database, write, plan.commit_time)
            for write in plan.writes
            if not write.is_verify
        ]
        if not requests:
            return
        reader = StoreReader(plan.store, plan)
        if len(requests) == 1 and not in_transaction:
            self._enforce(database, lambda r: r.authorize(requests[0], reader))
        else:
            self._enforce(database, lambda r: r.authorize_all(requests, reader))

    def _write_request(
        self, caller: Caller, database: DatabaseId, write: PlannedWrite, time: Timestamp
    ) -> AccessRequest:
        if write.is_delete:
            method = "delete"
        else:
            method = "update" if write.before is not None else "create"
        return self._request(
            caller,
            database,
            method,
            write.path,
            resource=write.before,
            new_data=write.after.data if write.after else None,
            time=time,
        )

    def _request(
        self,
        caller: Caller,
        database: DatabaseId,
        method: Any,
        path: str,
        resource: StoredDoc | None,
        new_data: dict | None = None,
        time: Timestamp | None = None,
    ) -> AccessRequest:
        return AccessRequest(
            method=method,
            path=path,
            auth=caller.auth,
            time=time or Timestamp.now(),
            resource=as_stored(path, resource),
            new_data=new_data,
            database=database.database,
        )

    def _enforce(self, database: DatabaseId, decide: Any) -> None:
        ruleset = self.rules.ruleset_for(database.project)
        if ruleset is None:
            raise FirestoreError(
                grpc.StatusCode.PERMISSION_DENIED,
                "No security rules are loaded: every non-admin request is denied.",
            )
        decision: Decision = decide(ruleset)
        if not decision.allowed:
            # The official emulator starts its denial message with a newline
            # ("\nfalse for 'get' @ L5"); tools that print or match it expect that.
            raise FirestoreError(
                grpc.StatusCode.PERMISSION_DENIED,
                "\n" + (decision.message or "Missing or insufficient permissions."),
            )
