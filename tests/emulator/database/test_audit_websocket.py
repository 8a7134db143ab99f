"""Acceptance probes of the SDKs' realtime protocol with a raw WebSocket client: malformed
requests are answered with an error status and never end the connection."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.database.server import DatabaseEmulator
from tests.emulator.database.realtime_client import RealtimeClient


@pytest.fixture
def client(rtdb: DatabaseEmulator, ns: str) -> Iterator[RealtimeClient]:
    connection = RealtimeClient(rtdb.address, ns)
    yield connection
    connection.close()


@pytest.mark.parametrize("credential", [5, ["owner"], {"token": "x"}, True])
def test_non_string_credential_is_an_invalid_token(client: RealtimeClient, credential: Any) -> None:
    assert client.request("auth", {"cred": credential})["s"] == "invalid_token"
    assert client.request("echo", {"d": "alive"}) == {"s": "ok", "d": "alive"}


ACTIONS: list[Any] = [
    "q",
    "n",
    "g",
    "p",
    "m",
    "o",
    "om",
    "oc",
    "auth",
    "gauth",
    "unauth",
    "s",
    "echo",
    "unknown",
    5,
    None,
]
PATHS: list[Any] = ["public/a", "/public", "", 1, None, "a.b", "public/" + "x/" * 40]
DATA: list[Any] = [
    None,
    1,
    "x",
    True,
    [],
    {},
    {"a": 1},
    {"": 1},
    {".sv": "timestamp"},
    {".sv": 5},
    "\ud800",
    [1, {"b": None}],
    {"a.b": 1},
]
QUERIES: list[Any] = [
    None,
    {},
    {"i": "a", "l": 2, "vf": "r"},
    {"i": 1},
    {"sp": [1]},
    {"l": -1},
    "x",
    {"i": ".value", "sp": 1, "sn": 3},
]
CREDENTIALS: list[Any] = ["owner", "bad", None, 5, "a.b.c"]


def _body(rnd: random.Random) -> Any:
    if rnd.random() < 0.1:
        return rnd.choice([None, 1, "s", []])
    return {
        "p": rnd.choice(PATHS),
        "d": rnd.choice(DATA),
        "q": rnd.choice(QUERIES),
        "h": rnd.choice([None, "", "abc", 5]),
        "t": rnd.choice([None, 1, "x"]),
        "cred": rnd.choice(CREDENTIALS),
        "authvar": rnd.choice([None, {"uid": "x"}, 5]),
    }


def test_random_requests_never_end_the_connection(client: RealtimeClient) -> None:
    rnd = random.Random(5)
    for number in range(1, 301):
        message = {"t": "d", "d": {"r": number, "a": rnd.choice(ACTIONS), "b": _body(rnd)}}
        client.send_raw(json.dumps(message))
        client.response_to(number)
    assert client.request("echo", {"d": "alive"}) == {"s": "ok", "d": "alive"}


def test_get_with_the_sdks_key_sentinels(client: RealtimeClient) -> None:
    # startAfter(2) / endBefore(2) as the JS SDK sends them (names [MAX_NAME] / [MIN_NAME]).
    assert client.request("auth", {"cred": "owner"})["s"] == "ok"
    items = {"A": {"s": 2}, "a": {"s": 1}, "b": {"s": 2}, "c": {"s": 3}}
    assert client.request("p", {"p": "/public/items", "d": items})["s"] == "ok"
    after = {"i": "s", "sp": 2, "sn": "[MAX_NAME]", "sin": False}
    before = {"i": "s", "ep": 2, "en": "[MIN_NAME]", "ein": False}
    assert client.request("g", {"p": "/public/items", "q": after})["d"] == {"c": {"s": 3}}
    assert client.request("g", {"p": "/public/items", "q": before})["d"] == {"a": {"s": 1}}
