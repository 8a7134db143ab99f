"""register, login (argon2id, throttling), update_profile, through their decorators."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest


def _token_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_register_creates_account_profile_and_token(call, rows, firestore) -> None:
    out = call(
        "register",
        {
            "username": "Alice_1",
            "password": "s3cret-pass",
            "displayName": "Alice",
            "email": "Alice@Example.com",
        },
    )
    uid = out.result["uid"]
    claims = _token_claims(out.result["customToken"])
    assert claims["uid"] == uid and claims["claims"] == {"username": "Alice_1"}
    [user] = rows(
        "SELECT username, email, password_hash, display_name FROM users WHERE id = :u", u=uid
    )
    assert user.username == "Alice_1" and user.email == "Alice@Example.com"
    assert user.password_hash.startswith("$argon2id$") and "s3cret-pass" not in user.password_hash
    actions = [
        r.action
        for r in rows("SELECT action FROM audit_log WHERE actor_id = :u ORDER BY id", u=uid)
    ]
    assert actions == ["register", "token_minted"]
    profile = firestore.document(f"users/{uid}").get()
    assert profile.to_dict() == {
        "username": "Alice_1",
        "displayName": "Alice",
        "avatarUrl": None,
        "avatarThumbUrl": None,
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": "long enough", "displayName": "X"}, "username"),
        ({"username": "ab", "password": "long enough", "displayName": "X"}, "username"),
        ({"username": "bad name!", "password": "long enough", "displayName": "X"}, "username"),
        ({"username": "okname", "password": "short", "displayName": "X"}, "password"),
        ({"username": "okname", "password": 12345678, "displayName": "X"}, "password"),
        ({"username": "okname", "password": "long enough", "displayName": "   "}, "displayName"),
        ({"username": "okname", "password": "long enough"}, "displayName"),
        (
            {"username": "okname", "password": "long enough", "displayName": "X", "email": "nope"},
            "email",
        ),
    ],
)
def test_register_rejects_bad_input_and_writes_nothing(call, counts, data, field) -> None:
    before = counts()
    out = call("register", data)
    assert out.status == "INVALID_ARGUMENT"
    assert field in out.body["error"]["message"]
    assert counts() == before


def test_register_data_must_be_an_object(call, counts) -> None:
    before = counts()
    assert call("register", ["not", "an", "object"]).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_username_and_email_are_unique_case_insensitively(call, counts, new_user) -> None:
    alice = new_user()
    call("update_profile", {"displayName": "A"}, uid=alice["uid"])
    before = counts()
    same_name = call(
        "register",
        {"username": alice["username"].upper(), "password": "long enough", "displayName": "Copy"},
    )
    assert same_name.status == "ALREADY_EXISTS"
    first = call(
        "register",
        {
            "username": "mail_owner",
            "password": "long enough",
            "displayName": "M",
            "email": "dup@example.com",
        },
    )
    assert first.ok
    after_first = counts()
    same_mail = call(
        "register",
        {
            "username": "mail_copy",
            "password": "long enough",
            "displayName": "M",
            "email": "DUP@example.com",
        },
    )
    assert same_mail.status == "ALREADY_EXISTS"
    assert counts() == after_first and after_first["users"] == before["users"] + 1


def test_login_by_username_or_email(call, rows) -> None:
    reg = call(
        "register",
        {
            "username": "bob_login",
            "password": "bob-password",
            "displayName": "Bob",
            "email": "bob@example.com",
        },
    ).result
    by_name = call("login", {"usernameOrEmail": "BOB_LOGIN", "password": "bob-password"})
    by_mail = call("login", {"usernameOrEmail": "Bob@Example.com", "password": "bob-password"})
    assert by_name.result["uid"] == by_mail.result["uid"] == reg["uid"]
    assert _token_claims(by_name.result["customToken"])["uid"] == reg["uid"]
    logins = rows(
        "SELECT client_address FROM audit_log WHERE actor_id = :u AND action = 'login'",
        u=reg["uid"],
    )
    assert [r.client_address for r in logins] == ["203.0.113.9", "203.0.113.9"]


def test_wrong_password_and_unknown_user_fail_alike(call, rows, new_user) -> None:
    user = new_user()
    wrong = call("login", {"usernameOrEmail": user["username"], "password": "not it at all"})
    unknown = call("login", {"usernameOrEmail": "nobody_here", "password": "not it at all"})
    assert wrong.status == unknown.status == "UNAUTHENTICATED"
    assert wrong.body["error"]["message"] == unknown.body["error"]["message"]
    failed = rows("SELECT actor_id FROM audit_log WHERE action = 'login_failed'")
    assert {str(r.actor_id) if r.actor_id else None for r in failed} >= {user["uid"], None}


def test_failed_logins_are_throttled_per_account(call) -> None:
    assert call(
        "register",
        {
            "username": "thr_acct",
            "password": "right password",
            "displayName": "T",
            "email": "thr@example.com",
        },
    ).ok
    # Username and email of one account share one budget.
    names = ["thr_acct", "THR@example.com"] * 3
    statuses = [
        call(
            "login",
            {"usernameOrEmail": names[i], "password": "wrong password"},
            address=f"198.51.100.{i}",
        ).status
        for i in range(5)
    ]
    assert statuses == ["UNAUTHENTICATED"] * 5
    good = {"usernameOrEmail": "thr_acct", "password": "right password"}
    blocked = call("login", good, address="198.51.100.77")
    assert blocked.status == "RESOURCE_EXHAUSTED"
    assert 1 <= blocked.details["retryAfterSeconds"] <= 900


def test_failed_logins_are_throttled_per_address(call, new_user, monkeypatch) -> None:
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ADDRESS", "3")
    user = new_user()
    for i in range(3):
        out = call(
            "login",
            {"usernameOrEmail": f"ghost_{i}", "password": "whatever1"},
            address="192.0.2.50",
        )
        assert out.status == "UNAUTHENTICATED"
    good = {"usernameOrEmail": user["username"], "password": user["password"]}
    assert call("login", good, address="192.0.2.50").status == "RESOURCE_EXHAUSTED"
    assert call("login", good, address="192.0.2.51").ok


def test_success_resets_the_account_counter(call, new_user) -> None:
    user = new_user()
    bad = {"usernameOrEmail": user["username"], "password": "wrong password"}
    good = {"usernameOrEmail": user["username"], "password": user["password"]}
    for _ in range(4):
        call("login", bad, address="198.51.100.1")
    assert call("login", good, address="198.51.100.2").ok
    for _ in range(4):
        assert call("login", bad, address="198.51.100.3").status == "UNAUTHENTICATED"


def test_disabled_account_cannot_log_in_or_act(call, rows, new_user) -> None:
    user = new_user()
    rows("UPDATE users SET disabled = true WHERE id = :u RETURNING id", u=user["uid"])
    out = call("login", {"usernameOrEmail": user["username"], "password": user["password"]})
    assert out.status == "PERMISSION_DENIED"
    assert call("search_users", {"query": "user"}, uid=user["uid"]).status == "PERMISSION_DENIED"
    out = call("update_profile", {"displayName": "Back"}, uid=user["uid"])
    assert out.status == "PERMISSION_DENIED"


def test_login_rejects_missing_fields(call, counts) -> None:
    before = counts()
    assert call("login", {"usernameOrEmail": "x"}).status == "INVALID_ARGUMENT"
    assert call("login", {"password": "xxxxxxxx"}).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_update_profile_changes_row_and_mirror(call, rows, firestore, new_user) -> None:
    user = new_user()
    folder = (
        f"https://res.cloudinary.com/demo-flowchat/image/upload/%s/flowchat/avatars/{user['uid']}"
    )
    url = folder % "v1" + "/a.png"
    out = call("update_profile", {"displayName": "New Name", "avatarUrl": url}, uid=user["uid"])
    assert out.result == {
        "username": user["username"],
        "displayName": "New Name",
        "avatarUrl": url,
        "avatarThumbUrl": folder % "c_thumb,g_face,h_128,w_128/v1" + "/a.png",
    }
    doc = firestore.document(f"users/{user['uid']}").get().to_dict()
    assert doc == out.result
    [audit] = rows(
        "SELECT details FROM audit_log WHERE actor_id = :u AND action = 'profile_updated'",
        u=user["uid"],
    )
    assert audit.details == {"fields": ["avatar_url", "display_name"]}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"displayName": ""},
        {"displayName": "x" * 65},
        {"avatarUrl": "http://insecure/a.png"},
        {"avatarUrl": 5},
    ],
)
def test_update_profile_rejects_bad_input(call, counts, new_user, data) -> None:
    user = new_user()
    before = counts()
    assert call("update_profile", data, uid=user["uid"]).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_update_profile_needs_sign_in(call, counts) -> None:
    before = counts()
    assert call("update_profile", {"displayName": "x"}).status == "UNAUTHENTICATED"
    assert counts() == before


def test_profile_projection_keeps_fields_other_writers_own(call, firestore, new_user) -> None:
    user = new_user()
    firestore.document(f"users/{user['uid']}").set({"online": True}, merge=True)
    assert call("update_profile", {"displayName": "Kept"}, uid=user["uid"]).ok
    doc = firestore.document(f"users/{user['uid']}").get().to_dict()
    assert doc["online"] is True and doc["displayName"] == "Kept"
