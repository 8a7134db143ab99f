"""Acceptance probes of the REST API, sent as a plain HTTP client following Firebase's REST
reference (https://firebase.google.com/docs/reference/rest/database)."""

from __future__ import annotations

import httpx
import pytest


def test_array_with_gaps_reads_back_as_an_array_as_the_sdks_render_it(http: httpx.Client) -> None:
    # The SDKs turn integer keys into an array when the highest index < 2 × the child count.
    http.put("/public/sparse.json", json={"0": "x", "3": "y"})
    assert http.get("/public/sparse.json").json() == ["x", None, None, "y"]
    http.put("/public/sparse.json", json={"0": "x", "4": "y"})
    assert http.get("/public/sparse.json").json() == {"0": "x", "4": "y"}


def test_keys_with_leading_zeros_are_not_array_indexes(http: httpx.Client) -> None:
    http.put("/public/z.json", json={"0": "a", "01": "b"})
    assert http.get("/public/z.json").json() == {"0": "a", "01": "b"}


def test_array_with_null_elements_drops_them(http: httpx.Client) -> None:
    assert http.put("/public/a.json", json=[None, "b", None]).json() == [None, "b"]
    assert http.get("/public/a/1.json").json() == "b"
    assert http.get("/public/a.json", params={"format": "export"}).json() == {"1": "b"}


@pytest.mark.parametrize("body", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b'{"a": NaN}'])
def test_non_finite_numbers_are_invalid_json(http: httpx.Client, body: bytes) -> None:
    response = http.put("/public/n.json", content=body)
    assert response.status_code == 400
    assert "error" in response.json()
    assert http.get("/public/n.json").json() is None


def test_whole_doubles_read_back_as_integers(http: httpx.Client) -> None:
    # Numbers are doubles in the Realtime Database: 3.0 and 3 are the same value.
    http.put("/public/n.json", content=b"3.0")
    assert http.get("/public/n.json").text == "3"
    http.put("/public/n.json", content=b"2.5")
    http.patch("/public.json", json={"n": {".sv": {"increment": 0.5}}})
    assert http.get("/public/n.json").text == "3"


def test_write_path_deeper_than_32_levels_is_400(http: httpx.Client) -> None:
    deep = "/".join(["k"] * 32)
    response = http.put(f"/public/{deep}.json", json=1)
    assert response.status_code == 400
    assert "error" in response.json()
    assert http.get("/public.json").json() is None
    patched = http.patch("/public.json", json={deep: 1})
    assert patched.status_code == 400
    assert http.get("/public.json").json() is None
    assert http.put(f"/public/{'/'.join(['k'] * 31)}.json", json=1).status_code == 200


def test_if_none_match_with_a_stale_etag_returns_the_value_and_its_etag(http: httpx.Client) -> None:
    http.put("/public/e.json", json=1)
    old = http.get("/public/e.json", headers={"X-Firebase-ETag": "true"}).headers["ETag"]
    http.put("/public/e.json", json=2)
    changed = http.get("/public/e.json", headers={"if-none-match": old})
    assert changed.status_code == 200
    assert changed.json() == 2
    current = http.get("/public/e.json", headers={"X-Firebase-ETag": "true"}).headers["ETag"]
    assert changed.headers["ETag"] == current != old


def test_successful_conditional_put_returns_the_new_etag(http: httpx.Client) -> None:
    tag = http.get("/public/c.json", headers={"X-Firebase-ETag": "true"}).headers["ETag"]
    assert tag == "null_etag"
    written = http.put("/public/c.json", json={"v": 1}, headers={"if-match": tag})
    assert written.status_code == 200
    fresh = http.get("/public/c.json", headers={"X-Firebase-ETag": "true"}).headers["ETag"]
    assert written.headers["ETag"] == fresh
    stale = http.put("/public/c.json", json={"v": 2}, headers={"if-match": tag})
    assert stale.status_code == 412
    assert stale.json() == {"v": 1}
    assert stale.headers["ETag"] == fresh


