"""The REST surface, driven with plain HTTP as a client would (admin: Bearer owner)."""

from __future__ import annotations

import httpx
import pytest
from google.cloud import firestore

from tests.support.firestore_clients import PROJECT, ROOT
from tests.support.id_tokens import OWNER_HEADERS

DOCS = f"/v1/{ROOT}"
DB = f"/v1/projects/{PROJECT}/databases/(default)"


def fields(**values: object) -> dict:
    """A Document body in the REST JSON mapping for simple values."""
    out = {}
    for key, value in values.items():
        if isinstance(value, bool):
            out[key] = {"booleanValue": value}
        elif isinstance(value, int):
            out[key] = {"integerValue": str(value)}
        else:
            out[key] = {"stringValue": value}
    return {"fields": out}


def test_create_get_patch_delete(rest: httpx.Client, db: firestore.Client) -> None:
    created = rest.post(
        f"{DOCS}/rooms",
        params={"documentId": "r1"},
        json=fields(name="one", size=2),
        headers=OWNER_HEADERS,
    )
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["name"] == f"{ROOT}/rooms/r1"
    assert body["fields"]["size"] == {"integerValue": "2"}
    assert body["createTime"] == body["updateTime"]
    again = rest.post(
        f"{DOCS}/rooms", params={"documentId": "r1"}, json=fields(), headers=OWNER_HEADERS
    )
    assert again.status_code == 409
    assert again.json()["error"]["status"] == "ALREADY_EXISTS"

    got = rest.get(f"{DOCS}/rooms/r1", params={"mask.fieldPaths": "name"}, headers=OWNER_HEADERS)
    assert got.json()["fields"] == {"name": {"stringValue": "one"}}

    patched = rest.patch(
        f"{DOCS}/rooms/r1",
        params={"updateMask.fieldPaths": ["size", "gone"]},
        json=fields(size=3, ignored="x"),
        headers=OWNER_HEADERS,
    )
    assert patched.status_code == 200, patched.text
    assert db.document("rooms/r1").get().to_dict() == {"name": "one", "size": 3}

    assert rest.delete(f"{DOCS}/rooms/r1", headers=OWNER_HEADERS).status_code == 200
    missing = rest.get(f"{DOCS}/rooms/r1", headers=OWNER_HEADERS)
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": 404,
        "status": "NOT_FOUND",
        "message": f"Document not found: {ROOT}/rooms/r1",
    }


def test_create_without_id_generates_one(rest: httpx.Client) -> None:
    created = rest.post(f"{DOCS}/rooms/r1/messages", json=fields(text="hi"), headers=OWNER_HEADERS)
    name = created.json()["name"]
    assert name.startswith(f"{ROOT}/rooms/r1/messages/")
    assert len(name.rsplit("/", 1)[1]) == 20


def test_patch_preconditions(rest: httpx.Client) -> None:
    missing = rest.patch(
        f"{DOCS}/c/a",
        params={"currentDocument.exists": "true"},
        json=fields(v=1),
        headers=OWNER_HEADERS,
    )
    assert missing.status_code == 404
    created = rest.patch(
        f"{DOCS}/c/a",
        params={"currentDocument.exists": "false"},
        json=fields(v=1),
        headers=OWNER_HEADERS,
    )
    stamp = created.json()["updateTime"]
    ok = rest.patch(
        f"{DOCS}/c/a",
        params={"currentDocument.updateTime": stamp},
        json=fields(v=2),
        headers=OWNER_HEADERS,
    )
    assert ok.status_code == 200
    stale = rest.patch(
        f"{DOCS}/c/a",
        params={"currentDocument.updateTime": stamp},
        json=fields(v=3),
        headers=OWNER_HEADERS,
    )
    assert stale.status_code == 400
    assert stale.json()["error"]["status"] == "FAILED_PRECONDITION"
    stale_delete = rest.delete(
        f"{DOCS}/c/a", params={"currentDocument.updateTime": stamp}, headers=OWNER_HEADERS
    )
    assert stale_delete.status_code == 400
    assert (
        rest.get(f"{DOCS}/c/a", headers=OWNER_HEADERS).json()["fields"]["v"]["integerValue"] == "2"
    )


def test_commit_with_transforms(rest: httpx.Client) -> None:
    body = {
        "writes": [
            {
                "update": {"name": f"{ROOT}/c/a", **fields(n=1)},
                "updateTransforms": [{"fieldPath": "at", "setToServerValue": "REQUEST_TIME"}],
            },
            {
                "transform": {
                    "document": f"{ROOT}/c/a",
                    "fieldTransforms": [{"fieldPath": "n", "increment": {"integerValue": "4"}}],
                }
            },
        ]
    }
    response = rest.post(f"{DOCS}:commit", json=body, headers=OWNER_HEADERS)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["writeResults"][1]["transformResults"] == [{"integerValue": "5"}]
    assert result["writeResults"][0]["transformResults"] == [
        {"timestampValue": result["commitTime"]}
    ]


