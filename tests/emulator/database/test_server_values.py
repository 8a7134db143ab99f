"""Server values: {".sv": "timestamp"} and {".sv": {"increment": n}}, resolved on write."""

from __future__ import annotations

import time

import httpx

TIMESTAMP = {".sv": "timestamp"}


def increment(n: float) -> dict[str, object]:
    return {".sv": {"increment": n}}


def test_timestamp_is_the_server_time_in_ms(http: httpx.Client) -> None:
    before = int(time.time() * 1000)
    written = http.put("/public/t.json", json={"at": TIMESTAMP}).json()
    after = int(time.time() * 1000)
    assert before <= written["at"] <= after
    assert http.get("/public/t/at.json").json() == written["at"]


def test_timestamp_in_patch_and_post(http: httpx.Client) -> None:
    http.patch("/public/u.json", json={"seen": TIMESTAMP})
    name = http.post("/public/log.json", json={"at": TIMESTAMP}).json()["name"]
    assert isinstance(http.get("/public/u/seen.json").json(), int)
    assert isinstance(http.get(f"/public/log/{name}/at.json").json(), int)


def test_increment_adds_to_the_current_number(http: httpx.Client) -> None:
    http.put("/public/c.json", json=5)
    assert http.put("/public/c.json", json=increment(3)).json() == 8
    assert http.put("/public/c.json", json=increment(-10)).json() == -2
    assert http.put("/public/c.json", json=increment(0.5)).json() == -1.5


def test_increment_of_missing_or_non_number_starts_from_zero(http: httpx.Client) -> None:
    assert http.put("/public/new.json", json=increment(2)).json() == 2
    http.put("/public/s.json", json="text")
    assert http.put("/public/s.json", json=increment(4)).json() == 4


def test_increment_inside_a_multi_location_patch(http: httpx.Client) -> None:
    http.put("/public/room.json", json={"count": 1, "other": {"count": 10}})
    http.patch("/public/room.json", json={"count": increment(1), "other/count": increment(5)})
    assert http.get("/public/room.json").json() == {"count": 2, "other": {"count": 15}}


def test_unknown_server_value_is_refused(http: httpx.Client) -> None:
    response = http.put("/public/x.json", json={".sv": "later"})
    assert response.status_code == 400
    assert "error" in response.json()
    bad = http.put("/public/x.json", json={".sv": {"increment": "one"}})
    assert bad.status_code == 400
    assert http.get("/public/x.json").json() is None
