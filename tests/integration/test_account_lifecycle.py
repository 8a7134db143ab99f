"""change_password, delete_account and export_my_data against PostgreSQL, the Firestore and
RTDB emulators and the Firebase CLI's Auth emulator."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from firebase_admin import auth
from flowchat.adapters import firebase_app, identity
from google.cloud import firestore as gcf

from tests.integration.conftest import query, rtdb_ref

PASSWORD = "correct horse battery"


@pytest.fixture
def with_rtdb(rtdb_mirror: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The RTDB mirror on, and no pause between one user's messages."""
    monkeypatch.setenv("SEND_MESSAGE_MIN_INTERVAL_SECONDS", "0")


def _register(call, prefix: str) -> dict[str, str]:
    username = f"{prefix}_{uuid.uuid4().hex[:10]}"
    email = f"{username}@example.org"
    data = {
        "username": username,
        "password": PASSWORD,
        "displayName": f"{prefix.title()} Person",
        "email": email,
    }
    out = call("register", data).result
    # Added to rooms directly below: the default add policy would invite them (issue 11).
    assert call("set_add_policy", {"policy": "anyone"}, uid=out["uid"]).ok
    return {**out, "username": username, "email": email}


def _sign_in(auth_host: str, custom_token: str) -> dict[str, str]:
    response = httpx.post(
        f"http://{auth_host}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken",
        params={"key": "fake-api-key"},
        json={"token": custom_token, "returnSecureToken": True},
    )
    response.raise_for_status()
    return response.json()


def _group(call, owner, name: str, members: list[dict[str, str]]) -> str:
    data = {"kind": "group", "name": name, "memberIds": [m["uid"] for m in members]}
    return call("create_room", data, uid=owner["uid"]).result["roomId"]


def _send(call, user, room_id: str, text: str) -> str:
    data = {"roomId": room_id, "idempotencyKey": uuid.uuid4().hex, "kind": "text", "text": text}
    return call("send_message", data, uid=user["uid"]).result["messageId"]


# ---------- change_password ----------


def test_change_password_checks_the_current_one_and_signs_out_other_sessions(
    call, rows, auth_emulator
) -> None:
    user = _register(call, "pw")
    other_session = _sign_in(auth_emulator, user["customToken"])
    time.sleep(1.1)  # revocation is recorded in whole seconds
    wrong = {"currentPassword": "not my password", "newPassword": "a brand new secret"}
    assert call("change_password", wrong, uid=user["uid"]).status == "PERMISSION_DENIED"
    weak = {"currentPassword": PASSWORD, "newPassword": "password"}
    assert call("change_password", weak, uid=user["uid"]).status == "INVALID_ARGUMENT"
    login = {"usernameOrEmail": user["username"], "password": PASSWORD}
    assert call("login", login).ok  # nothing changed so far

    good = {"currentPassword": PASSWORD, "newPassword": "a brand new secret"}
    out = call("change_password", good, uid=user["uid"]).result
    assert out["uid"] == user["uid"]
    assert call("login", login).status == "UNAUTHENTICATED"
    assert call("login", {**login, "password": "a brand new secret"}).ok
    # The other session's ID token now counts as revoked (in production its refresh token
    # is refused too; the Auth emulator does not enforce that part), and this session signs
    # in again with the custom token it got back.
    with pytest.raises(auth.RevokedIdTokenError):
        auth.Client(firebase_app.app()).verify_id_token(
            other_session["idToken"], check_revoked=True
        )
    fresh = _sign_in(auth_emulator, out["customToken"])["idToken"]
    assert auth.Client(firebase_app.app()).verify_id_token(fresh, check_revoked=True)
    actions = [
        r.action for r in rows("SELECT action FROM audit_log WHERE actor_id = :u", u=user["uid"])
    ]
    assert actions.count("password_changed") == 1
    assert actions.count("password_check_failed") == 1


def test_change_password_refuses_bad_input(call, counts) -> None:
    user = _register(call, "pwbad")
    before = counts()
    for data in (
        {},
        {"currentPassword": PASSWORD},
        {"currentPassword": PASSWORD, "newPassword": 12345678},
        {"currentPassword": PASSWORD, "newPassword": "x" * 300},
    ):
        assert call("change_password", data, uid=user["uid"]).status == "INVALID_ARGUMENT"
    assert counts() == before
    assert (
        call("change_password", {"currentPassword": PASSWORD, "newPassword": "abc defg hij"}).status
        == "UNAUTHENTICATED"
    )


# ---------- delete_account ----------


