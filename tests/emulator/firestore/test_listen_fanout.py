"""Listen fan-out (one evaluation per distinct query and commit, only against the changed
documents): many listeners of one query each get exactly their changes, windows of
limited queries move, cursors still bound, and rules are judged per listener."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore import FieldFilter
from google.cloud.firestore_v1.types import firestore as fs

from tests.emulator.firestore.test_listen import Snapshots
from tests.support.firestore_clients import ROOT as ROOT_OWN
from tests.support.firestore_clients import admin_client, clear, gapic_client, set_rules
from tests.support.id_tokens import id_token

TIMEOUT = 10
PROJECT = "demo-fanout"
DATABASE = f"projects/{PROJECT}/databases/(default)"
ROOT = f"{DATABASE}/documents"
RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /rooms/{room}/msgs/{msg} {
      allow read: if exists(
        /databases/$(database)/documents/rooms/$(room)/members/$(request.auth.uid));
    }
  }
}
"""


@pytest.fixture
def fanout_db(address: str, rest: httpx.Client) -> Iterator[firestore.Client]:
    assert set_rules(rest, RULES, PROJECT).status_code == 200
    yield admin_client(address, PROJECT)
    clear(rest, PROJECT)


@pytest.fixture
def snapshots() -> Snapshots:
    return Snapshots()


def _snapshot_sequence(listener: Snapshots, count: int) -> list[Any]:
    return [listener.next() for _ in range(count)]


def test_many_listeners_of_one_query_each_get_exactly_their_changes(
    db: firestore.Client,
) -> None:
    in_room = db.collection("chat").where(filter=FieldFilter("room", "==", "r1")).order_by("n")
    other_room = db.collection("chat").where(filter=FieldFilter("room", "==", "r2"))
    shared = [Snapshots() for _ in range(12)]
    others = [Snapshots() for _ in range(3)]
    watches = [in_room.on_snapshot(s) for s in shared] + [other_room.on_snapshot(s) for s in others]
    try:
        for listener in shared + others:
            assert listener.next() == ([], [])
        db.document("chat/a").set({"room": "r1", "n": 1})
        db.document("chat/x").set({"room": "r2", "n": 9})
        db.document("chat/b").set({"room": "r1", "n": 2})
        db.document("chat/a").update({"n": 3})
        db.document("chat/b").update({"room": "r2"})  # leaves r1, enters r2
        db.document("chat/a").delete()
        expected_shared = [
            (["a"], [("ADDED", "a")]),
            (["a", "b"], [("ADDED", "b")]),
            (["b", "a"], [("MODIFIED", "a")]),
            (["a"], [("REMOVED", "b")]),
            ([], [("REMOVED", "a")]),
        ]
        expected_others = [(["x"], [("ADDED", "x")]), (["b", "x"], [("ADDED", "b")])]
        for listener in shared:
            assert _snapshot_sequence(listener, 5) == expected_shared
        for listener in others:
            assert _snapshot_sequence(listener, 2) == expected_others
        for listener in shared + others:
            assert listener.seen.empty()  # nothing more than its own changes
    finally:
        for watch in watches:
            watch.unsubscribe()


def test_limit_window_moves_when_a_document_inside_it_is_deleted(
    db: firestore.Client, snapshots: Snapshots
) -> None:
    for n in (1, 2, 3, 4):
        db.document(f"win/d{n}").set({"n": n})
    watch = db.collection("win").order_by("n").limit(2).on_snapshot(snapshots)
    try:
        assert snapshots.next() == (["d1", "d2"], [("ADDED", "d1"), ("ADDED", "d2")])
        db.document("win/d1").delete()
        assert snapshots.next() == (["d2", "d3"], [("ADDED", "d3"), ("REMOVED", "d1")])
        db.document("win/d9").set({"n": 9})  # outside the window: no snapshot
        db.document("win/d3").update({"n": 10})  # moves out of the window; d4 moves in
        assert snapshots.next() == (["d2", "d4"], [("ADDED", "d4"), ("REMOVED", "d3")])
    finally:
        watch.unsubscribe()
    assert snapshots.seen.empty()


def test_cursor_query_listener_only_sees_documents_after_its_cursor(
    db: firestore.Client, snapshots: Snapshots
) -> None:
    db.document("cur/d1").set({"n": 1})
    db.document("cur/d5").set({"n": 5})
    watch = db.collection("cur").order_by("n").start_after({"n": 2}).on_snapshot(snapshots)
    try:
        assert snapshots.next() == (["d5"], [("ADDED", "d5")])
        db.document("cur/d0").set({"n": 0})  # before the cursor: no snapshot
        db.document("cur/d3").set({"n": 3})
        assert snapshots.next() == (["d3", "d5"], [("ADDED", "d3")])
        db.document("cur/d5").update({"n": 1})  # moves before the cursor
        assert snapshots.next() == (["d3"], [("REMOVED", "d5")])
    finally:
        watch.unsubscribe()
    assert snapshots.seen.empty()


