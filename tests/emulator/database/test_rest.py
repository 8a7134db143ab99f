"""REST API: reads and writes on /{path}.json exactly as a plain HTTP client sends them."""

from __future__ import annotations

import re

import httpx
import pytest

from emulator.database import namespaces
from emulator.database.server import DatabaseEmulator


def test_put_then_get_returns_the_value(http: httpx.Client) -> None:
    written = http.put("/public/rooms/r1.json", json={"name": "General", "open": True})
    assert written.status_code == 200
    assert written.json() == {"name": "General", "open": True}
    assert http.get("/public/rooms/r1/name.json").json() == "General"
    assert http.get("/public/rooms.json").json() == {"r1": {"name": "General", "open": True}}


def test_missing_location_reads_as_null(http: httpx.Client) -> None:
    response = http.get("/public/nothing/here.json")
    assert response.status_code == 200
    assert response.json() is None


def test_patch_updates_only_the_named_children(http: httpx.Client) -> None:
    http.put("/public/u.json", json={"a": 1, "b": 2})
    patched = http.patch("/public/u.json", json={"b": 3, "c": {"d": 4}})
    assert patched.json() == {"b": 3, "c": {"d": 4}}
    assert http.get("/public/u.json").json() == {"a": 1, "b": 3, "c": {"d": 4}}


def test_patch_with_deep_paths_is_a_multi_location_update(http: httpx.Client) -> None:
    http.put("/public/m.json", json={"x": {"keep": 1, "old": 2}})
    http.patch("/public.json", json={"m/x/old": None, "m/y": "new"})
    assert http.get("/public/m.json").json() == {"x": {"keep": 1}, "y": "new"}


def test_patch_with_overlapping_paths_is_refused(http: httpx.Client) -> None:
    response = http.patch("/public.json", json={"a": {"b": 1}, "a/b": 2})
    assert response.status_code == 400
    assert "ancestor" in response.json()["error"]
    assert http.get("/public.json").json() is None


def test_post_creates_time_ordered_push_ids(http: httpx.Client) -> None:
    names = [http.post("/public/log.json", json={"n": i}).json()["name"] for i in range(5)]
    assert all(re.fullmatch(r"[-0-9A-Za-z_]{20}", name) for name in names)
    assert names == sorted(names)
    stored = http.get("/public/log.json").json()
    assert [stored[name]["n"] for name in names] == [0, 1, 2, 3, 4]


def test_delete_removes_and_prunes_empty_parents(http: httpx.Client) -> None:
    http.put("/public/a/b/c.json", json=1)
    deleted = http.delete("/public/a/b/c.json")
    assert deleted.status_code == 200
    assert deleted.json() is None
    assert http.get("/public.json").json() is None


def test_writing_null_or_empty_object_deletes(http: httpx.Client) -> None:
    http.put("/public/x.json", json=1)
    http.put("/public/x.json", json={})
    assert http.get("/public/x.json").json() is None


def test_print_silent_answers_204_without_body(http: httpx.Client) -> None:
    for method, body in (("PUT", 1), ("PATCH", {"y": 2}), ("POST", 3)):
        response = http.request(method, "/public/s.json", params={"print": "silent"}, json=body)
        assert response.status_code == 204
        assert response.content == b""
    deleted = http.delete("/public/s.json", params={"print": "silent"})
    assert deleted.status_code == 204
    assert http.get("/public/s.json").json() is None


def test_shallow_returns_true_for_each_child(http: httpx.Client) -> None:
    http.put("/public/deep.json", json={"a": {"x": 1}, "b": 2, "c": "s"})
    assert http.get("/public/deep.json", params={"shallow": "true"}).json() == {
        "a": True,
        "b": True,
        "c": True,
    }
    assert http.get("/public/deep/b.json", params={"shallow": "true"}).json() == 2


def test_format_export_returns_the_data(http: httpx.Client) -> None:
    http.put("/public/e.json", json={"a": 1})
    assert http.get("/public/e.json", params={"format": "export"}).json() == {"a": 1}


def test_arrays_are_stored_as_maps_and_read_back_as_arrays(http: httpx.Client) -> None:
    http.put("/public/list.json", json=["a", "b", "c"])
    assert http.get("/public/list/1.json").json() == "b"
    assert http.get("/public/list.json").json() == ["a", "b", "c"]
    http.delete("/public/list/0.json")
    assert http.get("/public/list.json").json() == [None, "b", "c"]
    http.put("/public/sparse.json", json={"0": "a", "9": "z"})
    assert http.get("/public/sparse.json").json() == {"0": "a", "9": "z"}


