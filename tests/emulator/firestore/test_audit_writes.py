"""Writes as a Firebase user tries them: every value type through the Python client, field
paths with dots and backticks, merges, transforms on odd targets, and the values Firestore
refuses (nested arrays through array_union, bad geo points and references, long ids)."""

from __future__ import annotations

import datetime
import math

import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1.field_path import FieldPath
from google.protobuf import timestamp_pb2

from tests.support.firestore_clients import ROOT, gapic_client
from tests.support.id_tokens import OWNER_HEADERS

DOCS = f"/v1/{ROOT}"


def commit(rest: httpx.Client, *writes: dict) -> httpx.Response:
    return rest.post(f"{DOCS}:commit", headers=OWNER_HEADERS, json={"writes": list(writes)})


def update(path: str, fields: dict, **extra: object) -> dict:
    return {"update": {"name": f"{ROOT}/{path}", "fields": fields}, **extra}


def test_every_value_type_round_trips_through_the_python_client(db: firestore.Client) -> None:
    stamp = datetime.datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC)
    data = {
        "null": None,
        "true": True,
        "max": 2**63 - 1,
        "min": -(2**63),
        "double": 1.5,
        "nan": float("nan"),
        "negative_zero": -0.0,
        "inf": float("-inf"),
        "stamp": stamp,
        "text": "héllo 😀",
        "bytes": b"\x00\xff",
        "ref": db.document("x/y"),
        "geo": firestore.GeoPoint(1.5, -2.5),
        "array": [1, "a", None, {"m": 1}],
        "map": {"a.b": {"`c`": 1}, "ünï": {}},
    }
    db.document("types/all").set(data)
    got = db.document("types/all").get().to_dict()
    assert math.isnan(got.pop("nan"))
    assert math.copysign(1.0, got["negative_zero"]) == -1.0
    assert got.pop("ref").path == "x/y"
    expected = {k: v for k, v in data.items() if k not in ("nan", "ref")}
    assert got == expected


def test_update_with_dotted_quoted_and_deleted_field_paths(db: firestore.Client) -> None:
    doc = db.document("paths/p")
    doc.set({"a": {"b": 1, "c": 2}, "x.y": 5, "gone": 1})
    doc.update(
        {
            "a.b": 10,
            "`x.y`": 6,
            "gone": firestore.DELETE_FIELD,
            "a.c": firestore.DELETE_FIELD,
            "a.never": firestore.DELETE_FIELD,
        }
    )
    doc.update({FieldPath("q.r", "s").to_api_repr(): 1})
    assert doc.get().to_dict() == {"a": {"b": 10}, "x.y": 6, "q.r": {"s": 1}}


def test_set_merge_keeps_siblings_and_merge_fields_limit_the_write(db: firestore.Client) -> None:
    doc = db.document("merge/m")
    doc.set({"a": {"b": 1, "c": 2}, "k": 1})
    doc.set({"a": {"b": 5, "d": {"e": 1}}}, merge=True)
    assert doc.get().to_dict() == {"a": {"b": 5, "c": 2, "d": {"e": 1}}, "k": 1}
    doc.set({"a": {"b": 7, "c": 9}, "k": 9}, merge=["a.b"])
    assert doc.get().to_dict() == {"a": {"b": 7, "c": 2, "d": {"e": 1}}, "k": 1}
    doc.set({"k": firestore.DELETE_FIELD, "a": {"d": firestore.SERVER_TIMESTAMP}}, merge=True)
    got = doc.get().to_dict()
    assert set(got) == {"a"} and isinstance(got["a"]["d"], datetime.datetime)
    assert got["a"]["b"] == 7


def test_transforms_on_missing_and_non_numeric_fields(db: firestore.Client) -> None:
    """FieldTransform docs: a non-numeric or missing field is set to the operand; array
    union on a non-array replaces it; int64 increments saturate."""
    doc = db.document("transforms/t")
    doc.set({"text": "str", "i": 1, "big": 2**63 - 1, "arr": [1, 1, 2], "nan": float("nan")})
    doc.update(
        {
            "text": firestore.Increment(2),
            "missing": firestore.Increment(3),
            "i": firestore.Increment(1.5),
            "big": firestore.Increment(5),
            "mx": firestore.Maximum(4),
            "nan": firestore.Maximum(1),
        }
    )
    got = doc.get().to_dict()
    assert (got["text"], got["missing"], got["i"], got["big"], got["mx"]) == (
        2,
        3,
        2.5,
        2**63 - 1,
        4,
    )
    assert math.isnan(got["nan"])  # "The maximum of any numeric value x and NaN is NaN"
    doc.update(
        {
            "arr": firestore.ArrayUnion([2, 3, 3]),
            "fresh": firestore.ArrayUnion([1, 1]),
            "i": firestore.ArrayUnion([1]),
        }
    )
    got = doc.get().to_dict()
    assert (got["arr"], got["fresh"], got["i"]) == ([1, 1, 2, 3], [1], [1])
    doc.update({"arr": firestore.ArrayRemove([1]), "text": firestore.ArrayRemove([1])})
    got = doc.get().to_dict()
    assert (got["arr"], got["text"]) == ([2, 3], [])


