"""Acceptance probes of event streams as the REST streaming guide documents them
(https://firebase.google.com/docs/reference/rest/database#section-streaming)."""

from __future__ import annotations

import time

import httpx
import pytest

from emulator.database.server import DatabaseEmulator
from tests.emulator.database.conftest import id_token
from tests.emulator.database.sse_client import EventStream


@pytest.fixture
def base(rtdb: DatabaseEmulator) -> str:
    return f"http://{rtdb.address}"


def test_patch_event_data_stays_an_object_with_index_like_keys(
    base: str, ns: str, http: httpx.Client
) -> None:
    # A patch lists the children to replace: its data is never turned into an array.
    with EventStream(f"{base}/public/list.json", {"ns": ns}) as stream:
        assert stream.next() == ("put", {"path": "/", "data": None})
        http.patch("/public/list.json", json={"0": "a", "1": "b"})
        assert stream.next() == ("patch", {"path": "/", "data": {"0": "a", "1": "b"}})


def test_patch_event_lists_deleted_children_as_null(base: str, ns: str, http: httpx.Client) -> None:
    http.put("/public/room.json", json={"a": 1, "b": 2})
    with EventStream(f"{base}/public/room.json", {"ns": ns}) as stream:
        stream.next()
        http.patch("/public/room.json", json={"a": None, "c": 3})
        assert stream.next() == ("patch", {"path": "/", "data": {"a": None, "c": 3}})


def test_deleting_the_location_sends_a_null_put(base: str, ns: str, http: httpx.Client) -> None:
    http.put("/public/room.json", json={"a": 1})
    with EventStream(f"{base}/public/room.json", {"ns": ns}) as stream:
        stream.next()
        http.delete("/public/room.json")
        assert stream.next() == ("put", {"path": "/", "data": None})


def test_patch_below_the_location_has_the_relative_path(
    base: str, ns: str, http: httpx.Client
) -> None:
    with EventStream(f"{base}/public.json", {"ns": ns}) as stream:
        stream.next()
        http.patch("/public/a/b.json", json={"c": 1})
        assert stream.next() == ("patch", {"path": "/a/b", "data": {"c": 1}})


def test_stream_with_an_auth_parameter_follows_the_rules(
    base: str, ns: str, http: httpx.Client
) -> None:
    with EventStream(f"{base}/private.json", {"ns": ns}) as denied:
        assert denied.status == 401
    with EventStream(f"{base}/private.json", {"ns": ns, "auth": id_token("ann")}) as stream:
        assert stream.status == 200
        assert stream.next() == ("put", {"path": "/", "data": None})
        http.put("/private/ann.json", params={"auth": id_token("ann")}, json={"x": 1})
        assert stream.next() == ("put", {"path": "/ann", "data": {"x": 1}})


def test_auth_revoked_arrives_when_the_token_expires_not_at_the_next_keep_alive(
    base: str, ns: str
) -> None:
    # Keep-alives stay at their default 30 s: the revocation must not wait for one.
    expires = int(time.time()) + 2
    token = id_token("alice", exp=expires)
    with EventStream(f"{base}/private.json", {"ns": ns, "auth": token}) as stream:
        assert stream.next()[0] == "put"
        event, data = stream.next(timeout=6)
        assert event == "auth_revoked"
        assert isinstance(data, str)
        assert time.time() >= expires
        assert stream.next() == ("closed", None)
