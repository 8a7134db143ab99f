"""The roomMembers/{roomId}/{uid} mirror in the Realtime Database follows membership."""

from __future__ import annotations

from tests.integration.conftest import rtdb_ref


def _flag(room_id: str, uid: str) -> object:
    return rtdb_ref(f"roomMembers/{room_id}/{uid}").get()


def test_membership_is_mirrored_and_revoked(call, rtdb_mirror, new_user) -> None:
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


def test_leaving_and_coming_back_follow_in_the_mirror(call, rtdb_mirror, new_user) -> None:
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
