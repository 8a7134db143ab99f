"""Acceptance probes for register / login / update_profile: odd input, tokens, throttling."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

GOOD = {"username": "probe_ok", "password": "long enough pw", "displayName": "Probe"}


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.mark.parametrize(
    "username",
    [
        "",
        "ab",
        "x" * 33,
        "with space",
        "alice\n",
        "\nalice",
        "аlice",  # Cyrillic a: a look-alike of "alice"
        "ａlice",  # fullwidth a
        "al\u200bice",  # zero-width space
        "al\x00ice",
        "alice@home",
        123456,
        ["alice"],
        None,
        {"name": "alice"},
        True,
    ],
)
def test_bad_usernames_are_invalid_and_write_nothing(call, counts, username) -> None:
    before = counts()
    out = call("register", {**GOOD, "username": username})
    assert out.status == "INVALID_ARGUMENT", out.body
    assert "username" in out.body["error"]["message"]
    assert counts() == before


def test_longest_username_is_accepted(call) -> None:
    assert call("register", {**GOOD, "username": "u" * 32}).ok


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "short"),
        ("password", "p" * 257),
        ("password", 12345678),
        ("password", ["long enough pw"]),
        ("password", None),
        ("password", "password"),
        ("password", "12345678"),
        ("password", "aaaaaaaaaa"),
        ("password", "PROBE_OK_1"),
        ("displayName", ""),
        ("displayName", " \t "),
        ("displayName", "x" * 65),
        ("displayName", "bad\x00name"),
        ("displayName", "two\nlines"),
        ("displayName", "\ud800"),
        ("displayName", 42),
        ("email", "nope"),
        ("email", "a@example.com\n"),
        ("email", "a b@example.com"),
        ("email", "a\x00@example.com"),
        ("email", "x" * 250 + "@example.com"),
        ("email", 7),
        ("email", ["a@example.com"]),
    ],
)
def test_bad_fields_are_invalid_and_write_nothing(call, counts, field, value) -> None:
    before = counts()
    out = call("register", {**GOOD, field: value})
    assert out.status == "INVALID_ARGUMENT", out.body
    assert field in out.body["error"]["message"]
    assert counts() == before


def test_password_may_hold_any_printable_text(call) -> None:
    reg = call("register", {**GOOD, "password": "Ünïcødé pässwörd 🔑"}).result
    out = call("login", {"usernameOrEmail": "probe_ok", "password": "Ünïcødé pässwörd 🔑"})
    assert out.result["uid"] == reg["uid"]


def test_unknown_fields_are_invalid(call, counts) -> None:
    before = counts()
    out = call("register", {**GOOD, "emial": "a@example.com"})
    assert out.status == "INVALID_ARGUMENT"
    assert "emial" in out.body["error"]["message"]
    assert counts() == before


@pytest.mark.parametrize("variant", ["PROBE_OK", "Probe_Ok", "probe_OK"])
def test_case_variants_of_a_username_already_exist(call, counts, variant) -> None:
    assert call("register", GOOD).ok
    before = counts()
    out = call("register", {**GOOD, "username": variant})
    assert out.status == "ALREADY_EXISTS"
    assert counts() == before


def test_email_is_trimmed_of_nothing_and_unique_in_any_case(call, counts) -> None:
    assert call("register", {**GOOD, "email": "Mixed.Case@Example.COM"}).ok
    before = counts()
    out = call("register", {**GOOD, "username": "probe_two", "email": "mixed.case@example.com"})
    assert out.status == "ALREADY_EXISTS"
    assert counts() == before
    by_mail = call(
        "login", {"usernameOrEmail": "MIXED.CASE@EXAMPLE.COM", "password": GOOD["password"]}
    )
    assert by_mail.ok


@pytest.mark.parametrize(
    "data",
    [
        {"usernameOrEmail": 5, "password": "long enough pw"},
        {"usernameOrEmail": "probe_ok", "password": None},
        {"usernameOrEmail": ["probe_ok"], "password": "long enough pw"},
        {"usernameOrEmail": "probe\x00ok", "password": "long enough pw"},
        {"usernameOrEmail": "\udc00", "password": "long enough pw"},
        {"usernameOrEmail": "probe_ok", "password": "long enough pw", "extra": 1},
    ],
)
def test_login_bad_input_is_invalid_and_writes_nothing(call, counts, data) -> None:
    assert call("register", GOOD).ok
    before = counts()
    assert call("login", data).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_unknown_user_still_pays_for_an_argon2_verify(call, monkeypatch) -> None:
    from argon2 import PasswordHasher

    verified: list[str] = []
    real_verify = PasswordHasher.verify

    def counting_verify(self: PasswordHasher, hash: str, password: str) -> bool:
        verified.append(hash)
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    out = call("login", {"usernameOrEmail": "nobody_at_all", "password": "whatever pw"})
    assert out.status == "UNAUTHENTICATED"
    assert len(verified) == 1 and verified[0].startswith("$argon2id$")
    assert "m=8192,t=1" in verified[0]  # the configured cost, as for real accounts


def test_custom_token_carries_uid_and_small_claims(call) -> None:
    reg = call("register", GOOD).result
    claims = _claims(reg["customToken"])
    assert claims["uid"] == reg["uid"]
    assert claims["claims"] == {"username": "probe_ok"}
    assert len(json.dumps(claims["claims"])) < 1000  # Firebase's limit for custom claims
    assert claims["exp"] - claims["iat"] <= 3600
    login = call("login", {"usernameOrEmail": "probe_ok", "password": GOOD["password"]}).result
    assert _claims(login["customToken"])["uid"] == reg["uid"]


def test_throttled_login_writes_nothing_and_says_when_to_retry(call, counts, monkeypatch) -> None:
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", "2")
    assert call("register", GOOD).ok
    bad = {"usernameOrEmail": "probe_ok", "password": "wrong wrong"}
    assert [call("login", bad).status for _ in range(2)] == ["UNAUTHENTICATED"] * 2
    before = counts()
    out = call("login", {"usernameOrEmail": "probe_ok", "password": GOOD["password"]})
    assert out.status == "RESOURCE_EXHAUSTED"
    assert 890 <= out.details["retryAfterSeconds"] <= 900
    assert counts() == before


def test_failed_login_audit_row_names_no_password(call, rows) -> None:
    assert call("register", GOOD).ok
    call("login", {"usernameOrEmail": "probe_ok", "password": "secret guess 1"})
    [row] = rows(
        "SELECT actor_id, details, client_address FROM audit_log "
        "WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1"
    )
    assert "secret guess 1" not in json.dumps(row.details)
    assert row.client_address == "203.0.113.9" and row.actor_id is not None


@pytest.mark.parametrize(
    "avatar",
    [
        "https://evil.example.com/a.png",
        "https://res.cloudinary.com/another-cloud/image/upload/a.png",
        "http://res.cloudinary.com/demo-flowchat/image/upload/a.png",
        "javascript:alert(1)",
    ],
)
def test_avatar_must_be_an_image_of_the_configured_cloud(call, counts, new_user, avatar) -> None:
    user = new_user()
    before = counts()
    out = call("update_profile", {"avatarUrl": avatar}, uid=user["uid"])
    assert out.status == "INVALID_ARGUMENT"
    assert counts() == before


def test_avatar_of_the_configured_cloud_is_accepted_and_clearable(
    call, firestore, new_user
) -> None:
    user = new_user()
    url = f"https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/avatars/{user['uid']}/me.png"
    assert call("update_profile", {"avatarUrl": url}, uid=user["uid"]).result["avatarUrl"] == url
    assert call("update_profile", {"avatarUrl": ""}, uid=user["uid"]).result["avatarUrl"] is None
    assert firestore.document(f"users/{user['uid']}").get().get("avatarUrl") is None


def test_public_profile_mirror_has_no_private_fields(call, firestore) -> None:
    reg = call("register", {**GOOD, "email": "private@example.com"}).result
    doc = firestore.document(f"users/{reg['uid']}").get().to_dict()
    assert set(doc) == {"username", "displayName", "avatarUrl", "avatarThumbUrl"}
    assert "private@example.com" not in json.dumps(doc, default=str)


def test_login_ignores_surrounding_spaces_in_the_name(call) -> None:
    reg = call("register", {**GOOD, "email": "spaced@example.com"}).result
    for name in ["  probe_ok ", "\tPROBE_OK\n", " spaced@example.com "]:
        out = call("login", {"usernameOrEmail": name, "password": GOOD["password"]})
        assert out.result["uid"] == reg["uid"], name


def test_login_rehashes_a_password_stored_with_a_weaker_cost(call, rows, monkeypatch) -> None:
    reg = call("register", GOOD).result
    [old] = rows("SELECT password_hash FROM users WHERE id = :u", u=reg["uid"])
    assert "t=1" in old.password_hash
    monkeypatch.setenv("ARGON2_TIME_COST", "2")
    assert call("login", {"usernameOrEmail": "probe_ok", "password": GOOD["password"]}).ok
    [new] = rows("SELECT password_hash FROM users WHERE id = :u", u=reg["uid"])
    assert "t=2" in new.password_hash and new.password_hash != old.password_hash
    assert call("login", {"usernameOrEmail": "probe_ok", "password": GOOD["password"]}).ok


def test_updating_the_profile_to_what_it_is_writes_nothing(call, counts, rows, new_user) -> None:
    user = new_user(display_name="Same Name")
    url = f"https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/avatars/{user['uid']}/a.png"
    assert call("update_profile", {"avatarUrl": url}, uid=user["uid"]).ok
    before = counts()
    out = call("update_profile", {"displayName": " Same Name ", "avatarUrl": url}, uid=user["uid"])
    assert out.result == {
        "username": user["username"],
        "displayName": "Same Name",
        "avatarUrl": url,
        "avatarThumbUrl": url.replace("/upload/", "/upload/c_thumb,g_face,h_128,w_128/"),
    }
    assert counts() == before
    assert call("update_profile", {"displayName": "Other", "avatarUrl": url}, uid=user["uid"]).ok
    [audit] = rows(
        "SELECT details FROM audit_log WHERE actor_id = :u AND action = 'profile_updated' "
        "ORDER BY id DESC LIMIT 1",
        u=user["uid"],
    )
    assert audit.details == {"fields": ["display_name"]}
