"""A hostile client against the callables: forged, expired and foreign ID tokens, replayed
idempotency keys, NUL bytes and search patterns. Each refusal is checked for its code and
for leaving nothing behind."""

from __future__ import annotations

import json
import uuid
from typing import Any

import flask
import pytest

from tests.support.id_tokens import id_token, unsigned_jwt


def call_with_header(main_module: Any, name: str, data: Any, authorization: str) -> Any:
    """The callable as a client reaches it, with exactly this Authorization header."""
    app = flask.Flask("hostile")
    with app.test_request_context(
        "/", method="POST", json={"data": data}, headers={"Authorization": authorization}
    ):
        response = getattr(main_module, name)(flask.request)
    return response.status_code, json.loads(response.get_data())


@pytest.fixture
def room(call, new_user) -> dict[str, Any]:
    owner, member = new_user(prefix="own"), new_user(prefix="mem")
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Target", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    return {"id": room_id, "owner": owner["uid"], "member": member["uid"]}


def forged_tokens(uid: str) -> dict[str, str]:
    now_claims = {"sub": uid, "user_id": uid}
    return {
        "expired": id_token(uid, lifetime_seconds=-30),
        "no expiry": unsigned_jwt(
            {
                "iss": "https://securetoken.google.com/demo-flowchat",
                "aud": "demo-flowchat",
                "iat": 1,
                **now_claims,
            }
        ),
        "other project": id_token(uid, project_id="demo-other"),
        "other issuer": id_token(uid, iss="https://evil.example/demo-flowchat"),
        "no subject": id_token("", sub=""),
        "not a jwt": "hello",
    }


@pytest.mark.parametrize(
    "kind", ["expired", "no expiry", "other project", "other issuer", "no subject", "not a jwt"]
)
def test_forged_or_expired_tokens_are_unauthenticated(main_module, rows, room, kind: str) -> None:
    """Even where the Admin SDK trusts unsigned tokens (emulator mode), an expired one or one
    of another project is refused, and nothing is written."""
    token = forged_tokens(room["owner"])[kind]
    before = rows("SELECT count(*) FROM room_members WHERE room_id = :r", r=room["id"])
    status, body = call_with_header(
        main_module,
        "rename_room",
        {"roomId": room["id"], "name": "Pwned"},
        f"Bearer {token}",
    )
    assert status == 401 and body["error"]["status"] == "UNAUTHENTICATED", body
    assert rows("SELECT name FROM rooms WHERE id = :r", r=room["id"])[0].name == "Target"
    assert rows("SELECT count(*) FROM room_members WHERE room_id = :r", r=room["id"]) == before


def test_unsigned_tokens_are_refused_outside_the_emulator(
    main_module, monkeypatch, room, rows
) -> None:
    """Production (no FIREBASE_AUTH_EMULATOR_HOST): an unsigned token never authenticates,
    neither a callable nor upload_file's own check."""
    from flowchat.adapters import tokens

    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)
    token = id_token(room["owner"])
    assert tokens.uid_of_id_token(token) is None
    status, body = call_with_header(
        main_module, "rename_room", {"roomId": room["id"], "name": "Pwned"}, f"Bearer {token}"
    )
    assert status == 401 and body["error"]["status"] == "UNAUTHENTICATED", body
    assert rows("SELECT name FROM rooms WHERE id = :r", r=room["id"])[0].name == "Target"


def test_expired_token_is_refused_by_upload_file_too(main_module, room) -> None:
    from flowchat.adapters import tokens

    assert tokens.uid_of_id_token(id_token(room["member"], lifetime_seconds=-30)) is None
    assert tokens.uid_of_id_token(id_token(room["member"], project_id="demo-other")) is None


# ---------- send_message idempotency ----------


def send(call, room, uid: str, key: str, **data: Any) -> Any:
    return call("send_message", {"roomId": room["id"], "idempotencyKey": key, **data}, uid=uid)


def test_replayed_key_with_other_mentions_is_already_exists(call, firestore, room) -> None:
    key = uuid.uuid4().hex
    first = send(call, room, room["member"], key, text="hi", mentions=[room["owner"]])
    assert first.result["created"] is True
    again = send(call, room, room["member"], key, text="hi")
    assert again.status == "ALREADY_EXISTS"
    stored = (
        firestore.document(f"rooms/{room['id']}/messages/{first.result['messageId']}")
        .get()
        .to_dict()
    )
    assert stored["mentions"] == [room["owner"]]