def test_order_by_child_mixes_types_in_firebase_order(http: httpx.Client) -> None:
    http.put(
        "/public/mix.json",
        json={
            "obj": {"v": {"x": 1}},
            "str": {"v": "a"},
            "num2": {"v": 2},
            "num1": {"v": 1},
            "t": {"v": True},
            "f": {"v": False},
            "none": {"other": 1},
        },
    )
    result = http.get("/public/mix.json", params={"orderBy": '"v"', "limitToFirst": "7"})
    # REST results are a JSON object (no order); ranges show the order instead.
    assert set(result.json()) == {"obj", "str", "num2", "num1", "t", "f", "none"}
    first = http.get("/public/mix.json", params={"orderBy": '"v"', "limitToFirst": "3"}).json()
    assert set(first) == {"none", "f", "t"}
    last = http.get("/public/mix.json", params={"orderBy": '"v"', "limitToLast": "2"}).json()
    assert set(last) == {"str", "obj"}
    numbers = http.get(
        "/public/mix.json", params={"orderBy": '"v"', "startAt": "1", "endAt": "2"}
    ).json()
    assert set(numbers) == {"num1", "num2"}
    assert http.get("/public/mix.json", params={"orderBy": '"v"', "equalTo": "true"}).json() == {
        "t": {"v": True}
    }


def test_order_by_key_start_at_a_string(http: httpx.Client) -> None:
    http.put("/public/k.json", json={"1": "a", "2": "b", "10": "c", "alpha": "d", "beta": "e"})
    assert http.get("/public/k.json", params={"orderBy": '"$key"', "startAt": '"b"'}).json() == {
        "beta": "e"
    }
    ints = http.get("/public/k.json", params={"orderBy": '"$key"', "endAt": '"10"'}).json()
    assert set(ints) == {"1", "2", "10"}
    assert http.get("/public/k.json", params={"orderBy": '"$key"', "limitToLast": "2"}).json() == {
        "alpha": "d",
        "beta": "e",
    }


def test_query_results_render_like_any_node(http: httpx.Client) -> None:
    # The server serializes a query result as it does a node: dense integer keys become an
    # array (firebase_admin's query sorter accepts list results for this reason).
    http.put("/public/k.json", json={"1": "a", "2": "b", "10": "c"})
    first = http.get("/public/k.json", params={"orderBy": '"$key"', "limitToFirst": "2"})
    assert first.json() == [None, "a", "b"]
    export = http.get(
        "/public/k.json", params={"orderBy": '"$key"', "limitToFirst": "2", "format": "export"}
    )
    assert export.json() == {"1": "a", "2": "b"}


def test_filters_without_order_by_are_400_with_firebase_message(http: httpx.Client) -> None:
    response = http.get("/public/k.json", params={"equalTo": '"x"'})
    assert response.status_code == 400
    assert response.json() == {
        "error": "orderBy must be defined when other query parameters are defined"
    }


def test_limit_to_first_and_last_together_are_400(http: httpx.Client) -> None:
    response = http.get(
        "/public/k.json", params={"orderBy": '"$key"', "limitToFirst": "1", "limitToLast": "1"}
    )
    assert response.status_code == 400
    assert "error" in response.json()


def test_post_answers_the_new_name_and_ids_are_monotonic(http: httpx.Client) -> None:
    names = [http.post("/public/q.json", json=i).json()["name"] for i in range(50)]
    assert all(len(name) == 20 for name in names)
    assert names == sorted(names)
    assert len(set(names)) == 50


def test_delete_of_last_child_removes_empty_parents(http: httpx.Client) -> None:
    http.put("/public/p/q/r.json", json=1)
    http.put("/public/p/q/r.json", json={})
    assert http.get("/public.json").json() is None
    assert http.get("/public.json", params={"shallow": "true"}).json() is None


def test_shallow_of_a_leaf_is_the_leaf(http: httpx.Client) -> None:
    http.put("/public/s.json", json={"a": {"b": 1}, "c": "x"})
    assert http.get("/public/s.json", params={"shallow": "true"}).json() == {"a": True, "c": True}
    assert http.get("/public/s/c.json", params={"shallow": "true"}).json() == "x"


