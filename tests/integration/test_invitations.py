"""Consent to be added: adds the invitee's policy does not allow become invitations, shown
live in users/{uid}/invitations, which only the invitee accepts or declines."""

from __future__ import annotations

import uuid
from typing import Any

from tests.rules.assertions import assert_allowed, assert_denied


def _group(call, owner: dict[str, str], *members: dict[str, str], name: str = "Club") -> Any:
    data = {"kind": "group", "name": name, "memberIds": [m["uid"] for m in members]}
    return call("create_room", data, uid=owner["uid"]).result


def _invitation(firestore, room_id: str, uid: str) -> dict[str, Any] | None:
    return firestore.document(f"users/{uid}/invitations/{room_id}").get().to_dict()


def _is_member(rows, room_id: str, uid: str) -> bool:
    found = rows("SELECT 1 FROM room_members WHERE room_id = :r AND user_id = :u", r=room_id, u=uid)
    return bool(found)


def test_a_stranger_cannot_put_anyone_into_rooms_by_default(call, rows, rest, new_user) -> None:
    """Finding 3: five rooms within milliseconds; now five invitations and no access."""
    spammer, target = new_user(prefix="spam"), new_user(prefix="tgt", add_policy=None)
    rooms = [_group(call, spammer, target, name=f"Spam {i}") for i in range(5)]
    for room in rooms:
        assert room["invited"] == [target["uid"]]
        assert not _is_member(rows, room["roomId"], target["uid"])
        data = {"roomId": room["roomId"], "text": "buy now", "idempotencyKey": uuid.uuid4().hex}
        assert call("send_message", data, uid=spammer["uid"]).ok
        assert_denied(rest.query(f"rooms/{room['roomId']}/messages", target["uid"]))
    listed = rest.query(f"users/{target['uid']}/invitations", target["uid"])
    assert_allowed(listed)
    assert len([d for d in listed.json() if "document" in d]) == 5
    assert call("list_my_rooms", {}, uid=target["uid"]).result["rooms"] == []


def test_accepting_grants_access_and_declining_leaves_none(
    call, rows, rest, firestore, new_user
) -> None:
    owner = new_user(prefix="own", display_name="Olga")
    yes, no = new_user(prefix="yes", add_policy=None), new_user(prefix="no", add_policy=None)
    room_id = _group(call, owner, yes, no, name="Book club")["roomId"]
    invitation = _invitation(firestore, room_id, yes["uid"])
    assert invitation is not None
    assert {k: invitation[k] for k in ("roomId", "roomName", "invitedBy", "invitedByName")} == {
        "roomId": room_id,
        "roomName": "Book club",
        "invitedBy": owner["uid"],
        "invitedByName": "Olga",
    }
    assert_denied(rest.get(f"rooms/{room_id}", yes["uid"]))
    assert_denied(rest.get(f"users/{yes['uid']}/invitations/{room_id}", owner["uid"]))

    assert call("accept_invitation", {"roomId": room_id}, uid=yes["uid"]).result == {
        "roomId": room_id,
        "joined": True,
    }
    assert _is_member(rows, room_id, yes["uid"])
    assert_allowed(rest.get(f"rooms/{room_id}", yes["uid"]))
    assert _invitation(firestore, room_id, yes["uid"]) is None
    assert firestore.document(f"users/{yes['uid']}/rooms/{room_id}").get().exists

    assert call("decline_invitation", {"roomId": room_id}, uid=no["uid"]).result == {
        "roomId": room_id,
        "declined": True,
    }
    assert not _is_member(rows, room_id, no["uid"])
    assert _invitation(firestore, room_id, no["uid"]) is None
    assert_denied(rest.get(f"rooms/{room_id}", no["uid"]))
    # Answered invitations are gone: neither can be used again.
    for name, who in (("accept_invitation", no), ("decline_invitation", yes)):
        assert call(name, {"roomId": room_id}, uid=who["uid"]).status == "NOT_FOUND"
    audit = rows("SELECT action FROM audit_log WHERE room_id = :r ORDER BY id", r=room_id)
    assert [a.action for a in audit].count("member_invited") == 2
    assert {"invitation_accepted", "invitation_declined"} <= {a.action for a in audit}