def test_a_message_squatting_the_callers_id_is_not_taken_for_theirs(call, firestore, room) -> None:
    """Another author's document at the id a sender's key derives (clients choose message
    ids) is not answered as the sender's message."""
    from flowchat.services.messages import message_id_for

    key = uuid.uuid4().hex
    squatted = message_id_for(room["member"], room["id"], key)
    doc = firestore.document(f"rooms/{room['id']}/messages/{squatted}")
    doc.set(
        {
            "authorId": room["owner"],
            "kind": "text",
            "text": "hi",
            "attachments": [],
            "createdAt": 1,
            "parentId": None,
        }
    )
    out = send(call, room, room["member"], key, text="hi")
    assert out.status == "ALREADY_EXISTS"
    assert doc.get().to_dict()["authorId"] == room["owner"]


# ---------- NUL bytes and search patterns ----------


def test_nul_in_message_text_is_invalid_argument(call, firestore, room) -> None:
    out = send(call, room, room["member"], uuid.uuid4().hex, text="a\x00b")
    assert out.status == "INVALID_ARGUMENT"
    out = send(
        call,
        room,
        room["member"],
        uuid.uuid4().hex,
        text="x",
        mentions=[room["owner"]],
        parentId="no\x00pe",
    )
    assert out.status == "INVALID_ARGUMENT"
    assert list(firestore.collection(f"rooms/{room['id']}/messages").stream()) == []


@pytest.mark.parametrize("query", ["%%", "__", "%_", "\\\\", "_%_%", "\\%"])
def test_search_patterns_match_nothing_special(call, new_user, query: str) -> None:
    """`%`, `_` and backslashes are no wildcards: they never list every user."""
    searcher = new_user(prefix="srch")
    new_user(prefix="victim")
    out = call("search_users", {"query": query}, uid=searcher["uid"])
    assert out.ok, out.body
    assert out.result["users"] == []


@pytest.mark.parametrize("query", ["\x00x", "ab\x00"])
def test_search_with_nul_is_invalid_argument(call, new_user, query: str) -> None:
    searcher = new_user(prefix="srch")
    assert call("search_users", {"query": query}, uid=searcher["uid"]).status == "INVALID_ARGUMENT"
    assert (
        call("search_messages", {"query": query}, uid=searcher["uid"]).status == "INVALID_ARGUMENT"
    )


# ---------- IDOR and role escalation ----------


@pytest.fixture
def ranked(call, new_user) -> dict[str, Any]:
    """A group with an owner, an admin and a member, plus an outsider with a room of their own."""
    owner, admin, member, outsider = (new_user(prefix=p) for p in ("own", "adm", "mem", "out"))
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Ranks", "memberIds": [admin["uid"], member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    assert call(
        "set_role", {"roomId": room_id, "userId": admin["uid"], "role": "admin"}, uid=owner["uid"]
    ).ok
    other = call(
        "create_room", {"kind": "group", "name": "Other", "memberIds": []}, uid=outsider["uid"]
    ).result["roomId"]
    return {
        "room": room_id,
        "other": other,
        **{
            k: v["uid"]
            for k, v in zip(
                ("owner", "admin", "member", "outsider"),
                (owner, admin, member, outsider),
                strict=True,
            )
        },
    }


def roles(rows, room_id: str) -> dict[str, str]:
    return {
        str(r.user_id): r.role
        for r in rows("SELECT user_id, role FROM room_members WHERE room_id = :r", r=room_id)
    }


ESCALATIONS = [
    ("member promotes self", "member", "set_role", {"userId": "member", "role": "owner"}),
    ("admin promotes self", "admin", "set_role", {"userId": "admin", "role": "owner"}),
    ("admin demotes owner", "admin", "set_role", {"userId": "owner", "role": "member"}),
    ("admin promotes member", "admin", "set_role", {"userId": "member", "role": "admin"}),
    ("admin removes owner", "admin", "remove_member", {"userId": "owner"}),
    ("member removes admin", "member", "remove_member", {"userId": "admin"}),
    (
        "admin mutes owner",
        "admin",
        "mute_member",
        {"userId": "owner", "until": "2099-01-01T00:00:00Z"},
    ),
    ("member mutes admin", "member", "mute_member", {"userId": "admin", "until": None}),
    ("admin bans owner", "admin", "ban_member", {"userId": "owner"}),
    ("member bans member", "member", "ban_member", {"userId": "admin"}),
    ("member renames", "member", "rename_room", {"name": "Mine"}),
    ("member lists bans", "member", "list_bans", {}),
    ("outsider adds self", "outsider", "add_members", {"memberIds": ["outsider"]}),
    ("outsider reads room", "outsider", "get_room", {}),
    ("outsider hides room", "outsider", "hide_room", {}),
    ("outsider sets push level", "outsider", "set_notification_level", {"level": "none"}),
    (
        "outsider signs an upload",
        "outsider",
        "get_upload_signature",
        {"fileName": "a.png", "size": 10, "contentType": "image/png"},
    ),
]