def test_commit_is_all_or_nothing(rest: httpx.Client) -> None:
    body = {
        "writes": [
            {"update": {"name": f"{ROOT}/c/new", **fields(v=1)}},
            {
                "update": {"name": f"{ROOT}/c/missing", **fields(v=1)},
                "currentDocument": {"exists": True},
            },
        ]
    }
    assert rest.post(f"{DOCS}:commit", json=body, headers=OWNER_HEADERS).status_code == 404
    assert rest.get(f"{DOCS}/c/new", headers=OWNER_HEADERS).status_code == 404


def test_batch_get_and_list(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("c/a").set({"v": 1})
    db.document("c/b").set({"v": 2})
    got = rest.post(
        f"{DOCS}:batchGet",
        headers=OWNER_HEADERS,
        json={"documents": [f"{ROOT}/c/a", f"{ROOT}/c/zz"]},
    ).json()
    assert [sorted(r.keys() - {"readTime"}) for r in got] == [["found"], ["missing"]]
    listed = rest.get(f"{DOCS}/c", params={"pageSize": 1}, headers=OWNER_HEADERS).json()
    assert [d["name"] for d in listed["documents"]] == [f"{ROOT}/c/a"]
    following = rest.get(
        f"{DOCS}/c",
        headers=OWNER_HEADERS,
        params={"pageSize": 1, "pageToken": listed["nextPageToken"]},
    ).json()
    assert [d["name"] for d in following["documents"]] == [f"{ROOT}/c/b"]


def test_run_query_and_aggregation(rest: httpx.Client, db: firestore.Client) -> None:
    for index in range(4):
        db.document(f"rooms/r1/messages/m{index}").set({"n": index})
    query = {
        "from": [{"collectionId": "messages"}],
        "where": {
            "fieldFilter": {
                "field": {"fieldPath": "n"},
                "op": "GREATER_THAN",
                "value": {"integerValue": "0"},
            }
        },
        "orderBy": [{"field": {"fieldPath": "n"}, "direction": "DESCENDING"}],
        "limit": 2,
    }
    rows = rest.post(
        f"{DOCS}/rooms/r1:runQuery", json={"structuredQuery": query}, headers=OWNER_HEADERS
    ).json()
    assert [r["document"]["name"].rsplit("/", 1)[1] for r in rows] == ["m3", "m2"]
    aggregation = {
        "structuredAggregationQuery": {
            "structuredQuery": {"from": [{"collectionId": "messages", "allDescendants": True}]},
            "aggregations": [
                {"alias": "n", "count": {}},
                {"alias": "total", "sum": {"field": {"fieldPath": "n"}}},
                {"alias": "none", "avg": {"field": {"fieldPath": "absent"}}},
            ],
        }
    }
    result = rest.post(
        f"{DOCS}:runAggregationQuery", json=aggregation, headers=OWNER_HEADERS
    ).json()
    assert result[0]["result"]["aggregateFields"] == {
        "n": {"integerValue": "4"},
        "total": {"integerValue": "6"},
        "none": {"nullValue": None},
    }


def test_empty_query_answers_one_row_without_document(rest: httpx.Client) -> None:
    rows = rest.post(
        f"{DOCS}:runQuery",
        headers=OWNER_HEADERS,
        json={"structuredQuery": {"from": [{"collectionId": "none"}]}},
    ).json()
    assert len(rows) == 1 and "document" not in rows[0] and "readTime" in rows[0]


def test_transactions_over_rest(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("c/a").set({"n": 1})
    transaction = rest.post(f"{DOCS}:beginTransaction", json={}, headers=OWNER_HEADERS).json()[
        "transaction"
    ]
    read = rest.get(f"{DOCS}/c/a", params={"transaction": transaction}, headers=OWNER_HEADERS)
    assert read.status_code == 200
    write = {"update": {"name": f"{ROOT}/c/a", **fields(n=2)}}
    done = rest.post(
        f"{DOCS}:commit",
        json={"writes": [write], "transaction": transaction},
        headers=OWNER_HEADERS,
    )
    assert done.status_code == 200
    other = rest.post(f"{DOCS}:beginTransaction", json={}, headers=OWNER_HEADERS).json()[
        "transaction"
    ]
    assert (
        rest.post(
            f"{DOCS}:rollback", json={"transaction": other}, headers=OWNER_HEADERS
        ).status_code
        == 200
    )
    assert db.document("c/a").get().get("n") == 2


def test_list_collection_ids(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("rooms/r1/messages/m1").set({})
    db.document("users/u1").set({})
    top = rest.post(f"{DOCS}:listCollectionIds", json={}, headers=OWNER_HEADERS).json()
    assert top == {"collectionIds": ["rooms", "users"]}
    below = rest.post(f"{DOCS}/rooms/r1:listCollectionIds", json={}, headers=OWNER_HEADERS).json()
    assert below == {"collectionIds": ["messages"]}


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", f"{DOCS}:commit", {"writes": [{"update": {"name": "bad/name"}}]}, 400),
        ("POST", f"{DOCS}:commit", {"writes": "nope"}, 400),
        ("POST", f"{DOCS}:runQuery", {"structuredQuery": {"from": []}}, 400),
        ("POST", f"{DOCS}:frobnicate", {}, 404),
        ("GET", f"{DB}/documents/c/a", None, 404),
        ("PATCH", f"{DOCS}/odd", {}, 404),
    ],
)
def test_bad_requests_get_google_json_errors(
    rest: httpx.Client, method: str, path: str, body: dict | None, status: int
) -> None:
    response = rest.request(method, path, json=body, headers=OWNER_HEADERS)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == status and error["message"] and error["status"]


def test_malformed_json_is_invalid_argument(rest: httpx.Client) -> None:
    response = rest.post(f"{DOCS}:commit", content=b"{not json", headers=OWNER_HEADERS)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_collection_group_below_a_document(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("rooms/r1/messages/m1").set({})
    db.document("rooms/r2/messages/m2").set({})
    db.document("rooms/r2/threads/t1/messages/m3").set({})
    query = {"structuredQuery": {"from": [{"collectionId": "messages", "allDescendants": True}]}}
    rows = rest.post(f"{DOCS}/rooms/r2:runQuery", json=query, headers=OWNER_HEADERS).json()
    assert [r["document"]["name"].rsplit("/", 1)[1] for r in rows] == ["m2", "m3"]


def test_list_documents_show_missing(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("rooms/r2/messages/m1").set({})
    db.document("rooms/r1").set({"v": 1})
    plain = rest.get(f"{DOCS}/rooms", headers=OWNER_HEADERS).json()
    assert [d["name"].rsplit("/", 1)[1] for d in plain["documents"]] == ["r1"]
    shown = rest.get(f"{DOCS}/rooms", params={"showMissing": "true"}, headers=OWNER_HEADERS).json()
    assert [(d["name"].rsplit("/", 1)[1], "createTime" in d) for d in shown["documents"]] == [
        ("r1", True),
        ("r2", False),
    ]


def test_unknown_paths_answer_json(rest: httpx.Client) -> None:
    response = rest.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == "NOT_FOUND"


def _field_query(op: str, value: dict) -> dict:
    return {
        "structuredQuery": {
            "from": [{"collectionId": "c"}],
            "where": {"fieldFilter": {"field": {"fieldPath": "v"}, "op": op, "value": value}},
        }
    }


@pytest.mark.parametrize(
    "query",
    [
        _field_query("IN", {"integerValue": "1"}),
        _field_query("NOT_IN", {"arrayValue": {}}),
        _field_query(
            "ARRAY_CONTAINS_ANY",
            {"arrayValue": {"values": [{"integerValue": str(i)} for i in range(31)]}},
        ),
        {"structuredQuery": {"from": [{"collectionId": "c"}], "limit": -1}},
        _field_query("OPERATOR_UNSPECIFIED", {"integerValue": "1"}),
        {
            "structuredQuery": {
                "from": [{"collectionId": "c"}],
                "where": {
                    "unaryFilter": {"field": {"fieldPath": "v"}, "op": "OPERATOR_UNSPECIFIED"}
                },
            }
        },
        {
            "structuredQuery": {
                "from": [{"collectionId": "c"}],
                "where": {"compositeFilter": {"op": "AND", "filters": []}},
            }
        },
        {"structuredQuery": {"from": [{"collectionId": "c"}], "where": {}}},
        {"structuredQuery": {"from": [{"collectionId": "c"}, {"collectionId": "d"}]}},
        {
            "structuredQuery": {
                "from": [{"collectionId": "c"}],
                "orderBy": [{"field": {"fieldPath": "v"}}],
                "startAt": {
                    "values": [{"integerValue": "1"}, {"integerValue": "2"}, {"integerValue": "3"}]
                },
            }
        },
    ],
)
def test_invalid_queries(rest: httpx.Client, query: dict) -> None:
    response = rest.post(f"{DOCS}:runQuery", json=query, headers=OWNER_HEADERS)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_reserved_document_ids(rest: httpx.Client) -> None:
    response = rest.patch(f"{DOCS}/c/__reserved__", json={}, headers=OWNER_HEADERS)
    assert response.status_code == 400
    assert rest.get(f"{DOCS}/c", headers=OWNER_HEADERS).json() == {}