def test_format_export_of_priorities_and_values(http: httpx.Client) -> None:
    http.put("/public/x.json", json={"a": {".value": 1, ".priority": 2}, ".priority": "p"})
    exported = http.get("/public/x.json", params={"format": "export"}).json()
    assert exported == {"a": {".value": 1, ".priority": 2}, ".priority": "p"}
    assert http.get("/public/x.json").json() == {"a": 1}


def test_print_silent_on_every_write_method(http: httpx.Client) -> None:
    silent = {"print": "silent"}
    assert http.put("/public/s.json", json=1, params=silent).status_code == 204
    assert http.patch("/public/t.json", json={"a": 1}, params=silent).status_code == 204
    posted = http.post("/public/u.json", json=1, params=silent)
    assert (posted.status_code, posted.content) == (204, b"")
    assert http.delete("/public/s.json", params=silent).status_code == 204
    assert http.get("/public.json").json() == {
        "t": {"a": 1},
        "u": {next(iter(http.get("/public/u.json").json())): 1},
    }


def test_print_silent_on_a_read_is_204_after_the_rules_check(http: httpx.Client) -> None:
    http.put("/public/r.json", json=1)
    read = http.get("/public/r.json", params={"print": "silent"})
    assert (read.status_code, read.content) == (204, b"")
    assert http.get("/secret.json", params={"print": "silent"}).status_code == 401


def test_paths_may_end_with_a_slash_before_json(http: httpx.Client) -> None:
    # The REST guide's own PATCH example: .../users/jack/name/.json
    http.put("/public/users/jack/name/.json", json={"first": "Jack"})
    assert http.patch("/public/users/jack/name/.json", json={"last": "Jones"}).json() == {
        "last": "Jones"
    }
    assert http.get("/public/users/jack/name.json").json() == {"first": "Jack", "last": "Jones"}


@pytest.mark.parametrize("key", ["", "/", "//"])
def test_patch_key_naming_no_child_is_400_and_changes_nothing(http: httpx.Client, key: str) -> None:
    http.put("/public/a.json", json={"x": 1})
    response = http.patch("/public/a.json", json={key: 5})
    assert response.status_code == 400
    assert "error" in response.json()
    assert http.get("/public/a.json").json() == {"x": 1}


def test_patch_keys_with_extra_slashes_name_the_child(http: httpx.Client) -> None:
    http.patch("/public/a.json", json={"/y": 5, "z//w": 6})
    assert http.get("/public/a.json").json() == {"y": 5, "z": {"w": 6}}


@pytest.mark.parametrize(
    "body",
    [
        b'"\\ud800"',
        b'{"k": "a\\udc00"}',
        b'{"\\ud800": 1}',
        b'{".value": 1, ".priority": "\\ud800"}',
    ],
)
def test_lone_surrogates_are_invalid_data_not_a_crash(http: httpx.Client, body: bytes) -> None:
    response = http.put("/public/u.json", content=body)
    assert response.status_code == 400
    assert "error" in response.json()
    assert http.get("/public/u.json").json() is None


def test_integer_beyond_double_range_is_400(http: httpx.Client) -> None:
    response = http.put(
        "/public/big.json", content=b"1" + b"0" * 400, headers={"X-Firebase-ETag": "true"}
    )
    assert response.status_code == 400
    assert http.get("/public/big.json").json() is None


def test_body_that_is_not_utf8_is_400(http: httpx.Client) -> None:
    response = http.put("/public/b.json", content=b'"\xff"')
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize(
    "body", [b'{"rules": {".read": "\xff"}}', b'{"rules": {".read": "auth.uid.length > \\ud800"}}']
)
def test_bad_rules_text_is_400_with_an_error(owner: httpx.Client, body: bytes) -> None:
    response = owner.put("/.settings/rules.json", content=body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_download_name_cannot_inject_headers(http: httpx.Client) -> None:
    http.put("/public/d.json", json=1)
    response = http.get("/public/d.json", params={"download": 'a"b\r\nX-Injected: 1'})
    assert response.status_code == 200
    assert "X-Injected" not in response.headers
    assert response.headers["Content-Disposition"] == 'attachment; filename="abX-Injected: 1"'