class RawListen:
    """A Listen stream as an end user, its responses collected on a thread."""

    def __init__(self, address: str, uid: str, parent: str, collection: str) -> None:
        target = {
            "target_id": 7,
            "query": {
                "parent": parent,
                "structured_query": {"from_": [{"collection_id": collection}]},
            },
        }
        requests: queue.Queue[Any] = queue.Queue()
        requests.put({"database": DATABASE, "add_target": target})
        self._requests = requests
        self.responses: queue.Queue[Any] = queue.Queue()
        metadata = [("authorization", f"Bearer {id_token(uid, project_id=PROJECT)}")]
        self.call = gapic_client(address).listen(iter(requests.get, None), metadata=metadata)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for response in self.call:
                self.responses.put(response._pb)
        except exceptions.GoogleAPICallError:
            pass  # cancelled at the end of the test

    def until_no_change(self) -> list[tuple[str, Any]]:
        """Responses up to the next global NO_CHANGE, or up to a REMOVE of the target."""
        got: list[tuple[str, Any]] = []
        while True:
            response = self.responses.get(timeout=TIMEOUT)
            kind = response.WhichOneof("response_type")
            if kind == "document_change":
                got.append(("change", response.document_change.document.name.rsplit("/")[-1]))
                continue
            change = response.target_change
            name = type(change).TargetChangeType.Name(change.target_change_type)
            got.append((name, change.cause.code))
            if name == "REMOVE" or (name == "NO_CHANGE" and not change.target_ids):
                return got

    def close(self) -> None:
        self._requests.put(None)
        self.call.cancel()


def test_listener_whose_access_is_revoked_is_removed_at_the_next_change(
    address: str, fanout_db: firestore.Client
) -> None:
    room = fanout_db.document("rooms/r1")
    room.collection("members").document("alice").set({"role": "member"})
    room.collection("members").document("bob").set({"role": "member"})
    parent = f"{ROOT}/rooms/r1"
    alice, bob = (RawListen(address, uid, parent, "msgs") for uid in ("alice", "bob"))
    alice_too = RawListen(address, "alice", parent, "msgs")  # same auth: one verdict
    try:
        for listener in (alice, bob, alice_too):
            assert listener.until_no_change() == [("ADD", 0), ("CURRENT", 0), ("NO_CHANGE", 0)]
        room.collection("members").document("bob").delete()  # out of the query's scope
        room.collection("msgs").document("m1").set({"text": "hi"})
        for listener in (alice, alice_too):
            assert listener.until_no_change() == [("change", "m1"), ("NO_CHANGE", 0)]
        assert bob.until_no_change() == [("REMOVE", 7)]  # PERMISSION_DENIED
        room.collection("msgs").document("m2").set({"text": "still there?"})
        assert alice.until_no_change() == [("change", "m2"), ("NO_CHANGE", 0)]
        time.sleep(0.5)
        later = [bob.responses.get_nowait() for _ in range(bob.responses.qsize())]
        # The removed target gets nothing more (only global NO_CHANGEs may follow).
        assert all(r.WhichOneof("response_type") == "target_change" for r in later)
        assert all(not r.target_change.target_ids for r in later)
    finally:
        for listener in (alice, bob, alice_too):
            listener.close()


def test_open_streams_hold_no_server_thread(address: str, db: firestore.Client) -> None:
    """Listen streams are tasks on the emulator's event loop: 200 open streams (a grpc.aio
    client, which holds no thread per call either) leave the thread count as it was (the
    thread-per-stream server grew by dozens here)."""
    db.document("many/d").set({"v": 1})
    target = {
        "target_id": 1,
        "query": {"parent": ROOT_OWN, "structured_query": {"from_": [{"collection_id": "many"}]}},
    }
    request = fs.ListenRequest(database=ROOT_OWN.removesuffix("/documents"), add_target=target)

    async def open_streams(count: int) -> int:
        async with grpc.aio.insecure_channel(address) as channel:
            listen = channel.stream_stream(
                "/google.firestore.v1.Firestore/Listen",
                request_serializer=fs.ListenRequest.serialize,
                response_deserializer=fs.ListenResponse.deserialize,
            )
            metadata = (("authorization", "Bearer owner"),)
            calls = [listen(iter([request]), metadata=metadata) for _ in range(count)]
            for call in calls:
                while True:  # up to the initial snapshot's global NO_CHANGE
                    response = await asyncio.wait_for(call.read(), TIMEOUT)
                    change = response.target_change
                    if change.target_change_type == change.TargetChangeType.NO_CHANGE:
                        break
            threads = threading.active_count()
            for call in calls:
                call.cancel()
            return threads

    before = threading.active_count()
    during = asyncio.run(open_streams(200))
    assert during - before < 20, (before, during)
