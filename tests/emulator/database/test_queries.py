"""REST queries: orderBy "$key" / "$value" / "$priority" / child, ranges and limits, with
Firebase's documented ordering (null, false, true, numbers, strings, objects; ties by key)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

MIXED = {
    "n": None,
    "f": False,
    "t": True,
    "one": 1,
    "ten": 10,
    "half": 0.5,
    "sa": "a",
    "sb": "b",
    "obj": {"x": 1},
}


def query(http: httpx.Client, path: str, **params: Any) -> httpx.Response:
    """GET with each parameter JSON-encoded where Firebase expects JSON."""
    encoded = {
        key: value if key.startswith("limit") else json.dumps(value)
        for key, value in params.items()
    }
    return http.get(path, params=encoded)


@pytest.fixture
def scores(http: httpx.Client) -> httpx.Client:
    """public/scores: players with a score (one without) and a nested level."""
    http.put(
        "/public/scores.json",
        json={
            "alice": {"score": 30, "meta": {"level": 2}},
            "bob": {"score": 10, "meta": {"level": 3}},
            "carol": {"score": 20, "meta": {"level": 1}},
            "dave": {"score": 20, "meta": {"level": 5}},
            "erin": {"meta": {"level": 4}},
        },
    )
    return http


def keys(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return list(response.json() or {})


def test_order_by_child_puts_missing_children_first_and_breaks_ties_by_key(
    scores: httpx.Client,
) -> None:
    result = query(scores, "/public/scores.json", orderBy="score", limitToFirst=5)
    assert keys(result) == ["erin", "bob", "carol", "dave", "alice"]


def test_order_by_child_range(scores: httpx.Client) -> None:
    result = query(scores, "/public/scores.json", orderBy="score", startAt=15, endAt=25)
    assert sorted(keys(result)) == ["carol", "dave"]


def test_order_by_nested_child_path(scores: httpx.Client) -> None:
    result = query(scores, "/public/scores.json", orderBy="meta/level", limitToLast=2)
    assert keys(result) == ["erin", "dave"]


def test_equal_to(scores: httpx.Client) -> None:
    result = query(scores, "/public/scores.json", orderBy="score", equalTo=20)
    assert sorted(keys(result)) == ["carol", "dave"]


def test_limit_to_last_takes_the_highest(scores: httpx.Client) -> None:
    result = query(scores, "/public/scores.json", orderBy="score", limitToLast=2)
    assert keys(result) == ["dave", "alice"]


def test_order_by_key_with_integer_like_keys_first(http: httpx.Client) -> None:
    http.put("/public/k.json", json={"b": 1, "10": 1, "a": 1, "9": 1, "-1": 1})
    result = query(http, "/public/k.json", orderBy="$key", limitToFirst=5)
    assert keys(result) == ["-1", "9", "10", "a", "b"]
    ranged = query(http, "/public/k.json", orderBy="$key", startAt="a")
    assert keys(ranged) == ["a", "b"]


def test_order_by_value_follows_type_order(http: httpx.Client) -> None:
    http.put("/public/mixed.json", json=MIXED)
    result = query(http, "/public/mixed.json", orderBy="$value", limitToFirst=20)
    assert keys(result) == ["f", "t", "half", "one", "ten", "sa", "sb", "obj"]


def test_order_by_value_range_over_strings(http: httpx.Client) -> None:
    http.put("/public/mixed.json", json=MIXED)
    result = query(http, "/public/mixed.json", orderBy="$value", startAt="a", endAt="b")
    assert keys(result) == ["sa", "sb"]


def test_order_by_priority_without_priorities_orders_by_key(http: httpx.Client) -> None:
    http.put("/public/p.json", json={"c": 1, "a": 2, "b": 3})
    assert keys(query(http, "/public/p.json", orderBy="$priority", limitToFirst=2)) == ["a", "b"]


def test_start_after_and_end_before_are_exclusive(scores: httpx.Client) -> None:
    result = query(scores, "/public/scores.json", orderBy="score", startAfter=10, endBefore=30)
    assert sorted(keys(result)) == ["carol", "dave"]


def test_limit_to_first_zero_returns_null(scores: httpx.Client) -> None:
    assert query(scores, "/public/scores.json", orderBy="$key", limitToFirst=0).json() is None


@pytest.mark.parametrize(
    "params, message",
    [
        ({"limitToFirst": "1"}, "orderBy must be defined"),
        ({"orderBy": '"$key"', "startAt": "1"}, "string"),
        ({"orderBy": "score"}, "JSON"),
        ({"orderBy": '"$key"', "limitToFirst": "1", "limitToLast": "1"}, "Only one"),
        ({"orderBy": '"$key"', "limitToFirst": "-1"}, "positive"),
        ({"orderBy": '"$key"', "equalTo": '"a"', "startAt": '"a"'}, "equalTo"),
        ({"orderBy": '"$key"', "shallow": "true"}, "shallow"),
    ],
)
def test_bad_query_parameters_are_400(
    scores: httpx.Client, params: dict[str, str], message: str
) -> None:
    response = scores.get("/public/scores.json", params=params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_read_rules_see_query_parameters(http: httpx.Client, owner: httpx.Client) -> None:
    owner.put("/limited.json", json={"a": 1, "b": 2, "c": 3})
    allowed = query(http, "/limited.json", orderBy="$key", limitToFirst=2)
    assert allowed.json() == {"a": 1, "b": 2}
    assert query(http, "/limited.json", orderBy="$key", limitToFirst=3).status_code == 401
    assert http.get("/limited.json").status_code == 401
