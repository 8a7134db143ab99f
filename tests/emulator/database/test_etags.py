"""ETags: X-Firebase-ETag: true returns one; if-match makes a write conditional (412 with
the current value and its ETag when it no longer matches); if-none-match gives 304."""

from __future__ import annotations

import httpx

ETAG = {"X-Firebase-ETag": "true"}


def current_etag(http: httpx.Client, path: str) -> str:
    response = http.get(path, headers=ETAG)
    assert response.status_code == 200
    return response.headers["ETag"]


def test_etag_changes_with_the_value_only(http: httpx.Client) -> None:
    http.put("/public/e.json", json={"a": 1})
    first = current_etag(http, "/public/e.json")
    assert current_etag(http, "/public/e.json") == first
    http.put("/public/e/a.json", json=2)
    assert current_etag(http, "/public/e.json") != first


def test_etag_only_when_asked(http: httpx.Client) -> None:
    http.put("/public/e.json", json=1)
    assert "ETag" not in http.get("/public/e.json").headers


def test_null_location_has_an_etag_too(http: httpx.Client) -> None:
    assert current_etag(http, "/public/none.json")


def test_matching_if_match_writes(http: httpx.Client) -> None:
    http.put("/public/c.json", json=1)
    tag = current_etag(http, "/public/c.json")
    response = http.put("/public/c.json", json=2, headers={"if-match": tag, **ETAG})
    assert response.status_code == 200
    assert response.json() == 2
    assert response.headers["ETag"] == current_etag(http, "/public/c.json")


def test_stale_if_match_is_412_with_current_value_and_etag(http: httpx.Client) -> None:
    http.put("/public/c.json", json=1)
    stale = current_etag(http, "/public/c.json")
    http.put("/public/c.json", json=5)
    response = http.put("/public/c.json", json=2, headers={"if-match": stale})
    assert response.status_code == 412
    assert response.json() == 5
    assert response.headers["ETag"] == current_etag(http, "/public/c.json")
    assert http.get("/public/c.json").json() == 5


def test_if_match_on_a_missing_location(http: httpx.Client) -> None:
    tag = current_etag(http, "/public/fresh.json")
    assert http.put("/public/fresh.json", json="x", headers={"if-match": tag}).status_code == 200
    assert http.put("/public/fresh.json", json="y", headers={"if-match": tag}).status_code == 412


def test_conditional_delete(http: httpx.Client) -> None:
    http.put("/public/d.json", json=1)
    assert http.delete("/public/d.json", headers={"if-match": "wrong"}).status_code == 412
    tag = current_etag(http, "/public/d.json")
    assert http.delete("/public/d.json", headers={"if-match": tag}).status_code == 200
    assert http.get("/public/d.json").json() is None


def test_if_none_match_gives_304_when_unchanged(http: httpx.Client) -> None:
    http.put("/public/n.json", json=1)
    tag = current_etag(http, "/public/n.json")
    assert http.get("/public/n.json", headers={"if-none-match": tag}).status_code == 304
    http.put("/public/n.json", json=2)
    changed = http.get("/public/n.json", headers={"if-none-match": tag})
    assert changed.status_code == 200
    assert changed.json() == 2