def test_policies_anyone_shared_and_nobody(call, rows, new_user) -> None:
    owner = new_user(prefix="own")
    anyone = new_user(prefix="any", add_policy="anyone")
    nobody = new_user(prefix="nob", add_policy="nobody")
    friend, opened_by_me, opened_by_them = (
        new_user(prefix=p, add_policy=None) for p in ("fri", "dmm", "dmt")
    )
    # friend shares a group with owner (they accepted once); opened_by_me opened a DM with
    # owner; opened_by_them was merely DM'd by owner (a stranger's DM must not count).
    first = _group(call, owner, friend)["roomId"]
    assert call("accept_invitation", {"roomId": first}, uid=friend["uid"]).ok
    call("create_room", {"kind": "direct", "memberIds": [owner["uid"]]}, uid=opened_by_me["uid"])
    call("create_room", {"kind": "direct", "memberIds": [opened_by_them["uid"]]}, uid=owner["uid"])
    # nobody must not be reachable even through a shared room.
    shared_with_nobody = _group(call, nobody, owner)["roomId"]
    assert _is_member(rows, shared_with_nobody, owner["uid"])  # owner's own policy: anyone

    out = call(
        "add_members",
        {
            "roomId": first,
            "memberIds": [u["uid"] for u in (anyone, nobody, opened_by_me, opened_by_them)],
        },
        uid=owner["uid"],
    ).result
    assert sorted(out["added"]) == sorted([anyone["uid"], opened_by_me["uid"]])
    assert sorted(out["invited"]) == sorted([nobody["uid"], opened_by_them["uid"]])
    second = _group(call, owner, friend, nobody)
    assert second["invited"] == [nobody["uid"]]
    assert _is_member(rows, second["roomId"], friend["uid"])


def test_the_add_policy_setting(call, counts, new_user) -> None:
    user = new_user(add_policy=None)
    for policy in ("nobody", "anyone", "shared"):
        assert call("set_add_policy", {"policy": policy}, uid=user["uid"]).result == {
            "policy": policy
        }
    before = counts()
    for bad in ({"policy": "friends"}, {"policy": None}, {}, {"policy": "anyone", "x": 1}):
        assert call("set_add_policy", bad, uid=user["uid"]).status == "INVALID_ARGUMENT"
    assert call("set_add_policy", {"policy": "anyone"}).status == "UNAUTHENTICATED"
    assert counts() == before


def test_invitation_answers_need_an_invitation_and_no_ban(call, counts, new_user) -> None:
    owner, guest = new_user(prefix="own"), new_user(prefix="gst", add_policy="nobody")
    room_id = _group(call, owner, guest)["roomId"]
    stranger = new_user(prefix="str")
    before = counts()
    for name in ("accept_invitation", "decline_invitation"):
        assert call(name, {"roomId": room_id}, uid=stranger["uid"]).status == "NOT_FOUND"
        assert call(name, {"roomId": str(uuid.uuid4())}, uid=guest["uid"]).status == "NOT_FOUND"
        assert call(name, {"roomId": "nope"}, uid=guest["uid"]).status == "INVALID_ARGUMENT"
        assert call(name, {"roomId": room_id}).status == "UNAUTHENTICATED"
    assert counts() == before
    assert call("ban_member", {"roomId": room_id, "userId": guest["uid"]}, uid=owner["uid"]).ok
    assert call("accept_invitation", {"roomId": room_id}, uid=guest["uid"]).status == (
        "PERMISSION_DENIED"
    )


def test_a_block_withdraws_pending_invitations(call, firestore, new_user) -> None:
    owner, guest = new_user(prefix="own"), new_user(prefix="gst", add_policy="nobody")
    room_id = _group(call, owner, guest)["roomId"]
    assert _invitation(firestore, room_id, guest["uid"]) is not None
    assert call("block_user", {"userId": owner["uid"]}, uid=guest["uid"]).ok
    assert _invitation(firestore, room_id, guest["uid"]) is None
    assert call("accept_invitation", {"roomId": room_id}, uid=guest["uid"]).status == "NOT_FOUND"


def test_a_banned_user_is_neither_added_nor_invited(call, counts, firestore, new_user) -> None:
    owner, member = new_user(prefix="own"), new_user(prefix="mem")
    guest = new_user(prefix="gst", add_policy="nobody")  # would get an invitation
    room_id = _group(call, owner, member)["roomId"]
    assert call("ban_member", {"roomId": room_id, "userId": guest["uid"]}, uid=owner["uid"]).ok
    before = counts()
    out = call("add_members", {"roomId": room_id, "memberIds": [guest["uid"]]}, uid=owner["uid"])
    assert out.status == "PERMISSION_DENIED"
    assert _invitation(firestore, room_id, guest["uid"]) is None
    assert counts() == before
