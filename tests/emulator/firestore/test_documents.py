"""Documents through the official client: every value type, nested collections,
create / update times, and Firestore's cross-type value order."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1 import GeoPoint
from google.cloud.firestore_v1.vector import Vector


def test_every_value_type_round_trips(db: firestore.Client) -> None:
    stamp = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
    data = {
        "null": None,
        "bool": True,
        "int": -(2**63),
        "double": 1.5,
        "nan": math.nan,
        "string": "héllo ✓",
        "bytes": b"\x00\xff",
        "time": stamp,
        "ref": db.document("rooms/r1"),
        "geo": GeoPoint(48.85, 2.35),
        "array": [1, "two", {"nested": [None]}],
        "map": {"deep": {"deeper": {"x": 1}}, "dotted.key": "kept"},
    }
    db.document("types/all").set(data)
    got = db.document("types/all").get().to_dict()
    assert math.isnan(got.pop("nan"))
    data.pop("nan")
    assert got["ref"].path == "rooms/r1"
    got["ref"] = data["ref"] = "ref"
    assert got == data


def test_nested_collections_and_times(db: firestore.Client) -> None:
    message = db.document("rooms/r1/messages/m1/reactions/u1")
    before = dt.datetime.now(dt.UTC)
    message.set({"emoji": "👍"})
    first = message.get()
    assert first.create_time == first.update_time
    assert first.create_time >= before - dt.timedelta(seconds=1)
    message.set({"emoji": "🎉"})
    second = message.get()
    assert second.create_time == first.create_time
    assert second.update_time > first.update_time
    assert not db.document("rooms/r1").get().exists
    assert [c.id for c in db.document("rooms/r1/messages/m1").collections()] == ["reactions"]
    assert sorted(c.id for c in db.collections()) == ["rooms"]


def test_missing_document_reads_as_not_existing(db: firestore.Client) -> None:
    snapshot = db.document("rooms/nope").get()
    assert not snapshot.exists
    assert snapshot.to_dict() is None


def test_get_all_mixes_found_and_missing(db: firestore.Client) -> None:
    db.document("c/a").set({"n": 1})
    snaps = {s.id: s for s in db.get_all([db.document("c/a"), db.document("c/b")])}
    assert snaps["a"].to_dict() == {"n": 1}
    assert not snaps["b"].exists


def test_field_mask_on_get(db: firestore.Client) -> None:
    db.document("c/a").set({"x": 1, "y": {"z": 2, "w": 3}})
    snapshot = db.document("c/a").get(field_paths=["y.z"])
    assert snapshot.to_dict() == {"y": {"z": 2}}


@pytest.mark.parametrize("data", [{"__bad__": 1}, {"a": [[1]]}, {"m": {"__x__": 2}}])
def test_invalid_documents_are_refused(db: firestore.Client, data: dict) -> None:
    with pytest.raises(exceptions.InvalidArgument):
        db.document("c/a").set(data)
    assert not db.document("c/a").get().exists


ORDERED = [
    None,
    False,
    True,
    math.nan,
    -math.inf,
    -5,
    0,
    0.5,
    1,
    math.inf,
    dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    "",
    "A",
    "a",
    "é",
    b"",
    b"\x00",
    b"\x01",
    "REF:a/b",
    "REF:a/c",
    GeoPoint(-10, 0),
    GeoPoint(-10, 5),
    GeoPoint(0, 0),
    [],
    [None],
    [1, 2],
    [1, 3],
    [2],
    {},
    {"a": 1},
    {"a": 2},
    {"b": 0},
]


def _stored_value(db: firestore.Client, value: object) -> object:
    if isinstance(value, str) and value.startswith("REF:"):
        return db.document(value[4:])
    return value


def test_values_order_across_types(db: firestore.Client) -> None:
    """null < bool < number < timestamp < string < bytes < reference < geo < array < map."""
    for index, value in enumerate(ORDERED):
        db.document(f"order/{index:02d}").set({"v": _stored_value(db, value), "i": index})
    ascending = [s.get("i") for s in db.collection("order").order_by("v").stream()]
    assert ascending == list(range(len(ORDERED)))
    descending = db.collection("order").order_by("v", direction="DESCENDING").stream()
    assert [s.get("i") for s in descending] == list(reversed(range(len(ORDERED))))


def test_int_and_double_compare_numerically(db: firestore.Client) -> None:
    db.document("n/a").set({"v": 1})
    db.document("n/b").set({"v": 1.0})
    db.document("n/c").set({"v": 2.5})
    equal = db.collection("n").where(filter=firestore.FieldFilter("v", "==", 1.0)).stream()
    assert sorted(s.id for s in equal) == ["a", "b"]
    bigger = db.collection("n").where(filter=firestore.FieldFilter("v", ">", 1)).stream()
    assert [s.id for s in bigger] == ["c"]


def test_vector_values_round_trip(db: firestore.Client) -> None:
    db.document("c/v").set({"embedding": Vector([0.5, 1.5])})
    assert db.document("c/v").get().get("embedding") == Vector([0.5, 1.5])
