"""Random REST requests (seeded, so a failure replays) never get a 5xx: every bad input is a
4xx with Firebase's ``{"error": ...}`` body, and reads after them still work."""

from __future__ import annotations

import json
import random
from typing import Any

import httpx

KEYS = [
    "public",
    "public",
    "a",
    "0",
    "1",
    "10",
    "-1",
    ".priority",
    ".value",
    ".sv",
    "$x",
    "a.b",
    "",
    "é",
    "private",
    "numbers",
    "limited",
    " ",
]
LEAVES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    "s",
    "",
    2**60,
    {".sv": "timestamp"},
    {".sv": {"increment": 1}},
    {".sv": "unknown"},
    {".value": 1, ".priority": "p"},
]
PARAMS = {
    "orderBy": ['"$key"', '"$value"', '"$priority"', '"a"', "x", '""', "1"],
    "startAt": ["1", '"a"', "null", "true", "[", "{}"],
    "endAt": ["1", '"z"'],
    "equalTo": ["1", "null"],
    "limitToFirst": ["1", "0", "-1", "x"],
    "limitToLast": ["2"],
    "shallow": ["true", "false"],
    "format": ["export"],
    "print": ["pretty", "silent"],
    "auth": ["owner", "garbage", "a.b.c"],
    "callback": ["cb", "1bad"],
    "startAfter": ["1"],
    "endBefore": ['"a"'],
}
RAW_BODIES = ["{", "NaN", "", "[1,", '"\\ud800"', '{"a": Infinity}']


def _value(rnd: random.Random, depth: int = 0) -> Any:
    roll = rnd.random()
    if depth > 3 or roll < 0.3:
        return rnd.choice(LEAVES)
    if roll < 0.5:
        return [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    return {rnd.choice(KEYS): _value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))}


def _request(rnd: random.Random) -> tuple[str, str, dict[str, str], str, dict[str, str]]:
    keys = [rnd.choice(KEYS) for _ in range(rnd.randint(0, 4))]
    path = "/" + "/".join(keys) + rnd.choice([".json", ".json", "", "/.json"])
    method = rnd.choice(["GET", "GET", "PUT", "PUT", "PATCH", "POST", "DELETE"])
    params = {
        name: rnd.choice(PARAMS[name]) for name in rnd.sample(list(PARAMS), rnd.randint(0, 3))
    }
    body = json.dumps(_value(rnd)) if rnd.random() < 0.9 else rnd.choice(RAW_BODIES)
    headers = {}
    if rnd.random() < 0.2:
        headers["if-match"] = rnd.choice(["null_etag", "stale"])
    if rnd.random() < 0.2:
        headers["X-Firebase-ETag"] = "true"
    return method, path, params, body, headers


def test_random_requests_never_get_a_server_error(http: httpx.Client) -> None:
    rnd = random.Random(20261123)
    for _ in range(250):
        method, path, params, body, headers = _request(rnd)
        response = http.request(
            method, path, params=params, headers=headers, content=None if method == "GET" else body
        )
        assert response.status_code < 500, (method, path, params, body, response.text)
        if response.status_code == 412:  # a stale if-match: the current value, not an error
            assert "ETag" in response.headers
        elif response.status_code >= 400:
            assert "error" in response.json(), (method, path, params, body, response.text)
    assert http.get("/public.json", params={"auth": "owner"}).status_code == 200
