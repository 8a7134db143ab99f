"""Every field of every callable, given a value of the wrong type or shape: a clear
INVALID_ARGUMENT-class error, never INTERNAL, and nothing written."""

from __future__ import annotations

import uuid

import pytest

ODD_VALUES = [None, 5.5, True, ["x"], {"a": 1}, "", "x" * 5000, "\x00", "\ud800"]
# Statuses a bad value may earn; INTERNAL (a crash) never.
CLEAR = {"INVALID_ARGUMENT", "NOT_FOUND", "PERMISSION_DENIED", "FAILED_PRECONDITION"}


@pytest.fixture
def valid(call, new_user) -> dict[str, tuple[dict, str]]:
    """A valid request per callable (data, caller uid), to spoil one field at a time."""
    owner, member, other = new_user(), new_user(), new_user()
    room = call(
        "create_room",
        {"kind": "group", "name": "Typed", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    o = owner["uid"]
    return {
        "register": (
            {
                "username": "typed_u",
                "password": "typed password",
                "displayName": "T",
                "email": "t@example.com",
            },
            "",
        ),
        "login": ({"usernameOrEmail": owner["username"], "password": owner["password"]}, ""),
        "update_profile": ({"displayName": "New", "avatarUrl": ""}, o),
        "create_room": ({"kind": "group", "name": "Other", "memberIds": [other["uid"]]}, o),
        "rename_room": ({"roomId": room, "name": "Renamed"}, o),
        "get_room": ({"roomId": room}, o),
        "list_my_rooms": ({"limit": 5, "cursor": None}, o),
        "add_members": ({"roomId": room, "memberIds": [other["uid"]]}, o),
        "remove_member": ({"roomId": room, "userId": member["uid"]}, o),
        "leave_room": ({"roomId": room}, member["uid"]),
        "set_role": ({"roomId": room, "userId": member["uid"], "role": "admin"}, o),
        "check_membership": ({"roomId": room}, o),
        "search_users": ({"query": "typed", "limit": 5, "cursor": None}, o),
        "block_user": ({"userId": other["uid"]}, o),
        "unblock_user": ({"userId": other["uid"]}, o),
    }


CALLABLES = [
    "register",
    "login",
    "update_profile",
    "create_room",
    "rename_room",
    "get_room",
    "list_my_rooms",
    "add_members",
    "remove_member",
    "leave_room",
    "set_role",
    "check_membership",
    "search_users",
    "block_user",
    "unblock_user",
]


def _rows_written(rows) -> tuple[int, ...]:
    """Row counts of every table a callable may write, in one round trip."""
    tables = ("users", "rooms", "room_members", "blocks", "audit_log", "outbox")
    counted = ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    return tuple(rows(f"SELECT {counted}")[0])


@pytest.mark.parametrize("name", CALLABLES)
def test_odd_values_in_every_field(call, rows, valid, name) -> None:
    data, uid = valid[name]
    crashes, accepted, wrote = [], [], []
    for field in data:
        for value in ODD_VALUES:
            before = _rows_written(rows)
            out = call(name, {**data, field: value}, uid=uid or None)
            if out.ok:
                accepted.append((field, value))
            elif out.status not in CLEAR:
                crashes.append((field, repr(value)[:20], out.status))
            elif _rows_written(rows) != before:
                wrote.append((field, repr(value)[:20]))
    assert not crashes, crashes
    assert not wrote, wrote
    # Only "not given" (None) of an optional field, and "" where it means "clear", may pass.
    harmless = {("email", None), ("cursor", None), ("cursor", ""), ("avatarUrl", None)}
    harmless |= {("avatarUrl", "")}
    harmless |= {("displayName", None)} if name == "update_profile" else set()
    assert set(accepted) <= harmless, accepted


@pytest.mark.parametrize("name", CALLABLES)
def test_data_that_is_not_an_object(call, counts, valid, name) -> None:
    _, uid = valid[name]
    before = counts()
    for data in (["a"], "text", 5, True):
        assert call(name, data, uid=uid or None).status == "INVALID_ARGUMENT", data
    assert counts() == before


def test_ids_in_other_spellings_mean_the_same_user(call, rows, new_user) -> None:
    owner, friend = new_user(), new_user()
    spelled = "{" + friend["uid"].upper() + "}"
    out = call(
        "create_room", {"kind": "group", "name": "Ids", "memberIds": [spelled]}, uid=owner["uid"]
    )
    found = rows("SELECT user_id FROM room_members WHERE room_id = :r", r=out.result["roomId"])
    assert {str(r.user_id) for r in found} == {owner["uid"], friend["uid"]}
    assert call("get_room", {"roomId": str(uuid.uuid4()).upper()}, uid=owner["uid"]).status == (
        "PERMISSION_DENIED"
    )