def test_invalid_json_is_a_400_with_an_error_body(http: httpx.Client) -> None:
    response = http.put("/public/bad.json", content=b"{not json")
    assert response.status_code == 400
    assert "parse JSON" in response.json()["error"]
    assert http.get("/public/bad.json").json() is None


def test_patch_needs_an_object(http: httpx.Client) -> None:
    response = http.patch("/public/p.json", json=[1, 2])
    assert response.status_code == 400
    assert "error" in response.json()


def test_forbidden_characters_in_keys_are_refused(http: httpx.Client) -> None:
    assert http.put("/public/a$b.json", json=1).status_code == 400
    response = http.put("/public/ok.json", json={"bad.key": 1})
    assert response.status_code == 400
    assert http.get("/public.json").json() is None


def test_paths_must_end_in_json(http: httpx.Client) -> None:
    response = http.get("/public/a")
    assert response.status_code == 404
    assert "error" in response.json()


def test_method_override_header_turns_a_post_into_a_patch(http: httpx.Client) -> None:
    http.put("/public/o.json", json={"a": 1})
    http.post("/public/o.json", json={"b": 2}, headers={"X-HTTP-Method-Override": "PATCH"})
    assert http.get("/public/o.json").json() == {"a": 1, "b": 2}


def test_namespaces_are_separate_databases(
    raw: httpx.Client, rtdb: DatabaseEmulator, ns: str
) -> None:
    base = f"http://{rtdb.address}"
    raw.put(f"{base}/public/v.json", params={"ns": ns}, json="mine")
    assert raw.get(f"{base}/public/v.json", params={"ns": ns + "-other"}).json() is None
    assert raw.get(f"{base}/public/v.json", params={"ns": ns}).json() == "mine"


def test_namespace_from_the_host_name_label(
    raw: httpx.Client, rtdb: DatabaseEmulator, ns: str
) -> None:
    base = f"http://{rtdb.address}"
    raw.put(f"{base}/public/h.json", json="by-host", headers={"Host": f"{ns}.firebaseio.com"})
    assert raw.get(f"{base}/public/h.json", params={"ns": ns}).json() == "by-host"


def test_default_namespace_is_project_default_rtdb(
    raw: httpx.Client, rtdb: DatabaseEmulator
) -> None:
    base = f"http://{rtdb.address}"
    raw.put(f"{base}/public/d.json", json="default")
    named = raw.get(f"{base}/public/d.json", params={"ns": "demo-rtdb-tests-default-rtdb"})
    assert named.json() == "default"
    raw.delete(f"{base}/public/d.json")


def test_pretty_print_indents(http: httpx.Client) -> None:
    http.put("/public/pp.json", json={"a": 1})
    assert http.get("/public/pp.json", params={"print": "pretty"}).text == '{\n  "a": 1\n}'


def test_browsers_get_cors_headers(http: httpx.Client) -> None:
    preflight = http.options(
        "/public/x.json",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "PUT"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]
    response = http.put("/public/x.json", json=1, headers={"Origin": "http://localhost:5173"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_data_deeper_than_32_levels_is_refused(http: httpx.Client) -> None:
    deep: object = 1
    for _ in range(31):
        deep = {"k": deep}
    assert http.put("/public.json", json=deep).status_code == 200  # 32 levels with public
    response = http.put("/public/extra.json", json=deep)
    assert response.status_code == 400
    assert "deeper" in response.json()["error"]


@pytest.mark.parametrize(
    "ns_param, host, expected",
    [
        ("given", "other.firebaseio.com", "given"),
        (None, "chat-app.firebaseio.com", "chat-app"),
        (None, "chat-app.europe-west1.firebasedatabase.app:443", "chat-app"),
        (None, "127.0.0.1:9000", "fallback"),
        (None, "localhost:9000", "fallback"),
        (None, "[::1]:9000", "fallback"),
        (None, None, "fallback"),
    ],
)
def test_namespace_resolution(ns_param: str | None, host: str | None, expected: str) -> None:
    assert namespaces.resolve(ns_param, host, "fallback") == expected


def test_jsonp_callback(http: httpx.Client) -> None:
    http.put("/public/j.json", json={"a": 1})
    response = http.get("/public/j.json", params={"callback": "app.gotData"})
    assert response.headers["Content-Type"].startswith("application/javascript")
    assert response.text == 'app.gotData({"a": 1});'
    assert http.get("/public/j.json", params={"callback": "alert(1)//"}).status_code == 400


def test_download_names_an_attachment(http: httpx.Client) -> None:
    http.put("/public/d.json", json={"a": 1})
    response = http.get("/public/d.json", params={"download": "backup.json"})
    assert response.headers["Content-Disposition"] == 'attachment; filename="backup.json"'
    assert response.json() == {"a": 1}