def test_array_union_cannot_create_a_nested_array(rest: httpx.Client) -> None:
    union = {"fieldPath": "a", "appendMissingElements": {"values": [{"arrayValue": {}}]}}
    response = commit(rest, update("nest/n", {}, updateTransforms=[union]))
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert rest.get(f"{DOCS}/nest/n", headers=OWNER_HEADERS).status_code == 404


@pytest.mark.parametrize(
    "value",
    [
        {"geoPointValue": {"latitude": 91, "longitude": 0}},
        {"geoPointValue": {"latitude": 0, "longitude": -180.5}},
        {"geoPointValue": {"latitude": "NaN", "longitude": 0}},
        {"referenceValue": "not/a/reference"},
        {"referenceValue": f"{ROOT}/odd"},
        {"mapValue": {"fields": {"in": {"referenceValue": f"{ROOT}/c"}}}},
    ],
)
def test_invalid_values_are_refused_and_nothing_is_written(rest: httpx.Client, value: dict) -> None:
    response = commit(rest, update("ok/first", {}), update("bad/doc", {"v": value}))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert rest.get(f"{DOCS}/ok/first", headers=OWNER_HEADERS).status_code == 404


def test_document_ids_longer_than_1500_bytes_are_refused(db: firestore.Client) -> None:
    db.collection("ids").document("é" * 750).set({})  # exactly 1,500 bytes
    with pytest.raises(exceptions.InvalidArgument):
        db.collection("ids").document("x" * 1501).set({})
    with pytest.raises(exceptions.InvalidArgument):
        db.collection("x" * 1501).document("d").set({})
    assert [d.id for d in db.collection("ids").stream()] == ["é" * 750]


def test_timestamps_outside_years_1_to_9999_are_refused(address: str, rest: httpx.Client) -> None:
    client = gapic_client(address)
    too_late = timestamp_pb2.Timestamp(seconds=253402300800)  # 10000-01-01
    write = {"update": {"name": f"{ROOT}/ts/late", "fields": {"t": {"timestamp_value": too_late}}}}
    with pytest.raises(exceptions.InvalidArgument):
        client.commit(
            request={"database": ROOT.removesuffix("/documents"), "writes": [write]},
            metadata=[("authorization", "Bearer owner")],
        )
    assert rest.get(f"{DOCS}/ts/late", headers=OWNER_HEADERS).status_code == 404


def test_a_batch_writing_one_document_twice_applies_both_in_order(db: firestore.Client) -> None:
    batch = db.batch()
    batch.set(db.document("twice/d"), {"v": 1})
    batch.update(db.document("twice/d"), {"w": firestore.Increment(2)})
    batch.update(db.document("twice/d"), {"w": firestore.Increment(3)})
    batch.commit()
    assert db.document("twice/d").get().to_dict() == {"v": 1, "w": 5}


def test_a_batch_of_500_writes_commits(db: firestore.Client) -> None:
    batch = db.batch()
    for i in range(500):
        batch.set(db.document(f"many/{i:03d}"), {"i": i})
    assert len(batch.commit()) == 500
    assert db.collection("many").count().get()[0][0].value == 500


def test_create_update_and_delete_preconditions(db: firestore.Client) -> None:
    doc = db.document("pre/p")
    doc.create({"a": 1})
    with pytest.raises(exceptions.Conflict):
        doc.create({"a": 2})
    with pytest.raises(exceptions.NotFound):
        db.document("pre/none").update({"a": 1})
    stale = doc.get().update_time
    doc.update({"a": 3})
    with pytest.raises(exceptions.FailedPrecondition):
        doc.update({"a": 4}, option=db.write_option(last_update_time=stale))
    with pytest.raises(exceptions.FailedPrecondition):
        doc.delete(option=db.write_option(last_update_time=stale))
    assert doc.get().to_dict() == {"a": 3}
    assert db.document("pre/none").delete() is not None  # deleting nothing succeeds


def _nested(depth: int) -> dict:
    """A map whose deepest field path has ``depth`` segments."""
    value: object = 1
    for _ in range(depth - 1):
        value = {"m": value}
    return {"m": value}


def test_documents_over_one_mebibyte_are_refused(db: firestore.Client) -> None:
    """Limits page: "Maximum size for a document: 1 MiB (1,048,576 bytes)"."""
    db.document("big/fits").set({"s": "x" * 1_000_000})
    with pytest.raises(exceptions.InvalidArgument, match="size"):
        db.document("big/over").set({"s": "x" * 1_048_576})
    with pytest.raises(exceptions.InvalidArgument):
        db.document("big/fits").update({"more": "y" * 60_000})  # the result counts
    assert not db.document("big/over").get().exists
    assert set(db.document("big/fits").get().to_dict()) == {"s"}


def test_fields_nested_deeper_than_twenty_levels_are_refused(db: firestore.Client) -> None:
    """Limits page: "Maximum depth of fields in a map or array: 20"."""
    db.document("deep/ok").set(_nested(20))
    with pytest.raises(exceptions.InvalidArgument):
        db.document("deep/too").set(_nested(30))
    assert not db.document("deep/too").get().exists
