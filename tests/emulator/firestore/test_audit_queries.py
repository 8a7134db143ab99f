"""Queries as a Firebase user writes them: null / NaN / missing-field semantics of every
operator, implicit orders, cursors from snapshots and on __name__, limit_to_last, offsets,
projections, collection groups and aggregations."""

from __future__ import annotations

import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1 import And, FieldFilter, Or
from google.cloud.firestore_v1.field_path import FieldPath

from tests.support.firestore_clients import ROOT
from tests.support.id_tokens import OWNER_HEADERS

DOCS = f"/v1/{ROOT}"
VALUES = {
    "null": None,
    "one": 1,
    "onef": 1.0,
    "two": 2,
    "nan": float("nan"),
    "str": "s",
    "arr": [1],
}


@pytest.fixture
def mixed(db: firestore.Client) -> firestore.CollectionReference:
    """One document per value kind in field v, and one without v."""
    collection = db.collection("mixed")
    for doc_id, value in VALUES.items():
        collection.document(doc_id).set({"v": value})
    collection.document("missing").set({"w": 1})
    return collection


def ids(query: firestore.Query) -> list[str]:
    return sorted(snapshot.id for snapshot in query.stream())


@pytest.mark.parametrize(
    ("op", "operand", "expected"),
    [
        # != and not-in never match a missing field or null; == null / NaN match exactly.
        ("!=", 2, ["arr", "nan", "one", "onef", "str"]),
        ("!=", None, ["arr", "nan", "one", "onef", "str", "two"]),
        ("==", None, ["null"]),
        ("==", float("nan"), ["nan"]),
        ("!=", float("nan"), ["arr", "one", "onef", "str", "two"]),
        ("not-in", [1], ["arr", "nan", "str", "two"]),
        ("not-in", [None, 1], []),
        ("in", [1, None], ["null", "one", "onef"]),
        # Range filters stay within the operand's type; int and double compare numerically.
        (">", 0, ["one", "onef", "two"]),
        ("<", "z", ["str"]),
        ("==", [1], ["arr"]),
        ("array_contains", 1.0, ["arr"]),
        ("array_contains_any", [2, 1], ["arr"]),
    ],
)
def test_operator_semantics(
    mixed: firestore.CollectionReference, op: str, operand: object, expected: list[str]
) -> None:
    assert ids(mixed.where(filter=FieldFilter("v", op, operand))) == expected


def test_cross_type_order_and_missing_fields_excluded(mixed: firestore.CollectionReference) -> None:
    ascending = [s.id for s in mixed.order_by("v").stream()]
    assert ascending == ["null", "nan", "one", "onef", "two", "str", "arr"]
    descending = [s.id for s in mixed.order_by("v", direction="DESCENDING").stream()]
    assert descending == ascending[::-1]  # ties (1 and 1.0) by __name__, descending too


def test_or_with_nested_and(mixed: firestore.CollectionReference) -> None:
    either = Or([FieldFilter("v", "==", 1), FieldFilter("w", "==", 1)])
    assert ids(mixed.where(filter=either)) == ["missing", "one", "onef"]
    nested = Or(
        [And([FieldFilter("v", ">=", 1), FieldFilter("v", "<", 2)]), FieldFilter("v", "==", "s")]
    )
    assert ids(mixed.where(filter=nested)) == ["one", "onef", "str"]


@pytest.fixture
def numbered(db: firestore.Client) -> firestore.CollectionReference:
    collection = db.collection("numbered")
    for i in range(10):
        data = {"n": i, "group": i % 3, **({"opt": i} if i < 5 else {})}
        collection.document(f"d{i}").set(data)
    return collection


def test_inequality_fields_missing_from_order_by_are_appended(db: firestore.Client) -> None:
    """``order_by`` docs: fields of inequality filters not in the order are appended in
    lexicographic order, with the direction of the last explicit order."""
    collection = db.collection("appended")
    for i in range(6):  # names run against n, so ordering by name would show
        collection.document(f"d{9 - i}").set({"n": i, "group": i % 2})
    query = collection.where(filter=FieldFilter("n", ">", 0)).order_by("group")
    assert [s.get("n") for s in query.stream()] == [2, 4, 1, 3, 5]
    descending = collection.where(filter=FieldFilter("n", "<", 5)).order_by(
        "group", direction="DESCENDING"
    )
    assert [s.get("n") for s in descending.stream()] == [3, 1, 4, 2, 0]


def test_inequalities_on_two_fields(numbered: firestore.CollectionReference) -> None:
    query = numbered.where(filter=FieldFilter("n", ">", 2)).where(filter=FieldFilter("opt", "<", 4))
    assert [s.id for s in query.stream()] == ["d3"]


def test_cursors_from_snapshots_and_on_document_id(numbered: firestore.CollectionReference) -> None:
    snapshot = numbered.document("d5").get()
    assert [s.id for s in numbered.order_by("n").start_at(snapshot).stream()] == [
        "d5",
        "d6",
        "d7",
        "d8",
        "d9",
    ]
    assert [s.id for s in numbered.start_after(snapshot).stream()] == ["d6", "d7", "d8", "d9"]
    by_id = numbered.order_by(FieldPath.document_id())
    assert [s.id for s in by_id.start_after(["d7"]).stream()] == ["d8", "d9"]
    backwards = numbered.order_by(FieldPath.document_id(), direction="DESCENDING")
    assert [s.id for s in backwards.end_before([numbered.document("d6")]).stream()] == [
        "d9",
        "d8",
        "d7",
    ]