@pytest.mark.parametrize(
    ("actor", "name", "data"), [e[1:] for e in ESCALATIONS], ids=[e[0] for e in ESCALATIONS]
)
def test_escalations_are_refused_and_change_nothing(call, rows, ranked, actor, name, data) -> None:
    w = ranked
    data = {
        k: ([w[x] for x in v] if isinstance(v, list) else w.get(v, v) if k == "userId" else v)
        for k, v in data.items()
    }
    before = roles(rows, w["room"])
    bans = rows("SELECT count(*) FROM room_bans WHERE room_id = :r", r=w["room"])
    out = call(name, {"roomId": w["room"], **data}, uid=w[actor])
    assert out.status in ("PERMISSION_DENIED", "INVALID_ARGUMENT"), out.body
    assert roles(rows, w["room"]) == before
    assert rows("SELECT count(*) FROM room_bans WHERE room_id = :r", r=w["room"]) == bans
    assert rows("SELECT name FROM rooms WHERE id = :r", r=w["room"])[0].name == "Ranks"


def test_reports_cannot_reach_across_rooms(call, firestore, ranked) -> None:
    """A member reports a message id of another room (NOT_FOUND); a member of the other room
    cannot resolve this room's reports."""
    w = ranked
    sent = call(
        "send_message",
        {"roomId": w["other"], "idempotencyKey": uuid.uuid4().hex, "text": "elsewhere"},
        uid=w["outsider"],
    ).result["messageId"]
    out = call(
        "report_message",
        {"roomId": w["room"], "messageId": sent, "reason": "spam"},
        uid=w["member"],
    )
    assert out.status == "NOT_FOUND"
    mine = call(
        "send_message",
        {"roomId": w["room"], "idempotencyKey": uuid.uuid4().hex, "text": "here"},
        uid=w["owner"],
    ).result["messageId"]
    report = call(
        "report_message",
        {"roomId": w["room"], "messageId": mine, "reason": "rude"},
        uid=w["member"],
    ).result
    report_id = report["reportId"]
    for actor in ("member", "outsider"):
        resolved = call(
            "resolve_report", {"roomId": w["room"], "reportId": report_id}, uid=w[actor]
        )
        assert resolved.status == "PERMISSION_DENIED"
    resolved = call(
        "resolve_report", {"roomId": w["other"], "reportId": report_id}, uid=w["outsider"]
    )
    assert resolved.status == "NOT_FOUND"


def test_unregistering_another_users_device_changes_nothing(call, rows, new_user) -> None:
    victim, attacker = new_user(prefix="vic"), new_user(prefix="att")
    token = "victim-fcm-" + uuid.uuid4().hex
    assert call("register_device", {"token": token, "platform": "web"}, uid=victim["uid"]).ok
    out = call("unregister_device", {"token": token}, uid=attacker["uid"])
    assert out.ok and out.result.get("removed") in (False, None), out.body
    owner = rows("SELECT user_id FROM devices WHERE token = :t", t=token)
    assert [str(r.user_id) for r in owner] == [victim["uid"]]


def test_create_room_request_id_replayed_with_other_members_is_already_exists(
    call, new_user, rows
) -> None:
    owner, first, second = new_user(prefix="own"), new_user(prefix="one"), new_user(prefix="two")
    data = {"kind": "group", "name": "Same", "requestId": uuid.uuid4().hex}
    made = call("create_room", {**data, "memberIds": [first["uid"]]}, uid=owner["uid"])
    room_id = made.result["roomId"]
    again = call("create_room", {**data, "memberIds": [first["uid"]]}, uid=owner["uid"])
    assert again.result["roomId"] == room_id and again.result["created"] is False
    other = call("create_room", {**data, "memberIds": [second["uid"]]}, uid=owner["uid"])
    assert other.status == "ALREADY_EXISTS"
    assert set(roles(rows, room_id)) == {owner["uid"], first["uid"]}
