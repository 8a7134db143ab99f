"""Names through the real callables: look-alike usernames, invisible and bidi names."""

from __future__ import annotations

import uuid

import pytest

PASSWORD = "correct horse battery"


def _register(call, username: str, display_name: str = "Someone"):
    data = {"username": username, "password": PASSWORD, "displayName": display_name}
    return call("register", data)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("mia", "rnia"),
        ("alice", "a1ice"),
        ("google", "g00gle"),
    ],
)
def test_a_look_alike_username_cannot_register_beside_the_first(
    call, rows, first: str, second: str
) -> None:
    suffix = uuid.uuid4().hex[:6].replace("0", "a").replace("1", "b")
    assert _register(call, f"{first}_{suffix}").ok
    out = _register(call, f"{second}_{suffix}")
    assert out.status == "ALREADY_EXISTS", out
    assert rows(
        "SELECT count(*) FROM users WHERE username_skeleton = :s",
        s=f"{first}_{suffix}".replace("m", "rn").replace("0", "o").replace("1", "l"),
    ) == [(1,)]


def test_the_cyrillic_look_alike_is_refused_and_nothing_is_written(call, rows) -> None:
    assert _register(call, "alice_cyr").ok
    out = _register(call, "\u0430lice_cyr")
    assert out.status in ("ALREADY_EXISTS", "INVALID_ARGUMENT"), out
    assert rows("SELECT count(*) FROM users WHERE username LIKE '%lice_cyr'") == [(1,)]


@pytest.mark.parametrize("name", ["\u200b", "\u2800\u2800", "\u3164", "\u115f", " \u200b "])
def test_invisible_display_names_are_refused(call, new_user, name: str) -> None:
    out = _register(call, f"inv_{uuid.uuid4().hex[:8]}", display_name=name)
    assert out.status == "INVALID_ARGUMENT" and "visible" in out.body["error"]["message"]
    user = new_user()
    out = call("update_profile", {"displayName": name}, uid=user["uid"])
    assert out.status == "INVALID_ARGUMENT"


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_bidi_controls_are_refused_in_display_and_room_names(call, new_user, control: str) -> None:
    user = new_user()
    out = call("update_profile", {"displayName": f"admin{control}nimda"}, uid=user["uid"])
    assert out.status == "INVALID_ARGUMENT" and "bidirectional" in out.body["error"]["message"]
    out = call(
        "create_room",
        {"kind": "group", "name": f"pay{control}lap", "memberIds": []},
        uid=user["uid"],
    )
    assert out.status == "INVALID_ARGUMENT" and "bidirectional" in out.body["error"]["message"]


def test_names_are_stored_nfkc(call, new_user, rows) -> None:
    out = _register(call, "full_" + uuid.uuid4().hex[:6], display_name="  Ｆｕｌｌ ﬁne  ")
    assert out.ok
    [(username, display_name)] = rows(
        "SELECT username, display_name FROM users WHERE id = :id", id=out.result["uid"]
    )
    assert username.startswith("full_") and display_name == "Full fine"
    owner = new_user()
    room = call(
        "create_room", {"kind": "group", "name": "Ｔｅａｍ", "memberIds": []}, uid=owner["uid"]
    )
    assert room.ok
    assert rows("SELECT name FROM rooms WHERE id = :id", id=room.result["roomId"]) == [("Team",)]