@pytest.fixture
def doomed(call, firestore, with_rtdb, auth_emulator) -> dict[str, Any]:
    """A user with something in every store, and the people around them."""
    me = _register(call, "doomed")
    heir, plain, owner2, peer, blocked = (
        _register(call, p) for p in ("heir", "plain", "owner2", "peer", "blocked")
    )
    mine = _group(call, me, "Mine", [heir, plain])
    assert call(
        "set_role", {"roomId": mine, "userId": heir["uid"], "role": "admin"}, uid=me["uid"]
    ).ok
    theirs = _group(call, owner2, "Theirs", [me, plain])
    alone = _group(call, me, "Alone", [])
    banned_from = _group(call, owner2, "Banned", [])
    direct = call(
        "create_room", {"kind": "direct", "memberIds": [peer["uid"]]}, uid=me["uid"]
    ).result["roomId"]
    texts = dict.fromkeys(
        (mine, theirs, alone, direct), f"hello from {me['username']} <{me['email']}>"
    )
    my_messages = {room: _send(call, me, room, text) for room, text in texts.items()}
    their_message = _send(call, plain, theirs, "a message by someone else")
    moderated = _send(call, plain, mine, "to be moderated")
    client = firestore
    client.document(f"rooms/{theirs}/messages/{their_message}/reactions/{me['uid']}").set(
        {"emoji": "👍", "createdAt": gcf.SERVER_TIMESTAMP}
    )
    client.document(f"rooms/{theirs}/receipts/{me['uid']}").set(
        {"lastReadAt": gcf.SERVER_TIMESTAMP, "lastReadMessageId": their_message}
    )
    client.document(f"rooms/{mine}/messages/{moderated}").update(
        {"text": "", "attachments": [], "deletedAt": gcf.SERVER_TIMESTAMP, "deletedBy": me["uid"]}
    )
    client.document(f"rooms/{theirs}").update(
        {
            "lastMessage": {
                "messageId": my_messages[theirs],
                "authorId": me["uid"],
                "text": texts[theirs],
            }
        }
    )
    assert call(
        "report_message",
        {"roomId": theirs, "messageId": their_message, "reason": f"reported by {me['username']}"},
        uid=me["uid"],
    ).ok
    assert call(
        "register_device", {"token": f"tok-{me['uid']}", "platform": "ios"}, uid=me["uid"]
    ).ok
    assert call("set_notification_level", {"roomId": theirs, "level": "mentions"}, uid=me["uid"]).ok
    assert call("mute_user", {"userId": peer["uid"]}, uid=me["uid"]).ok
    assert call("block_user", {"userId": blocked["uid"]}, uid=me["uid"]).ok
    assert call("ban_member", {"roomId": banned_from, "userId": me["uid"]}, uid=owner2["uid"]).ok
    until = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    assert call(
        "mute_member", {"roomId": theirs, "userId": me["uid"], "until": until}, uid=owner2["uid"]
    ).ok
    assert (
        call("login", {"usernameOrEmail": me["email"], "password": "wrong password!"}).status
        == "UNAUTHENTICATED"
    )
    rtdb_ref(f"status/{me['uid']}/connections/s1").set({"startedAt": 1, "lastActive": 1})
    rtdb_ref(f"typing/{theirs}/{me['uid']}").set(1)
    _sign_in(auth_emulator, me["customToken"])
    assert identity.exists(me["uid"])
    return {
        "me": me,
        "heir": heir,
        "plain": plain,
        "peer": peer,
        "mine": mine,
        "theirs": theirs,
        "alone": alone,
        "direct": direct,
        "my_messages": my_messages,
        "moderated": moderated,
    }


def _needles(me: dict[str, str]) -> list[str]:
    return [me["uid"], me["username"].lower(), me["email"].lower()]


def _postgres_hits(needles: list[str]) -> list[str]:
    tables = [
        r.table_name
        for r in query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    ]
    assert {"users", "audit_log", "outbox", "devices", "message_index"} <= set(tables)
    hits = []
    for table in tables:
        for row in query(f'SELECT t::text AS line FROM "{table}" AS t'):
            line = row.line.lower()
            hits += [f"{table}: {row.line[:200]}" for n in needles if n in line]
    return hits


def _firestore_hits(client: Any, needles: list[str]) -> list[str]:
    hits: list[str] = []

    def walk(collections: Any) -> None:
        for collection in collections:
            for doc in collection.list_documents():
                snapshot = doc.get()
                text = doc.path + " " + json.dumps(snapshot.to_dict() or {}, default=str)
                hits.extend(f"{doc.path}: {text[:200]}" for n in needles if n in text.lower())
                walk(doc.collections())

    walk(client.collections())
    return hits