def test_limit_to_last_offset_and_projection(numbered: firestore.CollectionReference) -> None:
    assert [s.id for s in numbered.order_by("n").limit_to_last(3).get()] == ["d7", "d8", "d9"]
    assert list(numbered.offset(50).stream()) == []
    assert [s.id for s in numbered.order_by("n").offset(8).stream()] == ["d8", "d9"]
    names_only = list(numbered.select([]).stream())
    assert len(names_only) == 10 and all(s.to_dict() == {} for s in names_only)
    assert numbered.select(["group"]).limit(1).get()[0].to_dict() == {"group": 0}


def test_document_id_filters(numbered: firestore.CollectionReference) -> None:
    key = FieldPath.document_id()
    assert ids(numbered.where(filter=FieldFilter(key, "==", numbered.document("d1")))) == ["d1"]
    wanted = [numbered.document("d1"), numbered.document("d2")]
    assert ids(numbered.where(filter=FieldFilter(key, "in", wanted))) == ["d1", "d2"]


def _run_query(rest: httpx.Client, query: dict) -> httpx.Response:
    return rest.post(
        f"{DOCS}:runQuery",
        headers=OWNER_HEADERS,
        json={"structuredQuery": {"from": [{"collectionId": "numbered"}], **query}},
    )


@pytest.mark.usefixtures("numbered")
@pytest.mark.parametrize(
    "query",
    [
        # "__key__ filter value must be a Key": a bare string is not a document name.
        {
            "where": {
                "fieldFilter": {
                    "field": {"fieldPath": "__name__"},
                    "op": "EQUAL",
                    "value": {"stringValue": "d1"},
                }
            }
        },
        # One cursor value per order (explicit + implicit __name__) at most.
        {
            "orderBy": [{"field": {"fieldPath": "n"}}],
            "startAt": {
                "values": [
                    {"integerValue": "1"},
                    {"referenceValue": f"{ROOT}/numbered/d1"},
                    {"integerValue": "3"},
                ]
            },
        },
        {
            "where": {
                "fieldFilter": {
                    "field": {"fieldPath": "n"},
                    "op": "IN",
                    "value": {
                        "arrayValue": {"values": [{"integerValue": str(i)} for i in range(31)]}
                    },
                }
            }
        },
        {"limit": -1},
    ],
)
def test_invalid_queries_answer_400(rest: httpx.Client, query: dict) -> None:
    response = _run_query(rest, query)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_in_accepts_thirty_values(numbered: firestore.CollectionReference) -> None:
    assert len(ids(numbered.where(filter=FieldFilter("n", "in", list(range(30)))))) == 10
    with pytest.raises(exceptions.InvalidArgument):
        ids(numbered.where(filter=FieldFilter("n", "in", list(range(31)))))


def test_collection_groups_with_and_without_filters(db: firestore.Client) -> None:
    db.document("a/1/sub/x").set({"v": 1})
    db.document("b/2/sub/y").set({"v": 2})
    db.document("sub/z").set({"v": 3})
    db.document("a/1/subway/q").set({"v": 9})
    assert sorted(s.reference.path for s in db.collection_group("sub").stream()) == [
        "a/1/sub/x",
        "b/2/sub/y",
        "sub/z",
    ]
    over_one = db.collection_group("sub").where(filter=FieldFilter("v", ">", 1))
    assert [s.reference.path for s in over_one.stream()] == ["b/2/sub/y", "sub/z"]


def _aggregate(rest: httpx.Client, collection: str, where: dict | None = None) -> dict:
    query: dict = {"from": [{"collectionId": collection}], **({"where": where} if where else {})}
    body = {
        "structuredAggregationQuery": {
            "structuredQuery": query,
            "aggregations": [
                {"alias": "n", "count": {}},
                {"alias": "total", "sum": {"field": {"fieldPath": "v"}}},
                {"alias": "mean", "avg": {"field": {"fieldPath": "v"}}},
            ],
        }
    }
    response = rest.post(f"{DOCS}:runAggregationQuery", headers=OWNER_HEADERS, json=body)
    assert response.status_code == 200, response.text
    return response.json()[0]["result"]["aggregateFields"]


def test_aggregations_follow_the_documented_types(rest: httpx.Client, db: firestore.Client) -> None:
    """sum of integers stays an integer, any double makes it a double, overflow makes it a
    double, non-numbers are ignored, avg of nothing is null."""
    assert _aggregate(rest, "none") == {
        "n": {"integerValue": "0"},
        "total": {"integerValue": "0"},
        "mean": {"nullValue": None},
    }
    for i, value in enumerate([1, 2, "text", None]):
        db.document(f"ints/{i}").set({"v": value})
    assert _aggregate(rest, "ints") == {
        "n": {"integerValue": "4"},
        "total": {"integerValue": "3"},
        "mean": {"doubleValue": 1.5},
    }
    db.document("ints/half").set({"v": 0.5})
    assert _aggregate(rest, "ints")["total"] == {"doubleValue": 3.5}
    db.document("big/a").set({"v": 2**63 - 1})
    db.document("big/b").set({"v": 1})
    assert _aggregate(rest, "big")["total"] == {"doubleValue": float(2**63)}
    only_big = {
        "fieldFilter": {
            "field": {"fieldPath": "v"},
            "op": "GREATER_THAN",
            "value": {"integerValue": "1"},
        }
    }
    assert _aggregate(rest, "big", only_big)["n"] == {"integerValue": "1"}
