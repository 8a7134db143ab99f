"""Field parsing, cursors, throttling arithmetic, CORS origins, password checks."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import flask
import pytest
from flowchat import config
from flowchat.api import fields
from flowchat.api.caller import caller_uid, client_address
from flowchat.errors import Forbidden, InvalidInput, NotAuthenticated
from flowchat.services import cursors, passwords, rooms, throttling


def test_cursor_round_trip_and_garbage() -> None:
    token = cursors.encode(["2026-01-01T00:00:00+00:00", "abc"])
    assert cursors.decode(token, 2) == ["2026-01-01T00:00:00+00:00", "abc"]
    for bad in ("!!!", "bm90IGpzb24", cursors.encode([1, 2, 3]), cursors.encode({"a": 1})):
        with pytest.raises(InvalidInput):
            cursors.decode(bad, 2)


def test_user_ids_are_canonical_and_deduplicated() -> None:
    a = uuid.uuid4()
    assert fields.user_ids({"ids": [str(a).upper(), str(a)]}, "ids") == [str(a)]
    with pytest.raises(InvalidInput, match="ids"):
        fields.user_ids({"ids": ["x"]}, "ids")
    with pytest.raises(InvalidInput, match="at most"):
        fields.user_ids({"ids": [str(a)] * 51}, "ids")


@pytest.mark.parametrize("value", [0, 101, True, "5", 2.5])
def test_page_size_bounds(value) -> None:
    with pytest.raises(InvalidInput):
        fields.page_size({"limit": value})


def test_data_must_be_an_object() -> None:
    assert fields.data_of(SimpleNamespace(data=None)) == {}
    with pytest.raises(InvalidInput):
        fields.data_of(SimpleNamespace(data=[1]))


def test_retry_after_rounds_up_and_is_at_least_one_second() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert throttling.retry_after_seconds(start, start + timedelta(seconds=10.2), 60) == 50
    assert throttling.retry_after_seconds(start, start + timedelta(seconds=61), 60) == 1


def test_throttle_buckets_are_case_insensitive_per_account() -> None:
    keys = [b.key for b in throttling.buckets_for("Alice", "192.0.2.1")]
    assert keys == ["account:alice", "address:192.0.2.1"]
    assert [b.key for b in throttling.buckets_for("alice", None)] == ["account:alice"]


def test_direct_key_is_symmetric() -> None:
    assert rooms.direct_key("b", "a") == rooms.direct_key("a", "b") == "a:b"


def test_cors_allows_local_and_project_hosting_only(monkeypatch) -> None:
    monkeypatch.setenv("GCLOUD_PROJECT", "demo-flowchat")
    monkeypatch.setenv("CORS_ORIGINS", "https://chat.example.com")
    pattern = config.cors_origins()
    for ok in (
        "http://localhost:5173",
        "http://127.0.0.1:5000",
        "https://demo-flowchat.web.app",
        "https://chat.example.com",
    ):
        assert pattern.match(ok), ok
    for bad in (
        "https://evil.example.com",
        "https://demo-flowchatXweb.app",
        "https://chat.example.com.evil.io",
        "http://localhost.evil.io",
    ):
        assert not pattern.match(bad), bad


def test_cors_refuses_localhost_for_a_real_project(monkeypatch) -> None:
    monkeypatch.setenv("GCLOUD_PROJECT", "flowchat-prod")
    monkeypatch.delenv("FUNCTIONS_EMULATOR", raising=False)
    monkeypatch.setenv("CORS_ORIGINS", "http://localhost:3000")
    pattern = config.cors_origins()
    assert pattern.match("https://flowchat-prod.web.app")
    assert pattern.match("http://localhost:3000")  # listed explicitly
    assert not pattern.match("http://localhost:5173")
    assert not pattern.match("http://127.0.0.1:5000")
    monkeypatch.setenv("FUNCTIONS_EMULATOR", "true")
    assert config.cors_origins().match("http://localhost:5173")


def test_password_verification(monkeypatch) -> None:
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "8192")
    stored = passwords.hash_password("right password")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "right password")
    assert not passwords.verify(stored, "wrong password")
    assert not passwords.verify(None, "right password")
    assert not passwords.verify("not a hash", "x")
    monkeypatch.setenv("ARGON2_TIME_COST", "2")
    assert passwords.needs_rehash(stored)


def test_client_address_is_the_hop_our_front_end_saw() -> None:
    app = flask.Flask("caller")
    forwarded = {"X-Forwarded-For": "10.0.0.1, 198.51.100.7"}
    with app.test_request_context("/", headers=forwarded, environ_base={"REMOTE_ADDR": "::1"}):
        assert client_address(SimpleNamespace(raw_request=flask.request)) == "198.51.100.7"
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.4"}):
        assert client_address(SimpleNamespace(raw_request=flask.request)) == "192.0.2.4"


def signed_in(uid: str, exp: object = None) -> SimpleNamespace:
    """A callable request as the SDK builds it from a decoded ID token."""
    expiry = int(time.time()) + 3600 if exp is None else exp
    return SimpleNamespace(auth=SimpleNamespace(uid=uid, token={"sub": uid, "exp": expiry}))


def test_caller_uid_needs_an_account_shaped_uid() -> None:
    uid = str(uuid.uuid4())
    assert caller_uid(signed_in(uid.upper())) == uid
    with pytest.raises(NotAuthenticated):
        caller_uid(SimpleNamespace(auth=None))
    with pytest.raises(Forbidden):
        caller_uid(signed_in("google-oauth-user"))


@pytest.mark.parametrize("exp", [int(time.time()) - 1, "9999999999", True, 1.5e10, []])
def test_caller_uid_refuses_expired_or_malformed_expiry(exp: object) -> None:
    """The Admin SDK checks nothing of an emulator token: an expired one is refused here."""
    with pytest.raises(NotAuthenticated):
        caller_uid(signed_in(str(uuid.uuid4()), exp))
