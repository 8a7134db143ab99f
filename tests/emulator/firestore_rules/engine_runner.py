"""Runs a rules case straight through the engine, building the AccessRequests the way
the emulator does (create vs update from the stored state, merged post-write data,
post-batch reads for getAfter)."""

from __future__ import annotations

from typing import Any

from emulator.firestore.values import Timestamp
from emulator.firestore_rules import (
    AccessRequest,
    Decision,
    FieldFilter,
    QueryConstraints,
    StoredDocument,
    load_ruleset,
)
from tests.emulator.firestore_rules.case_types import (
    Actor,
    Batch,
    Create,
    Delete,
    Get,
    Query,
    RulesCase,
    ServerTime,
    Set,
    Transaction,
    Update,
    Write,
    rules_file,
)

# One request time for the whole run, as a server would stamp "now".
REQUEST_TIME = Timestamp.now()


class MemoryReader:
    """get() reads the stored documents, get_after() the state after the batch."""

    def __init__(self, before: dict[str, dict], after: dict[str, dict]) -> None:
        self.before = before
        self.after = after

    def get(self, path: str) -> StoredDocument | None:
        return _stored(path, self.before)

    def get_after(self, path: str) -> StoredDocument | None:
        return _stored(path, self.after)


def _stored(path: str, documents: dict[str, dict]) -> StoredDocument | None:
    if path not in documents:
        return None
    return StoredDocument(path, documents[path], REQUEST_TIME, REQUEST_TIME)


def auth_of(actor: Actor) -> dict[str, Any] | None:
    """request.auth as the emulator derives it from the actor's ID token."""
    if actor.uid is None:
        return None
    token = {"sub": actor.uid, "user_id": actor.uid, "firebase": {"sign_in_provider": "custom"}}
    return {"uid": actor.uid, "token": {**token, **actor.claims}}


def resolve(value: Any) -> Any:
    """Replaces server-timestamp sentinels with the request time."""
    if isinstance(value, ServerTime):
        return REQUEST_TIME
    if isinstance(value, dict):
        return {key: resolve(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item) for item in value]
    return value


def decide(case: RulesCase) -> Decision:
    ruleset = load_ruleset(rules_file(case.rules))
    store = {path: resolve(data) for path, data in case.seed.items()}
    auth = auth_of(case.actor)
    request = case.request
    if isinstance(request, Get):
        stored = _stored(request.path, store)
        access = AccessRequest("get", request.path, auth, REQUEST_TIME, stored)
        return ruleset.authorize(access, MemoryReader(store, store))
    if isinstance(request, Query):
        return ruleset.authorize(_list_request(request, auth), MemoryReader(store, store))
    writes = request.writes if isinstance(request, Batch | Transaction) else (request,)
    after = dict(store)
    accesses = [_write_request(write, auth, after) for write in writes]
    reader = MemoryReader(store, after)
    if len(accesses) == 1:
        return ruleset.authorize(accesses[0], reader)
    return ruleset.authorize_all(accesses, reader)


def _write_request(write: Write, auth: dict | None, state: dict[str, dict]) -> AccessRequest:
    """The AccessRequest of one write; applies the write to ``state``."""
    before = _stored(write.path, state)
    if isinstance(write, Delete):
        state.pop(write.path, None)
        return AccessRequest("delete", write.path, auth, REQUEST_TIME, before)
    data = resolve(write.data)
    if isinstance(write, Update):
        if before is None:
            raise AssertionError(f"case updates a missing document {write.path}")
        data = {**before.data, **data}
    if isinstance(write, Create) and before is not None:
        raise AssertionError(f"case creates an existing document {write.path}")
    state[write.path] = data
    method = "update" if before is not None and isinstance(write, Set | Update) else "create"
    return AccessRequest(method, write.path, auth, REQUEST_TIME, before, new_data=data)


def _list_request(query: Query, auth: dict | None) -> AccessRequest:
    groups = query.any_of or (query.where,)
    disjuncts = [[FieldFilter(f, op, resolve(v)) for f, op, v in group] for group in groups]
    constraints = QueryConstraints(
        disjuncts=disjuncts,
        limit=query.limit,
        offset=query.offset,
        order_by=[(name, direction) for name, direction in query.order_by],  # type: ignore[misc]
    )
    return AccessRequest(
        "list",
        query.collection,
        auth,
        REQUEST_TIME,
        query=constraints,
        collection_group=query.group,
    )
