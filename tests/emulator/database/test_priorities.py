"""Priorities: kept in the export format, dropped from plain reads, used by
orderBy "$priority" (null first, then numbers, then strings; ties by key)."""

from __future__ import annotations

import json

import httpx

from emulator.database.hashing import value_hash


def test_priority_is_hidden_in_plain_reads_and_shown_in_exports(http: httpx.Client) -> None:
    http.put("/public/a.json", json={"name": "x", ".priority": 3})
    http.put("/public/b.json", json={".value": "leaf", ".priority": "p"})
    assert http.get("/public.json").json() == {"a": {"name": "x"}, "b": "leaf"}
    assert http.get("/public.json", params={"format": "export"}).json() == {
        "a": {"name": "x", ".priority": 3},
        "b": {".value": "leaf", ".priority": "p"},
    }
    assert http.get("/public/a/.priority.json").json() == 3


def test_priority_can_be_set_on_its_own(http: httpx.Client) -> None:
    http.put("/public/a.json", json={"n": 1})
    http.put("/public/a/.priority.json", json=7)
    assert http.get("/public/a.json", params={"format": "export"}).json() == {
        "n": 1,
        ".priority": 7,
    }
    http.put("/public/a/m.json", json=2)  # a child write keeps the node's priority
    assert http.get("/public/a/.priority.json").json() == 7
    http.put("/public/a.json", json={"n": 1})  # a whole set replaces it
    assert http.get("/public/a/.priority.json").json() is None


def test_a_node_with_only_a_priority_does_not_exist(http: httpx.Client) -> None:
    http.put("/public/gone.json", json={".priority": 1})
    assert http.get("/public.json", params={"format": "export"}).json() is None


def test_order_by_priority(http: httpx.Client) -> None:
    http.put(
        "/public/p.json",
        json={
            "s": {".value": 1, ".priority": "b"},
            "n2": {".value": 1, ".priority": 2},
            "none": 1,
            "n1": {"x": 1, ".priority": 1},
            "s0": {".value": 1, ".priority": "a"},
        },
    )
    result = http.get("/public/p.json", params={"orderBy": '"$priority"', "limitToFirst": "5"})
    assert list(result.json()) == ["none", "n1", "n2", "s0", "s"]
    ranged = http.get(
        "/public/p.json", params={"orderBy": '"$priority"', "startAt": "2", "endAt": '"a"'}
    )
    assert sorted(ranged.json()) == ["n2", "s0"]


def test_invalid_priority_is_refused(http: httpx.Client) -> None:
    response = http.put("/public/a.json", content=json.dumps({"x": 1, ".priority": {"o": 1}}))
    assert response.status_code == 400
    assert http.get("/public.json").json() is None


def test_hash_includes_the_priority() -> None:
    assert value_hash({".value": 1, ".priority": 2}) != value_hash(1)
    assert value_hash({"a": 1, ".priority": "p"}) != value_hash({"a": 1})
