"""create_room, rename_room, get_room, list_my_rooms: PostgreSQL rows, mirrors, audit."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def trio(new_user):
    """Three fresh users: owner, a friend, a stranger."""
    return new_user(prefix="owner"), new_user(prefix="friend"), new_user(prefix="stranger")


def test_create_group_room(call, rows, firestore, trio) -> None:
    owner, friend, _ = trio
    out = call(
        "create_room",
        {"kind": "group", "name": " Team ", "memberIds": [friend["uid"]]},
        uid=owner["uid"],
    )
    room_id = out.result["roomId"]
    assert out.result["created"] is True
    members = {
        str(r.user_id): r.role
        for r in rows("SELECT user_id, role FROM room_members WHERE room_id = :r", r=room_id)
    }
    assert members == {owner["uid"]: "owner", friend["uid"]: "member"}
    [room] = rows("SELECT kind, name, member_count, created_by FROM rooms WHERE id = :r", r=room_id)
    assert (room.kind, room.name, room.member_count, str(room.created_by)) == (
        "group",
        "Team",
        2,
        owner["uid"],
    )
    audit = rows(
        "SELECT action, target_id FROM audit_log WHERE room_id = :r ORDER BY id", r=room_id
    )
    assert [(a.action, a.target_id and str(a.target_id)) for a in audit] == [
        ("room_created", None),
        ("member_added", friend["uid"]),
    ]

    doc = firestore.document(f"rooms/{room_id}").get().to_dict()
    assert {k: doc[k] for k in ("kind", "name", "createdBy", "memberCount")} == {
        "kind": "group",
        "name": "Team",
        "createdBy": owner["uid"],
        "memberCount": 2,
    }
    assert doc["createdAt"] is not None
    member_doc = firestore.document(f"rooms/{room_id}/members/{friend['uid']}").get().to_dict()
    assert member_doc["role"] == "member" and member_doc["joinedAt"] is not None
    sidebar = firestore.document(f"users/{friend['uid']}/rooms/{room_id}").get().to_dict()
    assert (sidebar["name"], sidebar["kind"], sidebar["role"]) == ("Team", "group", "member")
    assert rows("SELECT count(*) AS n FROM outbox WHERE done_at IS NULL")[0].n == 0


def test_direct_room_is_one_per_pair(call, rows, firestore, trio) -> None:
    alice, bob, _ = trio
    first = call("create_room", {"kind": "direct", "memberIds": [bob["uid"]]}, uid=alice["uid"])
    again = call("create_room", {"kind": "direct", "memberIds": [alice["uid"]]}, uid=bob["uid"])
    assert first.result["created"] is True and again.result["created"] is False
    assert first.result["roomId"] == again.result["roomId"]
    room_id = first.result["roomId"]
    assert rows("SELECT count(*) AS n FROM room_members WHERE room_id = :r", r=room_id)[0].n == 2
    sidebar = firestore.document(f"users/{bob['uid']}/rooms/{room_id}").get().to_dict()
    assert sidebar["kind"] == "direct" and sorted(sidebar["members"]) == sorted(
        [alice["uid"], bob["uid"]]
    )


@pytest.mark.parametrize("blocker", ["caller", "peer"])
def test_direct_room_refused_when_blocked_either_way(call, counts, trio, blocker) -> None:
    alice, bob, _ = trio
    a, b = (alice, bob) if blocker == "caller" else (bob, alice)
    assert call("block_user", {"userId": b["uid"]}, uid=a["uid"]).ok
    before = counts()
    out = call("create_room", {"kind": "direct", "memberIds": [bob["uid"]]}, uid=alice["uid"])
    assert out.status == "PERMISSION_DENIED"
    assert counts() == before


def test_group_room_refuses_blocked_member(call, counts, trio) -> None:
    owner, friend, _ = trio
    call("block_user", {"userId": owner["uid"]}, uid=friend["uid"])
    before = counts()
    out = call(
        "create_room",
        {"kind": "group", "name": "x", "memberIds": [friend["uid"]]},
        uid=owner["uid"],
    )
    assert out.status == "PERMISSION_DENIED"
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"kind": "channel", "name": "x", "memberIds": []}, "INVALID_ARGUMENT"),
        ({"kind": "group", "memberIds": []}, "INVALID_ARGUMENT"),
        ({"kind": "group", "name": "", "memberIds": []}, "INVALID_ARGUMENT"),
        ({"kind": "group", "name": "   ", "memberIds": []}, "INVALID_ARGUMENT"),
        ({"kind": "group", "name": "x" * 101, "memberIds": []}, "INVALID_ARGUMENT"),
        ({"kind": "group", "name": "x", "memberIds": "abc"}, "INVALID_ARGUMENT"),
        ({"kind": "group", "name": "x", "memberIds": ["not-a-uuid"]}, "INVALID_ARGUMENT"),
        ({"kind": "group", "name": "x", "memberIds": [str(uuid.uuid4())] * 51}, "INVALID_ARGUMENT"),
        ({"kind": "direct", "memberIds": []}, "INVALID_ARGUMENT"),
        ({"kind": "group", "name": "x", "memberIds": [str(uuid.uuid4())]}, "NOT_FOUND"),
        ({"kind": "direct", "memberIds": [str(uuid.uuid4())]}, "NOT_FOUND"),
    ],
)
def test_create_room_rejects(call, counts, new_user, data, status) -> None:
    user = new_user()
    before = counts()
    assert call("create_room", data, uid=user["uid"]).status == status
    assert counts() == before


def test_direct_room_with_oneself_is_invalid(call, counts, new_user) -> None:
    user = new_user()
    before = counts()
    out = call("create_room", {"kind": "direct", "memberIds": [user["uid"]]}, uid=user["uid"])
    assert out.status == "INVALID_ARGUMENT"
    assert counts() == before


def test_room_callables_need_sign_in(call, counts) -> None:
    before = counts()
    room = str(uuid.uuid4())
    for name, data in [
        ("create_room", {"kind": "group", "name": "x", "memberIds": []}),
        ("rename_room", {"roomId": room, "name": "x"}),
        ("get_room", {"roomId": room}),
        ("list_my_rooms", {}),
        ("add_members", {"roomId": room, "memberIds": []}),
        ("remove_member", {"roomId": room, "userId": room}),
        ("leave_room", {"roomId": room}),
        ("set_role", {"roomId": room, "userId": room, "role": "admin"}),
        ("check_membership", {"roomId": room}),
        ("search_users", {"query": "ab"}),
        ("block_user", {"userId": room}),
        ("unblock_user", {"userId": room}),
    ]:
        assert call(name, data).status == "UNAUTHENTICATED", name
    assert counts() == before


def test_a_token_for_a_non_account_uid_is_refused(call, counts) -> None:
    before = counts()
    out = call("create_room", {"kind": "group", "name": "x", "memberIds": []}, uid="someone-else")
    assert out.status == "PERMISSION_DENIED"
    out = call(
        "create_room", {"kind": "group", "name": "x", "memberIds": []}, uid=str(uuid.uuid4())
    )
    assert out.status == "PERMISSION_DENIED"
    assert counts() == before


def _group(call, owner, *members, name="Room"):
    out = call(
        "create_room",
        {"kind": "group", "name": name, "memberIds": [m["uid"] for m in members]},
        uid=owner["uid"],
    )
    return out.result["roomId"]


def test_rename_by_owner_and_admin_updates_every_sidebar(call, rows, firestore, trio) -> None:
    owner, friend, _ = trio
    room_id = _group(call, owner, friend)
    assert call("rename_room", {"roomId": room_id, "name": "Renamed"}, uid=owner["uid"]).ok
    call(
        "set_role", {"roomId": room_id, "userId": friend["uid"], "role": "admin"}, uid=owner["uid"]
    )
    assert call("rename_room", {"roomId": room_id, "name": "By admin"}, uid=friend["uid"]).ok
    assert rows("SELECT name FROM rooms WHERE id = :r", r=room_id)[0].name == "By admin"
    assert firestore.document(f"rooms/{room_id}").get().get("name") == "By admin"
    for uid in (owner["uid"], friend["uid"]):
        assert firestore.document(f"users/{uid}/rooms/{room_id}").get().get("name") == "By admin"
    assert (
        len(
            rows(
                "SELECT 1 FROM audit_log WHERE room_id = :r AND action = 'room_renamed'", r=room_id
            )
        )
        == 2
    )


def test_rename_denied_for_member_and_stranger(call, counts, trio) -> None:
    owner, friend, stranger = trio
    room_id = _group(call, owner, friend)
    before = counts()
    assert (
        call("rename_room", {"roomId": room_id, "name": "x"}, uid=friend["uid"]).status
        == "PERMISSION_DENIED"
    )
    assert (
        call("rename_room", {"roomId": room_id, "name": "x"}, uid=stranger["uid"]).status
        == "PERMISSION_DENIED"
    )
    assert (
        call("rename_room", {"roomId": str(uuid.uuid4()), "name": "x"}, uid=owner["uid"]).status
        == "PERMISSION_DENIED"
    )
    assert (
        call("rename_room", {"roomId": room_id, "name": ""}, uid=owner["uid"]).status
        == "INVALID_ARGUMENT"
    )
    assert counts() == before


def test_direct_room_cannot_be_renamed(call, counts, trio) -> None:
    alice, bob, _ = trio
    room_id = call(
        "create_room", {"kind": "direct", "memberIds": [bob["uid"]]}, uid=alice["uid"]
    ).result["roomId"]
    before = counts()
    out = call("rename_room", {"roomId": room_id, "name": "x"}, uid=alice["uid"])
    assert out.status == "FAILED_PRECONDITION"
    assert counts() == before


def test_get_room_for_members_only(call, trio) -> None:
    owner, friend, stranger = trio
    room_id = _group(call, owner, friend, name="Readable")
    got = call("get_room", {"roomId": room_id}, uid=friend["uid"]).result
    assert got["name"] == "Readable" and got["memberCount"] == 2
    assert {m["uid"]: m["role"] for m in got["members"]} == {
        owner["uid"]: "owner",
        friend["uid"]: "member",
    }
    assert call("get_room", {"roomId": room_id}, uid=stranger["uid"]).status == "PERMISSION_DENIED"
    unknown = call("get_room", {"roomId": str(uuid.uuid4())}, uid=owner["uid"])
    assert unknown.status == "PERMISSION_DENIED"
    assert call("get_room", {"roomId": "nope"}, uid=owner["uid"]).status == "INVALID_ARGUMENT"


def test_list_my_rooms_pages_with_a_cursor(call, trio) -> None:
    owner, friend, _ = trio
    made = [_group(call, owner, name=f"R{i}") for i in range(5)]
    made.append(
        call(
            "create_room", {"kind": "direct", "memberIds": [friend["uid"]]}, uid=owner["uid"]
        ).result["roomId"]
    )
    seen, keys, cursor, pages = [], [], None, 0
    while True:
        page = call("list_my_rooms", {"limit": 4, "cursor": cursor}, uid=owner["uid"]).result
        seen += [r["roomId"] for r in page["rooms"]]
        keys += [(r["joinedAt"], r["roomId"]) for r in page["rooms"]]
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert pages == 2 and sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    assert keys == sorted(keys, reverse=True)  # newest membership first
    empty = call("list_my_rooms", {}, uid=_stranger_uid(trio)).result
    assert empty == {"rooms": [], "nextCursor": None}


def _stranger_uid(trio) -> str:
    return trio[2]["uid"]


@pytest.mark.parametrize(
    "data", [{"limit": 0}, {"limit": 101}, {"limit": "5"}, {"cursor": "!!!"}, {"cursor": "WzFd"}]
)
def test_list_my_rooms_rejects_bad_paging(call, new_user, data) -> None:
    user = new_user()
    assert call("list_my_rooms", data, uid=user["uid"]).status == "INVALID_ARGUMENT"
