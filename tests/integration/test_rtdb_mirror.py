"""The roomMembers/{roomId}/{uid} mirror in the Realtime Database follows membership."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from firebase_admin import db
from flowchat.adapters import firebase_app
from flowchat.adapters.projector import FirebaseProjector, projecting_with

RTDB_URL = "https://demo-flowchat-default-rtdb.firebaseio.com"


@pytest.fixture
def with_rtdb(database_emulator: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Turn the RTDB mirror on for this test."""
    monkeypatch.setenv("RTDB_URL", RTDB_URL)
    with projecting_with(FirebaseProjector(firebase_app.firestore_client(), RTDB_URL, 5.0)):
        yield


def _flag(room_id: str, uid: str) -> object:
    return db.reference(f"roomMembers/{room_id}/{uid}", app=firebase_app.app(), url=RTDB_URL).get()


def test_membership_is_mirrored_and_revoked(call, with_rtdb, new_user) -> None:
    owner, guest = new_user(), new_user()
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Live", "memberIds": [guest["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    assert _flag(room_id, owner["uid"]) is True
    assert _flag(room_id, guest["uid"]) is True
    assert call("remove_member", {"roomId": room_id, "userId": guest["uid"]}, uid=owner["uid"]).ok
    assert _flag(room_id, guest["uid"]) is None
    assert _flag(room_id, owner["uid"]) is True


def test_leaving_and_coming_back_follow_in_the_mirror(call, with_rtdb, new_user) -> None:
    owner, guest = new_user(), new_user()
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Door", "memberIds": [guest["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    assert call("leave_room", {"roomId": room_id}, uid=guest["uid"]).ok
    assert _flag(room_id, guest["uid"]) is None
    again = {"roomId": room_id, "memberIds": [guest["uid"]]}
    assert call("add_members", again, uid=owner["uid"]).ok
    assert _flag(room_id, guest["uid"]) is True
    direct = call(
        "create_room", {"kind": "direct", "memberIds": [guest["uid"]]}, uid=owner["uid"]
    ).result["roomId"]
    assert _flag(direct, owner["uid"]) is True and _flag(direct, guest["uid"]) is True
