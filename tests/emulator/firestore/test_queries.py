"""RunQuery, RunAggregationQuery, ListDocuments and ListCollectionIds through the
official client."""

from __future__ import annotations

import pytest
from google.cloud import firestore
from google.cloud.firestore import FieldFilter, Or
from google.cloud.firestore_v1.base_query import And

PEOPLE = {
    "ann": {"age": 30, "city": "Paris", "tags": ["a", "b"], "score": 1.5, "nick": None},
    "bob": {"age": 25, "city": "Oslo", "tags": ["b"], "score": float("nan")},
    "cat": {"age": 35, "city": "Paris", "tags": [], "score": 3},
    "dan": {"age": 25, "city": "Rome", "tags": ["c", "a"]},
    "eve": {"city": "Oslo", "tags": ["a"], "score": 2, "nick": "E"},
}


@pytest.fixture
def people(db: firestore.Client) -> firestore.CollectionReference:
    batch = db.batch()
    for name, data in PEOPLE.items():
        batch.set(db.document(f"people/{name}"), data)
    batch.commit()
    return db.collection("people")


def ids(query: firestore.Query) -> list[str]:
    return [snapshot.id for snapshot in query.stream()]


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("age", "==", 25, ["bob", "dan"]),
        ("age", "!=", 25, ["ann", "cat"]),
        ("age", "<", 30, ["bob", "dan"]),
        ("age", "<=", 30, ["bob", "dan", "ann"]),
        ("age", ">", 25, ["ann", "cat"]),
        ("age", ">=", 30, ["ann", "cat"]),
        ("city", "in", ["Rome", "Oslo"], ["bob", "dan", "eve"]),
        ("city", "not-in", ["Paris", "Rome"], ["bob", "eve"]),
        ("tags", "array_contains", "a", ["ann", "dan", "eve"]),
        ("tags", "array_contains_any", ["c", "b"], ["ann", "bob", "dan"]),
        ("nick", "==", None, ["ann"]),
        ("nick", "!=", None, ["eve"]),
        ("score", "==", float("nan"), ["bob"]),
        ("score", "!=", float("nan"), ["ann", "cat", "eve"]),
        ("score", ">", 1, ["ann", "cat", "eve"]),
    ],
)
def test_field_operators(
    people: firestore.CollectionReference, field: str, op: str, value: object, expected: list[str]
) -> None:
    assert sorted(ids(people.where(filter=FieldFilter(field, op, value)))) == sorted(expected)


def test_inequality_orders_by_its_field_then_name(people: firestore.CollectionReference) -> None:
    assert ids(people.where(filter=FieldFilter("age", ">=", 25))) == ["bob", "dan", "ann", "cat"]


def test_composite_and_or(people: firestore.CollectionReference) -> None:
    either = people.where(
        filter=Or([FieldFilter("city", "==", "Rome"), FieldFilter("age", ">", 30)])
    )
    assert sorted(ids(either)) == ["cat", "dan"]
    nested = people.where(
        filter=And(
            [
                FieldFilter("tags", "array_contains", "a"),
                Or([FieldFilter("city", "==", "Oslo"), FieldFilter("age", "==", 30)]),
            ]
        )
    )
    assert sorted(ids(nested)) == ["ann", "eve"]


def test_order_by_excludes_documents_without_the_field(
    people: firestore.CollectionReference,
) -> None:
    assert ids(people.order_by("age")) == ["bob", "dan", "ann", "cat"]
    descending = people.order_by("age", direction=firestore.Query.DESCENDING)
    assert ids(descending) == ["cat", "ann", "dan", "bob"]
    assert ids(people.order_by("city").order_by("age", direction="DESCENDING")) == [
        "bob",
        "cat",
        "ann",
        "dan",
    ]


def test_offset_limit_and_limit_to_last(people: firestore.CollectionReference) -> None:
    ordered = people.order_by("age")
    assert ids(ordered.limit(2)) == ["bob", "dan"]
    assert ids(ordered.offset(1).limit(2)) == ["dan", "ann"]
    assert [s.id for s in ordered.limit_to_last(2).get()] == ["ann", "cat"]


