"""Acceptance probes for rooms and membership: errors, audit rows, mirror shapes, paging."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest


@pytest.fixture
def club(call, new_user):
    """A group room with an owner, an admin and a member, plus an outsider."""
    owner, admin, member, outsider = (new_user(prefix=p) for p in ("own", "adm", "mem", "out"))
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Club", "memberIds": [admin["uid"], member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    data = {"roomId": room_id, "userId": admin["uid"], "role": "admin"}
    assert call("set_role", data, uid=owner["uid"]).ok
    return {"id": room_id, "owner": owner, "admin": admin, "member": member, "outsider": outsider}


def _audit(rows, room_id: str) -> list[tuple[str, str, str | None]]:
    found = rows(
        "SELECT action, actor_id, target_id FROM audit_log WHERE room_id = :r ORDER BY id",
        r=room_id,
    )
    return [(r.action, str(r.actor_id), str(r.target_id) if r.target_id else None) for r in found]


ROOM_CALLS = [
    ("get_room", {}),
    ("rename_room", {"name": "x"}),
    ("add_members", {"memberIds": []}),
    ("leave_room", {}),
    ("send_message", {"text": "hi", "idempotencyKey": "probe-key-1"}),
]


@pytest.mark.parametrize(("name", "extra"), ROOM_CALLS)
def test_unknown_room_and_a_room_of_others_answer_alike(call, counts, club, name, extra) -> None:
    outsider = club["outsider"]["uid"]
    before = counts()
    theirs = call(name, {"roomId": club["id"], **extra}, uid=outsider)
    unknown = call(name, {"roomId": str(uuid.uuid4()), **extra}, uid=outsider)
    assert theirs.status == unknown.status == "PERMISSION_DENIED"
    assert theirs.body["error"]["message"] == unknown.body["error"]["message"]
    assert counts() == before


NOT_A_MEMBER = {"isMember": False, "role": None, "blocked": False, "canPost": False}


def test_check_membership_does_not_reveal_rooms(call, club) -> None:
    outsider = club["outsider"]["uid"]
    theirs = call("check_membership", {"roomId": club["id"]}, uid=outsider).result
    unknown = call("check_membership", {"roomId": str(uuid.uuid4())}, uid=outsider).result
    assert theirs == unknown == NOT_A_MEMBER


@pytest.mark.parametrize(
    "data",
    [
        {"kind": 5, "name": "x", "memberIds": []},
        {"kind": None, "name": "x", "memberIds": []},
        {"kind": ["group"], "name": "x", "memberIds": []},
        {"kind": "GROUP", "name": "x", "memberIds": []},
        {"kind": "group", "name": 5, "memberIds": []},
        {"kind": "group", "name": ["x"], "memberIds": []},
        {"kind": "group", "name": "two\nlines", "memberIds": []},
        {"kind": "group", "name": "nul\x00", "memberIds": []},
        {"kind": "group", "name": "x", "memberIds": None},
        {"kind": "group", "name": "x", "memberIds": [5]},
        {"kind": "group", "name": "x", "memberIds": [None]},
        {"kind": "group", "name": "x", "memberIds": {"a": 1}},
        {"kind": "group", "name": "x", "memberIds": [], "owner": "me"},
        {"kind": "direct", "memberIds": [str(uuid.uuid4()), str(uuid.uuid4())]},
    ],
)
def test_create_room_wrong_types_are_invalid(call, counts, new_user, data) -> None:
    user = new_user()
    before = counts()
    assert call("create_room", data, uid=user["uid"]).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_duplicate_member_ids_make_one_membership_each(call, rows, new_user) -> None:
    owner, friend = new_user(), new_user()
    ids = [friend["uid"], friend["uid"].upper(), owner["uid"]]
    room_id = call(
        "create_room", {"kind": "group", "name": "Dups", "memberIds": ids}, uid=owner["uid"]
    ).result["roomId"]
    members = rows("SELECT user_id, role FROM room_members WHERE room_id = :r", r=room_id)
    assert {str(m.user_id): m.role for m in members} == {
        owner["uid"]: "owner",
        friend["uid"]: "member",
    }
    assert _audit(rows, room_id) == [
        ("room_created", owner["uid"], None),
        ("member_added", owner["uid"], friend["uid"]),
    ]
    [count] = rows("SELECT member_count FROM rooms WHERE id = :r", r=room_id)
    assert count.member_count == 2


def test_room_mirror_shapes_are_exactly_as_documented(call, firestore, club) -> None:
    rid, owner = club["id"], club["owner"]["uid"]
    room = firestore.document(f"rooms/{rid}").get().to_dict()
    assert set(room) == {"kind", "name", "createdBy", "createdAt", "memberCount"}
    assert (room["kind"], room["name"], room["createdBy"], room["memberCount"]) == (
        "group",
        "Club",
        owner,
        3,
    )
    assert isinstance(room["createdAt"], datetime)
    member = firestore.document(f"rooms/{rid}/members/{club['admin']['uid']}").get().to_dict()
    assert set(member) == {"role", "joinedAt"} and member["role"] == "admin"
    sidebar = firestore.document(f"users/{club['admin']['uid']}/rooms/{rid}").get().to_dict()
    assert set(sidebar) == {"roomId", "kind", "name", "role", "joinedAt", "hidden"}
    assert sidebar["hidden"] is False
    assert (sidebar["roomId"], sidebar["kind"], sidebar["name"], sidebar["role"]) == (
        rid,
        "group",
        "Club",
        "admin",
    )
    assert sidebar["joinedAt"] == member["joinedAt"]


def test_direct_sidebar_names_both_members(call, firestore, new_user) -> None:
    a, b = new_user(), new_user()
    rid = call("create_room", {"kind": "direct", "memberIds": [b["uid"]]}, uid=a["uid"]).result[
        "roomId"
    ]
    room = firestore.document(f"rooms/{rid}").get().to_dict()
    assert room["kind"] == "direct" and room["name"] is None and room["memberCount"] == 2
    for uid in (a["uid"], b["uid"]):
        entry = firestore.document(f"users/{uid}/rooms/{rid}").get().to_dict()
        assert sorted(entry["members"]) == sorted([a["uid"], b["uid"]])
        assert entry["role"] == "member"


def test_member_count_follows_add_remove_and_leave(call, rows, firestore, club, new_user) -> None:
    rid, owner = club["id"], club["owner"]["uid"]

    def counted() -> tuple[int, int]:
        [row] = rows("SELECT member_count FROM rooms WHERE id = :r", r=rid)
        return row.member_count, firestore.document(f"rooms/{rid}").get().get("memberCount")

    a, b = new_user(), new_user()
    call("add_members", {"roomId": rid, "memberIds": [a["uid"], b["uid"]]}, uid=owner)
    assert counted() == (5, 5)
    call("remove_member", {"roomId": rid, "userId": a["uid"]}, uid=owner)
    assert counted() == (4, 4)
    call("leave_room", {"roomId": rid}, uid=b["uid"])
    assert counted() == (3, 3)
    call("add_members", {"roomId": rid, "memberIds": [club["member"]["uid"]]}, uid=owner)
    assert counted() == (3, 3)


def test_rapid_add_remove_add_ends_with_the_last_state(call, firestore, club, new_user) -> None:
    rid, owner = club["id"], club["owner"]["uid"]
    x = new_user()["uid"]
    for _ in range(2):
        assert call("add_members", {"roomId": rid, "memberIds": [x]}, uid=owner).ok
        assert call("remove_member", {"roomId": rid, "userId": x}, uid=owner).ok
    assert not firestore.document(f"rooms/{rid}/members/{x}").get().exists
    assert not firestore.document(f"users/{x}/rooms/{rid}").get().exists
    assert call("add_members", {"roomId": rid, "memberIds": [x]}, uid=owner).ok
    assert firestore.document(f"rooms/{rid}/members/{x}").get().get("role") == "member"
    assert firestore.document(f"users/{x}/rooms/{rid}").get().exists


def test_every_change_writes_one_audit_row(call, rows, club, new_user) -> None:
    rid = club["id"]
    owner, admin, member = (club[k]["uid"] for k in ("owner", "admin", "member"))
    newcomer = new_user()["uid"]
    steps = [
        ("rename_room", {"roomId": rid, "name": "Renamed"}, admin, ("room_renamed", admin, None)),
        (
            "add_members",
            {"roomId": rid, "memberIds": [newcomer]},
            admin,
            ("member_added", admin, newcomer),
        ),
        (
            "set_role",
            {"roomId": rid, "userId": member, "role": "admin"},
            owner,
            ("role_set", owner, member),
        ),
        (
            "remove_member",
            {"roomId": rid, "userId": newcomer},
            owner,
            ("member_removed", owner, newcomer),
        ),
        ("leave_room", {"roomId": rid}, member, ("member_left", member, member)),
    ]
    for name, data, actor, expected in steps:
        before = len(_audit(rows, rid))
        assert call(name, data, uid=actor).ok, name
        assert _audit(rows, rid)[before:] == [expected], name


def test_no_op_changes_write_no_audit_row(call, rows, counts, club) -> None:
    rid, owner = club["id"], club["owner"]["uid"]
    before = counts()
    again = {"roomId": rid, "memberIds": [club["member"]["uid"]]}
    assert call("add_members", again, uid=owner).result["added"] == []
    same_role = {"roomId": rid, "userId": club["admin"]["uid"], "role": "admin"}
    assert call("set_role", same_role, uid=owner).ok
    assert counts() == before


@pytest.mark.parametrize(
    ("actor", "target", "role", "status"),
    [
        ("admin", "member", "member", "PERMISSION_DENIED"),
        ("admin", "admin", "member", "PERMISSION_DENIED"),
        ("admin", "owner", "member", "PERMISSION_DENIED"),
        ("owner", "owner", "admin", "FAILED_PRECONDITION"),
        ("owner", "member", None, "INVALID_ARGUMENT"),
        ("owner", "member", 3, "INVALID_ARGUMENT"),
        ("owner", "member", "OWNER", "INVALID_ARGUMENT"),
    ],
)
def test_only_owners_set_roles(call, counts, club, actor, target, role, status) -> None:
    before = counts()
    data = {"roomId": club["id"], "userId": club[target]["uid"], "role": role}
    assert call("set_role", data, uid=club[actor]["uid"]).status == status
    assert counts() == before


def test_owner_can_make_a_co_owner_who_can_then_demote_them(call, rows, club) -> None:
    rid, owner, admin = club["id"], club["owner"]["uid"], club["admin"]["uid"]
    assert call("set_role", {"roomId": rid, "userId": admin, "role": "owner"}, uid=owner).ok
    assert call("set_role", {"roomId": rid, "userId": owner, "role": "member"}, uid=admin).ok
    roles = rows("SELECT user_id, role FROM room_members WHERE room_id = :r", r=rid)
    assert {str(r.user_id): r.role for r in roles}[owner] == "member"
    assert call("leave_room", {"roomId": rid}, uid=admin).status == "FAILED_PRECONDITION"


def test_direct_rooms_refuse_group_operations(call, counts, new_user) -> None:
    a, b, c = new_user(), new_user(), new_user()
    rid = call("create_room", {"kind": "direct", "memberIds": [b["uid"]]}, uid=a["uid"]).result[
        "roomId"
    ]
    before = counts()
    for name, data in [
        ("add_members", {"roomId": rid, "memberIds": [c["uid"]]}),
        ("remove_member", {"roomId": rid, "userId": b["uid"]}),
        # leave_room is allowed in a direct room (issue 11): test_blocks_in_rooms.py.
        ("set_role", {"roomId": rid, "userId": b["uid"], "role": "owner"}),
        ("rename_room", {"roomId": rid, "name": "Ours"}),
    ]:
        assert call(name, data, uid=a["uid"]).status == "FAILED_PRECONDITION", name
    assert counts() == before


def test_list_my_rooms_is_stable_under_inserts(call, new_user) -> None:
    me = new_user()

    def make(name: str) -> str:
        out = call("create_room", {"kind": "group", "name": name, "memberIds": []}, uid=me["uid"])
        return out.result["roomId"]

    first = [make(f"r{i}") for i in range(5)]
    page1 = call("list_my_rooms", {"limit": 2}, uid=me["uid"]).result
    later = [make(f"new{i}") for i in range(3)]
    seen = [r["roomId"] for r in page1["rooms"]]
    cursor = page1["nextCursor"]
    while cursor:
        page = call("list_my_rooms", {"limit": 2, "cursor": cursor}, uid=me["uid"]).result
        seen += [r["roomId"] for r in page["rooms"]]
        cursor = page["nextCursor"]
    # No room twice, none of the first five skipped; rooms joined meanwhile may show up
    # only where they sort (here one transaction: equal joinedAt, ties broken by id).
    assert len(seen) == len(set(seen)) and set(first) <= set(seen) <= set(first + later)
    fresh = call("list_my_rooms", {"limit": 100}, uid=me["uid"]).result
    keys = [(r["joinedAt"], r["roomId"]) for r in fresh["rooms"]]
    assert keys == sorted(keys, reverse=True) and len(keys) == 8


def test_list_my_rooms_rejects_a_foreign_cursor(call, new_user) -> None:
    me = new_user()
    for cursor in ["bm90IGpzb24", "WyJ4IiwgInkiXQ", 5, ["a"]]:
        out = call("list_my_rooms", {"cursor": cursor}, uid=me["uid"])
        assert out.status == "INVALID_ARGUMENT", cursor


def test_search_pages_are_stable_when_scores_tie(call, new_user) -> None:
    tag = uuid.uuid4().hex[:6]
    me = new_user()
    made = {new_user(prefix=f"tie{tag}")["uid"] for _ in range(9)}
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        data = {"query": f"tie{tag}", "limit": 2, "cursor": cursor}
        page = call("search_users", data, uid=me["uid"]).result
        seen += [u["uid"] for u in page["users"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 9 and set(seen) == made


def test_block_and_unblock_are_idempotent_with_one_audit_row_each(call, rows, new_user) -> None:
    me, other = new_user(), new_user()

    def audit_actions() -> list[str]:
        found = rows(
            "SELECT action FROM audit_log WHERE actor_id = :u AND target_id = :t ORDER BY id",
            u=me["uid"],
            t=other["uid"],
        )
        return [r.action for r in found]

    data = {"userId": other["uid"]}
    assert [call("block_user", data, uid=me["uid"]).result["changed"] for _ in range(2)] == [
        True,
        False,
    ]
    assert rows(
        "SELECT 1 FROM blocks WHERE blocker_id = :u AND blocked_id = :t",
        u=me["uid"],
        t=other["uid"],
    )
    assert [call("unblock_user", data, uid=me["uid"]).result["changed"] for _ in range(2)] == [
        True,
        False,
    ]
    assert audit_actions() == ["user_blocked", "user_unblocked"]


def test_renaming_to_the_same_name_changes_nothing(call, counts, club) -> None:
    before = counts()
    out = call("rename_room", {"roomId": club["id"], "name": " Club "}, uid=club["owner"]["uid"])
    assert out.result == {"roomId": club["id"], "name": "Club"}
    assert counts() == before


def test_a_disabled_account_cannot_list_its_rooms(call, rows, club) -> None:
    uid = club["member"]["uid"]
    assert call("list_my_rooms", {}, uid=uid).ok
    rows("UPDATE users SET disabled = true WHERE id = :u RETURNING id", u=uid)
    assert call("list_my_rooms", {}, uid=uid).status == "PERMISSION_DENIED"
