"""add_members, remove_member, leave_room, set_role, check_membership and their mirrors."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def room(call, new_user):
    """A group room: owner, admin, member; plus an outsider."""
    owner, admin, member, outsider = (
        new_user(prefix=p) for p in ("owner", "admin", "member", "outsider")
    )
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Club", "memberIds": [admin["uid"], member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    assert call(
        "set_role", {"roomId": room_id, "userId": admin["uid"], "role": "admin"}, uid=owner["uid"]
    ).ok
    return {"id": room_id, "owner": owner, "admin": admin, "member": member, "outsider": outsider}


def _mirrored(firestore, room_id: str, uid: str) -> tuple[bool, bool]:
    member = firestore.document(f"rooms/{room_id}/members/{uid}").get().exists
    sidebar = firestore.document(f"users/{uid}/rooms/{room_id}").get().exists
    return member, sidebar


def _role(rows, room_id: str, uid: str) -> str | None:
    found = rows(
        "SELECT role FROM room_members WHERE room_id = :r AND user_id = :u", r=room_id, u=uid
    )
    return found[0].role if found else None


@pytest.mark.parametrize("actor", ["owner", "admin"])
def test_owner_and_admin_add_members(call, rows, firestore, room, new_user, actor) -> None:
    newcomer = new_user()
    out = call(
        "add_members",
        {"roomId": room["id"], "memberIds": [newcomer["uid"]]},
        uid=room[actor]["uid"],
    )
    assert out.result == {"roomId": room["id"], "added": [newcomer["uid"]], "invited": []}
    assert _role(rows, room["id"], newcomer["uid"]) == "member"
    assert _mirrored(firestore, room["id"], newcomer["uid"]) == (True, True)
    assert firestore.document(f"rooms/{room['id']}").get().get("memberCount") == 4
    [audit] = rows(
        "SELECT actor_id FROM audit_log WHERE room_id = :r AND target_id = :u "
        "AND action = 'member_added'",
        r=room["id"],
        u=newcomer["uid"],
    )
    assert str(audit.actor_id) == room[actor]["uid"]


def test_adding_an_existing_member_changes_nothing(call, counts, room) -> None:
    before = counts()
    out = call(
        "add_members",
        {"roomId": room["id"], "memberIds": [room["member"]["uid"]]},
        uid=room["owner"]["uid"],
    )
    assert out.result["added"] == []
    assert counts() == before


@pytest.mark.parametrize(
    ("actor", "status"),
    [("member", "PERMISSION_DENIED"), ("outsider", "PERMISSION_DENIED")],
)
def test_add_members_denied(call, counts, room, new_user, actor, status) -> None:
    newcomer = new_user()
    before = counts()
    out = call(
        "add_members",
        {"roomId": room["id"], "memberIds": [newcomer["uid"]]},
        uid=room[actor]["uid"],
    )
    assert out.status == status
    assert counts() == before


def test_add_members_bad_targets(call, counts, room, new_user) -> None:
    blocker = new_user()
    call("block_user", {"userId": room["owner"]["uid"]}, uid=blocker["uid"])
    before = counts()
    owner = room["owner"]["uid"]
    assert (
        call(
            "add_members", {"roomId": room["id"], "memberIds": [str(uuid.uuid4())]}, uid=owner
        ).status
        == "NOT_FOUND"
    )
    assert (
        call("add_members", {"roomId": room["id"], "memberIds": [blocker["uid"]]}, uid=owner).status
        == "PERMISSION_DENIED"
    )
    assert (
        call("add_members", {"roomId": str(uuid.uuid4()), "memberIds": []}, uid=owner).status
        == "PERMISSION_DENIED"
    )
    assert (
        call("add_members", {"roomId": room["id"], "memberIds": [1]}, uid=owner).status
        == "INVALID_ARGUMENT"
    )
    assert call("add_members", {"roomId": room["id"]}, uid=owner).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_direct_rooms_take_no_members(call, counts, new_user) -> None:
    a, b, c = new_user(), new_user(), new_user()
    room_id = call("create_room", {"kind": "direct", "memberIds": [b["uid"]]}, uid=a["uid"]).result[
        "roomId"
    ]
    before = counts()
    out = call("add_members", {"roomId": room_id, "memberIds": [c["uid"]]}, uid=a["uid"])
    assert out.status == "FAILED_PRECONDITION"
    # Leaving a direct room is allowed (issue 11): tests/integration/test_blocks_in_rooms.py.
    assert counts() == before


def test_remove_member_deletes_row_and_mirrors(call, rows, firestore, room) -> None:
    target = room["member"]["uid"]
    assert _mirrored(firestore, room["id"], target) == (True, True)
    out = call("remove_member", {"roomId": room["id"], "userId": target}, uid=room["admin"]["uid"])
    assert out.ok
    assert _role(rows, room["id"], target) is None
    assert _mirrored(firestore, room["id"], target) == (False, False)
    assert firestore.document(f"rooms/{room['id']}").get().get("memberCount") == 2
    assert rows(
        "SELECT 1 FROM audit_log WHERE room_id = :r AND target_id = :u AND "
        "action = 'member_removed'",
        r=room["id"],
        u=target,
    )
    assert call("get_room", {"roomId": room["id"]}, uid=target).status == "PERMISSION_DENIED"


@pytest.mark.parametrize(
    ("actor", "target", "status"),
    [
        ("member", "admin", "PERMISSION_DENIED"),
        ("admin", "owner", "PERMISSION_DENIED"),
        ("admin", "admin2", "PERMISSION_DENIED"),
        ("outsider", "member", "PERMISSION_DENIED"),
        ("owner", "outsider", "NOT_FOUND"),
        ("owner", "owner", "INVALID_ARGUMENT"),
    ],
)
def test_remove_member_denied(call, counts, room, new_user, actor, target, status) -> None:
    if target == "admin2":
        second = new_user()
        call(
            "add_members",
            {"roomId": room["id"], "memberIds": [second["uid"]]},
            uid=room["owner"]["uid"],
        )
        call(
            "set_role",
            {"roomId": room["id"], "userId": second["uid"], "role": "admin"},
            uid=room["owner"]["uid"],
        )
        room = {**room, "admin2": second}
    before = counts()
    out = call(
        "remove_member",
        {"roomId": room["id"], "userId": room[target]["uid"]},
        uid=room[actor]["uid"],
    )
    assert out.status == status
    assert counts() == before


def test_leave_room(call, rows, firestore, room) -> None:
    uid = room["member"]["uid"]
    assert call("leave_room", {"roomId": room["id"]}, uid=uid).ok
    assert _role(rows, room["id"], uid) is None
    assert _mirrored(firestore, room["id"], uid) == (False, False)
    assert rows(
        "SELECT 1 FROM audit_log WHERE room_id = :r AND actor_id = :u AND action = 'member_left'",
        r=room["id"],
        u=uid,
    )
    assert call("leave_room", {"roomId": room["id"]}, uid=uid).status == "PERMISSION_DENIED"


def test_last_owner_cannot_leave_until_handing_over(call, rows, counts, room) -> None:
    owner, admin = room["owner"]["uid"], room["admin"]["uid"]
    before = counts()
    assert call("leave_room", {"roomId": room["id"]}, uid=owner).status == "FAILED_PRECONDITION"
    assert counts() == before
    assert call("set_role", {"roomId": room["id"], "userId": admin, "role": "owner"}, uid=owner).ok
    assert call("leave_room", {"roomId": room["id"]}, uid=owner).ok
    assert _role(rows, room["id"], admin) == "owner"


def test_set_role_changes_row_and_mirror(call, rows, firestore, room) -> None:
    uid = room["member"]["uid"]
    assert call(
        "set_role", {"roomId": room["id"], "userId": uid, "role": "admin"}, uid=room["owner"]["uid"]
    ).ok
    assert _role(rows, room["id"], uid) == "admin"
    assert firestore.document(f"rooms/{room['id']}/members/{uid}").get().get("role") == "admin"
    assert firestore.document(f"users/{uid}/rooms/{room['id']}").get().get("role") == "admin"
    [audit] = rows(
        "SELECT details FROM audit_log WHERE room_id = :r AND target_id = :u "
        "AND action = 'role_set' ORDER BY id DESC LIMIT 1",
        r=room["id"],
        u=uid,
    )
    assert audit.details == {"role": "admin"}


@pytest.mark.parametrize(
    ("actor", "target", "role", "status"),
    [
        ("admin", "member", "admin", "PERMISSION_DENIED"),
        ("member", "member", "owner", "PERMISSION_DENIED"),
        ("outsider", "member", "admin", "PERMISSION_DENIED"),
        ("owner", "outsider", "admin", "NOT_FOUND"),
        ("owner", "member", "king", "INVALID_ARGUMENT"),
        ("owner", "owner", "member", "FAILED_PRECONDITION"),
    ],
)
def test_set_role_denied(call, counts, room, actor, target, role, status) -> None:
    before = counts()
    out = call(
        "set_role",
        {"roomId": room["id"], "userId": room[target]["uid"], "role": role},
        uid=room[actor]["uid"],
    )
    assert out.status == status
    assert counts() == before


def test_check_membership(call, counts, room) -> None:
    before = counts()
    rid = room["id"]
    assert call("check_membership", {"roomId": rid}, uid=room["admin"]["uid"]).result == {
        "isMember": True,
        "role": "admin",
        "blocked": False,
        "canPost": True,
    }
    not_a_member = {"isMember": False, "role": None, "blocked": False, "canPost": False}
    assert (
        call("check_membership", {"roomId": rid}, uid=room["outsider"]["uid"]).result
        == not_a_member
    )
    unknown = call("check_membership", {"roomId": str(uuid.uuid4())}, uid=room["owner"]["uid"])
    assert unknown.result == not_a_member
    assert call("check_membership", {}, uid=room["owner"]["uid"]).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_room_projection_keeps_the_message_summary(call, firestore, room, new_user) -> None:
    firestore.document(f"rooms/{room['id']}").set({"lastMessage": {"text": "hi"}}, merge=True)
    newcomer = new_user()
    assert call(
        "add_members",
        {"roomId": room["id"], "memberIds": [newcomer["uid"]]},
        uid=room["owner"]["uid"],
    ).ok
    doc = firestore.document(f"rooms/{room['id']}").get().to_dict()
    assert doc["lastMessage"] == {"text": "hi"} and doc["memberCount"] == 4


def test_a_disabled_member_loses_room_access(call, rows, counts, room) -> None:
    uid = room["admin"]["uid"]
    rows("UPDATE users SET disabled = true WHERE id = :u RETURNING id", u=uid)
    before = counts()
    assert call("get_room", {"roomId": room["id"]}, uid=uid).status == "PERMISSION_DENIED"
    assert (
        call("rename_room", {"roomId": room["id"], "name": "x"}, uid=uid).status
        == "PERMISSION_DENIED"
    )
    assert call("check_membership", {"roomId": room["id"]}, uid=uid).result["isMember"] is False
    assert counts() == before
