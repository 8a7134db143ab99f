"""Listen through the official client's on_snapshot: initial snapshot, then adds,
changes and removes, for document and query targets."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

import pytest
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from tests.support.firestore_clients import ROOT, gapic_client

TIMEOUT = 10


class Snapshots:
    """Collects each snapshot's changes as (type, id) pairs."""

    def __init__(self, raw: bool = False) -> None:
        self.seen: queue.Queue[Any] = queue.Queue()
        self.raw = raw

    def __call__(self, docs: Any, changes: Any, read_time: Any) -> None:
        if self.raw:
            self.seen.put(docs)
        else:
            self.seen.put(
                ([d.id for d in docs], sorted((c.type.name, c.document.id) for c in changes))
            )

    def next(self) -> Any:
        return self.seen.get(timeout=TIMEOUT)


@pytest.fixture
def snapshots() -> Iterator[Snapshots]:
    yield Snapshots()


def test_query_listener_sees_adds_changes_and_removes(
    db: firestore.Client,
    snapshots: Snapshots,
) -> None:
    db.document("msgs/a").set({"room": "r1", "n": 1})
    db.document("msgs/other").set({"room": "r2", "n": 0})
    query = db.collection("msgs").where(filter=FieldFilter("room", "==", "r1")).order_by("n")
    watch = query.on_snapshot(snapshots)
    try:
        assert snapshots.next() == (["a"], [("ADDED", "a")])
        db.document("msgs/b").set({"room": "r1", "n": 2})
        assert snapshots.next() == (["a", "b"], [("ADDED", "b")])
        db.document("msgs/a").update({"n": 3})
        assert snapshots.next() == (["b", "a"], [("MODIFIED", "a")])
        db.document("msgs/b").update({"room": "r2"})  # leaves the query
        assert snapshots.next() == (["a"], [("REMOVED", "b")])
        db.document("msgs/a").delete()
        assert snapshots.next() == ([], [("REMOVED", "a")])
        db.document("msgs/other").update({"n": 5})  # outside the query: no snapshot
        db.document("msgs/c").set({"room": "r1", "n": 0})
        assert snapshots.next() == (["c"], [("ADDED", "c")])
    finally:
        watch.unsubscribe()


def test_empty_query_gets_an_initial_snapshot(db: firestore.Client, snapshots: Snapshots) -> None:
    watch = db.collection("nothing").on_snapshot(snapshots)
    try:
        assert snapshots.next() == ([], [])
    finally:
        watch.unsubscribe()


def test_limit_query_keeps_the_first_documents(db: firestore.Client, snapshots: Snapshots) -> None:
    for n in (1, 2, 3):
        db.document(f"top/d{n}").set({"n": n})
    watch = db.collection("top").order_by("n").limit(2).on_snapshot(snapshots)
    try:
        assert snapshots.next() == (["d1", "d2"], [("ADDED", "d1"), ("ADDED", "d2")])
        db.document("top/d0").set({"n": 0})
        assert snapshots.next() == (["d0", "d1"], [("ADDED", "d0"), ("REMOVED", "d2")])
    finally:
        watch.unsubscribe()


def test_document_listener(db: firestore.Client) -> None:
    snapshots = Snapshots(raw=True)
    ref = db.document("rooms/r1")
    watch = ref.on_snapshot(snapshots)
    try:
        assert snapshots.next() == []  # the client reports a missing document as no docs
        ref.set({"name": "one"})
        assert [s.to_dict() for s in snapshots.next()] == [{"name": "one"}]
        ref.update({"name": "uno"})
        assert [s.to_dict() for s in snapshots.next()] == [{"name": "uno"}]
        ref.delete()
        assert snapshots.next() == []
    finally:
        watch.unsubscribe()


def test_collection_group_listener(db: firestore.Client, snapshots: Snapshots) -> None:
    watch = db.collection_group("messages").on_snapshot(snapshots)
    try:
        assert snapshots.next() == ([], [])
        db.document("rooms/r1/messages/m1").set({"t": 1})
        assert snapshots.next() == (["m1"], [("ADDED", "m1")])
    finally:
        watch.unsubscribe()


def test_many_listeners_each_see_the_write(db: firestore.Client) -> None:
    listeners = [Snapshots() for _ in range(5)]
    watches = [db.collection("fan").on_snapshot(listener) for listener in listeners]
    try:
        for listener in listeners:
            assert listener.next() == ([], [])
        db.document("fan/x").set({"v": 1})
        for listener in listeners:
            assert listener.next() == (["x"], [("ADDED", "x")])
    finally:
        for watch in watches:
            watch.unsubscribe()


def _listen(address: str, target: dict) -> list:
    """Raw Listen responses up to the first global NO_CHANGE (plus a trailing REMOVE)."""
    api = gapic_client(address)
    request = {"database": ROOT.removesuffix("/documents"), "add_target": target}
    stream = api.listen(iter([request]), metadata=[("authorization", "Bearer owner")])
    kinds = []
    for response in stream:
        change = response.target_change
        kind = response._pb.WhichOneof("response_type")
        kinds.append(change.target_change_type.name if kind == "target_change" else kind)
        if kind == "target_change" and not change.target_ids and kinds[-1] == "NO_CHANGE":
            if not target.get("once"):
                break
        if kinds[-1] == "REMOVE":
            break
    stream.cancel()
    return kinds


def test_resumed_target_is_reset_and_once_targets_end(db: firestore.Client, address: str) -> None:
    db.document("rooms/r1").set({"v": 1})
    documents = {"documents": [f"{ROOT}/rooms/r1"]}
    assert _listen(address, {"target_id": 1, "documents": documents}) == [
        "ADD",
        "document_change",
        "CURRENT",
        "NO_CHANGE",
    ]
    assert _listen(
        address, {"target_id": 1, "documents": documents, "resume_token": b"\x00\x01"}
    ) == ["ADD", "RESET", "document_change", "CURRENT", "NO_CHANGE"]
    assert _listen(address, {"target_id": 1, "documents": documents, "once": True}) == [
        "ADD",
        "document_change",
        "CURRENT",
        "NO_CHANGE",
        "REMOVE",
    ]