def test_delete_account_leaves_nothing_personal(call, rows, firestore, doomed) -> None:
    me = doomed["me"]
    wrong = call("delete_account", {"password": "not it at all"}, uid=me["uid"])
    assert wrong.status == "PERMISSION_DENIED"
    assert rows("SELECT 1 FROM users WHERE id = :u", u=me["uid"])

    out = call("delete_account", {"password": PASSWORD}, uid=me["uid"]).result
    assert out["deleted"] is True
    assert set(out["closedRooms"]) == {doomed["alone"], doomed["direct"]}

    needles = _needles(me)
    assert _postgres_hits(needles) == []
    assert _firestore_hits(firestore, needles) == []
    tree = json.dumps(rtdb_ref("/").get() or {})
    assert not [n for n in needles if n in tree.lower()]
    assert not identity.exists(me["uid"])

    # What stays: the room handed over, the messages as tombstones by "deleted user".
    [heir] = rows(
        "SELECT role FROM room_members WHERE room_id = :r AND user_id = :u",
        r=doomed["mine"],
        u=doomed["heir"]["uid"],
    )
    assert heir.role == "owner"
    assert (
        firestore.document(f"rooms/{doomed['mine']}/members/{doomed['heir']['uid']}")
        .get()
        .get("role")
        == "owner"
    )
    for room in (doomed["mine"], doomed["theirs"]):
        msg = firestore.document(f"rooms/{room}/messages/{doomed['my_messages'][room]}").get()
        assert msg.get("authorId") == "deleted-user" and msg.get("text") == ""
        assert msg.get("deletedAt") is not None
    moderated = firestore.document(f"rooms/{doomed['mine']}/messages/{doomed['moderated']}")
    assert moderated.get().get("deletedBy") == "deleted-user"
    for closed in (doomed["alone"], doomed["direct"]):
        assert not rows("SELECT 1 FROM rooms WHERE id = :r", r=closed)
        assert not firestore.document(f"rooms/{closed}").get().exists
        assert not list(firestore.collection(f"rooms/{closed}/messages").list_documents())
    assert (
        not firestore.document(f"users/{doomed['peer']['uid']}/rooms/{doomed['direct']}")
        .get()
        .exists
    )
    assert rows("SELECT 1 FROM audit_log WHERE action = 'account_deleted'")
    # The ID token outlives the account for up to an hour; it opens nothing any more.
    assert call("export_my_data", {}, uid=me["uid"]).status == "PERMISSION_DENIED"
    assert call("delete_account", {"password": PASSWORD}, uid=me["uid"]).status == (
        "PERMISSION_DENIED"
    )


# ---------- export_my_data ----------


def test_export_holds_everything_seeded_for_the_user(call, firestore, with_rtdb) -> None:
    me, owner, other = (_register(call, p) for p in ("exporter", "exowner", "exother"))
    mine = _group(call, me, "Exported", [other])
    theirs = _group(call, owner, "Joined", [me, other])
    m1 = _send(call, me, mine, "first of mine")
    m2 = _send(call, me, theirs, "second of mine")
    _send(call, other, theirs, "not mine")
    target = _send(call, other, mine, "react to me")
    firestore.document(f"rooms/{mine}/messages/{target}/reactions/{me['uid']}").set(
        {"emoji": "🎉", "createdAt": gcf.SERVER_TIMESTAMP}
    )
    firestore.document(f"rooms/{theirs}/messages/{m2}/reactions/{other['uid']}").set(
        {"emoji": "👍", "createdAt": gcf.SERVER_TIMESTAMP}
    )  # someone else's: not exported
    assert call("block_user", {"userId": owner["uid"]}, uid=me["uid"]).ok
    for token, platform in (("tok-a-" + me["uid"], "android"), ("tok-w-" + me["uid"], "web")):
        assert call("register_device", {"token": token, "platform": platform}, uid=me["uid"]).ok
    assert call("set_notification_level", {"roomId": theirs, "level": "none"}, uid=me["uid"]).ok
    assert call("mute_user", {"userId": other["uid"]}, uid=me["uid"]).ok

    out = call("export_my_data", {}, uid=me["uid"]).result
    json.dumps(out)  # a JSON file as it stands
    assert out["format"] == "flowchat-export-1"
    profile = out["profile"]
    assert (profile["uid"], profile["username"], profile["email"], profile["displayName"]) == (
        me["uid"],
        me["username"],
        me["email"],
        "Exporter Person",
    )
    assert {(m["roomId"], m["role"], m["kind"], m["name"]) for m in out["memberships"]} == {
        (mine, "owner", "group", "Exported"),
        (theirs, "member", "group", "Joined"),
    }
    assert {(m["roomId"], m["messageId"], m["text"]) for m in out["messages"]} == {
        (mine, m1, "first of mine"),
        (theirs, m2, "second of mine"),
    }
    assert all(m["kind"] == "text" and m["createdAt"] for m in out["messages"])
    assert [(r["roomId"], r["messageId"], r["emoji"]) for r in out["reactions"]] == [
        (mine, target, "🎉")
    ]
    assert [b["userId"] for b in out["blocks"]] == [owner["uid"]]
    assert {(d["token"], d["platform"]) for d in out["devices"]} == {
        ("tok-a-" + me["uid"], "android"),
        ("tok-w-" + me["uid"], "web"),
    }
    assert out["notificationLevels"] == [{"roomId": theirs, "level": "none"}]
    assert [m["userId"] for m in out["mutedUsers"]] == [other["uid"]]
    assert out["reports"] == []
    assert call("export_my_data", {"extra": 1}, uid=me["uid"]).status == "INVALID_ARGUMENT"
    assert call("export_my_data", {}).status == "UNAUTHENTICATED"
