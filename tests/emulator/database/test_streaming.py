"""Event streams (Accept: text/event-stream): the documented put / patch / keep-alive /
cancel / auth_revoked events, read by a real streaming HTTP client."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator

import httpx
import pytest

from emulator.database.server import DatabaseEmulator
from tests.emulator.database.conftest import id_token
from tests.emulator.database.sse_client import EventStream


@pytest.fixture
def base(rtdb: DatabaseEmulator) -> str:
    return f"http://{rtdb.address}"


@pytest.fixture
def short_keep_alive(rtdb: DatabaseEmulator) -> Iterator[None]:
    """Keep-alives every 0.2 s instead of 30 s for streams opened in the test."""
    rtdb.context.keep_alive_seconds = 0.2
    try:
        yield
    finally:
        rtdb.context.keep_alive_seconds = 30.0


def test_initial_put_carries_the_current_value(base: str, ns: str, http: httpx.Client) -> None:
    http.put("/public/room.json", json={"topic": "hello"})
    with EventStream(f"{base}/public/room.json", {"ns": ns}) as stream:
        assert stream.status == 200
        assert stream.next() == ("put", {"path": "/", "data": {"topic": "hello"}})


def test_writes_below_arrive_as_relative_puts(base: str, ns: str, http: httpx.Client) -> None:
    with EventStream(f"{base}/public/room.json", {"ns": ns}) as stream:
        assert stream.next() == ("put", {"path": "/", "data": None})
        http.put("/public/room/messages/m1.json", json={"text": "hi"})
        assert stream.next() == ("put", {"path": "/messages/m1", "data": {"text": "hi"}})
        http.delete("/public/room/messages/m1.json")
        assert stream.next() == ("put", {"path": "/messages/m1", "data": None})


def test_writes_above_arrive_as_a_put_of_the_whole_location(
    base: str, ns: str, http: httpx.Client
) -> None:
    with EventStream(f"{base}/public/room/topic.json", {"ns": ns}) as stream:
        stream.next()
        http.put("/public.json", json={"room": {"topic": "new"}, "other": 1})
        assert stream.next() == ("put", {"path": "/", "data": "new"})


def test_unrelated_writes_send_nothing(base: str, ns: str, http: httpx.Client) -> None:
    with EventStream(f"{base}/public/a.json", {"ns": ns}) as stream:
        stream.next()
        http.put("/public/b.json", json=1)
        http.put("/public/a.json", json=2)
        assert stream.next() == ("put", {"path": "/", "data": 2})


def test_patch_arrives_as_a_patch_event(base: str, ns: str, http: httpx.Client) -> None:
    http.put("/public/u.json", json={"a": 1})
    with EventStream(f"{base}/public.json", {"ns": ns}) as stream:
        stream.next()
        http.patch("/public/u.json", json={"b": 2, "c": 3})
        assert stream.next() == ("patch", {"path": "/u", "data": {"b": 2, "c": 3}})


def test_query_streams_send_the_query_result(base: str, ns: str, http: httpx.Client) -> None:
    http.put("/public/s.json", json={"a": 3, "b": 1, "c": 2})
    params = {"ns": ns, "orderBy": '"$value"', "limitToFirst": "2"}
    with EventStream(f"{base}/public/s.json", params) as stream:
        assert stream.next() == ("put", {"path": "/", "data": {"b": 1, "c": 2}})
        http.put("/public/s/d.json", json=0)
        assert stream.next() == ("put", {"path": "/", "data": {"d": 0, "b": 1}})


def test_keep_alive_events(base: str, ns: str, short_keep_alive: None) -> None:
    with EventStream(f"{base}/public.json", {"ns": ns}) as stream:
        stream.next()
        assert stream.next(skip_keep_alive=False) == ("keep-alive", None)


def test_denied_stream_is_401(base: str, ns: str) -> None:
    with EventStream(f"{base}/private.json", {"ns": ns}) as stream:
        assert stream.status == 401


def test_cancel_when_new_rules_stop_allowing_the_read(
    base: str, ns: str, owner: httpx.Client
) -> None:
    params = {"ns": ns, "auth": id_token("alice")}
    with EventStream(f"{base}/private.json", params) as stream:
        assert stream.next()[0] == "put"
        owner.put("/.settings/rules.json", content='{"rules": {".write": true}}')
        assert stream.next() == ("cancel", None)
        assert stream.next() == ("closed", None)


def test_auth_revoked_when_the_token_expires(base: str, ns: str, short_keep_alive: None) -> None:
    token = id_token("alice", exp=int(time.time()) + 2)  # whole seconds: at least 1 s left
    with EventStream(f"{base}/private.json", {"ns": ns, "auth": token}) as stream:
        assert stream.next()[0] == "put"
        event, data = stream.next(timeout=5)
        assert event == "auth_revoked"
        assert "no longer valid" in data


def test_closed_streams_stop_listening(
    rtdb: DatabaseEmulator, base: str, ns: str, http: httpx.Client
) -> None:
    with EventStream(f"{base}/public.json", {"ns": ns}) as stream:
        stream.next()
    http.put("/public/after.json", json=1)  # the server notices the closed socket here
    deadline = time.monotonic() + 5
    while rtdb.store.namespace(ns).watchers and time.monotonic() < deadline:
        http.put("/public/after.json", json=time.monotonic())
        time.sleep(0.05)
    assert rtdb.store.namespace(ns).watchers == []
    assert stream.events.get(timeout=1) == ("closed", None)
    with pytest.raises(queue.Empty):
        stream.events.get(timeout=0.01)


def test_cancel_when_data_the_read_rule_needs_goes_away(
    base: str, ns: str, owner: httpx.Client
) -> None:
    rules = (
        '{"rules": {"rooms": {"$r": {".read": "data.child(\'open\').val() === true", '
        '".write": true}}}}'
    )
    owner.put("/.settings/rules.json", content=rules)
    owner.put("/rooms/r1.json", json={"open": True, "topic": "t"})
    with EventStream(f"{base}/rooms/r1.json", {"ns": ns}) as stream:
        assert stream.next() == ("put", {"path": "/", "data": {"open": True, "topic": "t"}})
        owner.put("/rooms/r1/open.json", json=False)
        assert stream.next() == ("cancel", None)


def test_cancel_when_membership_elsewhere_is_removed(
    base: str, ns: str, owner: httpx.Client
) -> None:
    rules = (
        '{"rules": {"typing": {"$r": {".read": '
        "\"root.child('members/' + $r + '/' + auth.uid).exists()\"}}}}"
    )
    owner.put("/.settings/rules.json", content=rules)
    owner.put("/members/r1/alice.json", json=True)
    params = {"ns": ns, "auth": id_token("alice")}
    with EventStream(f"{base}/typing/r1.json", params) as stream:
        assert stream.next() == ("put", {"path": "/", "data": None})
        owner.delete("/members/r1/alice.json")
        assert stream.next() == ("cancel", None)