def test_cursors(people: firestore.CollectionReference, db: firestore.Client) -> None:
    ordered = people.order_by("age")
    assert ids(ordered.start_at({"age": 30})) == ["ann", "cat"]
    assert ids(ordered.start_after({"age": 25})) == ["ann", "cat"]
    assert ids(ordered.end_at({"age": 30})) == ["bob", "dan", "ann"]
    assert ids(ordered.end_before({"age": 30})) == ["bob", "dan"]
    # A snapshot cursor carries __name__, so ties break on the document name.
    dan = db.document("people/dan").get()
    assert ids(ordered.start_after(dan)) == ["ann", "cat"]
    assert ids(ordered.start_at(dan).end_at(db.document("people/ann").get())) == ["dan", "ann"]
    by_name = people.order_by("__name__")
    assert ids(by_name.start_after(db.document("people/cat").get())) == ["dan", "eve"]


def test_descending_cursor(people: firestore.CollectionReference) -> None:
    descending = people.order_by("age", direction="DESCENDING")
    assert ids(descending.start_after({"age": 30})) == ["dan", "bob"]


def test_projection(people: firestore.CollectionReference) -> None:
    snapshots = list(people.select(["city"]).order_by("city").limit(1).stream())
    assert snapshots[0].to_dict() == {"city": "Oslo"}
    names_only = list(people.select([]).stream())
    assert len(names_only) == 5
    assert all(s.to_dict() == {} for s in names_only)


def test_collection_group(db: firestore.Client) -> None:
    db.document("rooms/r1/messages/m1").set({"n": 1})
    db.document("rooms/r2/messages/m2").set({"n": 2})
    db.document("rooms/r2/messages/m2/messages/m3").set({"n": 3})
    db.document("messages/top").set({"n": 4})
    db.document("rooms/r1/other/x").set({"n": 5})
    group = db.collection_group("messages")
    assert ids(group.order_by("n")) == ["m1", "m2", "m3", "top"]
    assert ids(group.where(filter=FieldFilter("n", ">=", 2)).limit(2)) == ["m2", "m3"]
    assert ids(db.collection("rooms/r1/messages")) == ["m1"]


def test_aggregations(people: firestore.CollectionReference) -> None:
    query = people.count(alias="n").sum("age", alias="total").avg("age", alias="mean")
    results = {r.alias: r.value for r in query.get()[0]}
    assert results == {"n": 5, "total": 115, "mean": 115 / 4}
    paris = people.where(filter=FieldFilter("city", "==", "Paris")).count(alias="c")
    assert paris.get()[0][0].value == 2


def test_sum_with_doubles_and_empty_average(people: firestore.CollectionReference) -> None:
    scores = {
        r.alias: r.value
        for r in people.where(filter=FieldFilter("city", "==", "Paris"))
        .sum("score", alias="s")
        .avg("missing", alias="a")
        .get()[0]
    }
    # The emulator answers null for an empty average (see test_rest); this client reads
    # a null aggregate as 0.
    assert scores == {"s": 4.5, "a": 0.0}


def test_count_respects_limit(people: firestore.CollectionReference) -> None:
    assert people.limit(3).count().get()[0][0].value == 3


def test_list_documents_shows_missing_parents(db: firestore.Client) -> None:
    db.document("rooms/r1").set({"name": "one"})
    db.document("rooms/r2/messages/m1").set({"text": "hi"})
    listed = {ref.id for ref in db.collection("rooms").list_documents()}
    assert listed == {"r1", "r2"}
    assert [ref.id for ref in db.collection("rooms").list_documents(page_size=1)] == ["r1", "r2"]


def test_list_collection_ids(db: firestore.Client) -> None:
    db.document("rooms/r1/messages/m1").set({})
    db.document("rooms/r1/receipts/u1").set({})
    db.document("users/u1").set({})
    assert sorted(c.id for c in db.collections()) == ["rooms", "users"]
    assert sorted(c.id for c in db.document("rooms/r1").collections()) == ["messages", "receipts"]


def test_range_filters_only_match_their_own_type(db: firestore.Client) -> None:
    db.document("mixed/int").set({"v": 30})
    db.document("mixed/str").set({"v": "30"})
    db.document("mixed/null").set({"v": None})
    db.document("mixed/list").set({"v": [40]})
    numbers = db.collection("mixed").where(filter=FieldFilter("v", ">", 20))
    assert ids(numbers) == ["int"]
    strings = db.collection("mixed").where(filter=FieldFilter("v", ">=", ""))
    assert ids(strings) == ["str"]
    everything_but_int = db.collection("mixed").where(filter=FieldFilter("v", "!=", 30))
    assert ids(everything_but_int) == ["str", "list"]
