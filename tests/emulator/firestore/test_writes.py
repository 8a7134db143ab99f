"""Commits through the official client: update masks, field transforms,
preconditions, deletes, batches (all-or-nothing) and BulkWriter (BatchWrite)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1 import DELETE_FIELD


def test_merge_and_update_masks(db: firestore.Client) -> None:
    ref = db.document("c/a")
    ref.set({"a": 1, "m": {"x": 1, "y": 2}, "gone": True})
    ref.set({"m": {"y": 20, "z": 30}}, merge=True)
    assert ref.get().to_dict() == {"a": 1, "m": {"x": 1, "y": 20, "z": 30}, "gone": True}
    ref.update({"m.x": 10, "gone": DELETE_FIELD, "new.deep": "v"})
    assert ref.get().to_dict() == {"a": 1, "m": {"x": 10, "y": 20, "z": 30}, "new": {"deep": "v"}}
    ref.set({"only": 1})
    assert ref.get().to_dict() == {"only": 1}


def test_server_timestamp_and_increment(db: firestore.Client) -> None:
    ref = db.document("c/a")
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    result = ref.set({"at": firestore.SERVER_TIMESTAMP, "n": firestore.Increment(5)})
    snapshot = ref.get()
    assert snapshot.get("at") == result.update_time
    assert snapshot.get("at") >= before
    assert snapshot.get("n") == 5
    ref.update({"n": firestore.Increment(2)})
    assert ref.get().get("n") == 7
    ref.update({"n": firestore.Increment(0.5)})
    assert ref.get().get("n") == 7.5
    ref.update({"s": "text"})
    ref.update({"s": firestore.Increment(3)})
    assert ref.get().get("s") == 3


def test_integer_increment_saturates(db: firestore.Client) -> None:
    ref = db.document("c/a")
    ref.set({"n": 2**63 - 2})
    ref.update({"n": firestore.Increment(10)})
    assert ref.get().get("n") == 2**63 - 1


def test_maximum_and_minimum(db: firestore.Client) -> None:
    ref = db.document("c/a")
    ref.set({"hi": 5, "lo": 5, "nan": math.nan})
    ref.update(
        {
            "hi": firestore.Maximum(9),
            "lo": firestore.Minimum(2.5),
            "missing": firestore.Maximum(4),
            "nan": firestore.Minimum(1),
        }
    )
    data = ref.get().to_dict()
    assert (data["hi"], data["lo"], data["missing"]) == (9, 2.5, 4)
    assert math.isnan(data["nan"])
    ref.update({"hi": firestore.Maximum(1)})
    assert ref.get().get("hi") == 9


def test_array_union_and_remove(db: firestore.Client) -> None:
    ref = db.document("c/a")
    ref.set({"tags": ["a", 1, {"k": 1}]})
    ref.update({"tags": firestore.ArrayUnion(["b", 1.0, "a", {"k": 1}, "b"])})
    assert ref.get().get("tags") == ["a", 1, {"k": 1}, "b"]
    ref.update({"tags": firestore.ArrayRemove(["a", 1.0])})
    assert ref.get().get("tags") == [{"k": 1}, "b"]
    ref.update({"other": firestore.ArrayRemove(["x"]), "fresh": firestore.ArrayUnion([1, 1])})
    assert ref.get().to_dict() == {"tags": [{"k": 1}, "b"], "other": [], "fresh": [1]}


def test_create_precondition(db: firestore.Client) -> None:
    ref = db.document("c/a")
    ref.create({"v": 1})
    with pytest.raises(exceptions.AlreadyExists):
        ref.create({"v": 2})
    assert ref.get().to_dict() == {"v": 1}


def test_update_needs_an_existing_document(db: firestore.Client) -> None:
    with pytest.raises(exceptions.NotFound):
        db.document("c/missing").update({"v": 1})
    assert not db.document("c/missing").get().exists


def test_update_time_precondition(db: firestore.Client) -> None:
    ref = db.document("c/a")
    first = ref.set({"v": 1})
    ref.update({"v": 2}, option=db.write_option(last_update_time=first.update_time))
    with pytest.raises(exceptions.FailedPrecondition):
        ref.update({"v": 3}, option=db.write_option(last_update_time=first.update_time))
    with pytest.raises(exceptions.FailedPrecondition):
        ref.delete(option=db.write_option(last_update_time=first.update_time))
    assert ref.get().get("v") == 2


def test_delete(db: firestore.Client) -> None:
    ref = db.document("c/a")
    ref.set({"v": 1})
    ref.delete()
    assert not ref.get().exists
    ref.delete()  # deleting a missing document succeeds


def test_batch_is_all_or_nothing(db: firestore.Client) -> None:
    db.document("c/exists").set({"v": 0})
    batch = db.batch()
    batch.set(db.document("c/new"), {"v": 1})
    batch.update(db.document("c/exists"), {"v": 1})
    batch.create(db.document("c/exists"), {"v": 2})  # fails: already exists
    with pytest.raises(exceptions.AlreadyExists):
        batch.commit()
    assert not db.document("c/new").get().exists
    assert db.document("c/exists").get().get("v") == 0


def test_batch_sees_its_own_earlier_writes(db: firestore.Client) -> None:
    batch = db.batch()
    batch.set(db.document("c/a"), {"n": 1})
    batch.update(db.document("c/a"), {"n": firestore.Increment(1)})
    results = batch.commit()
    assert len(results) == 2
    assert db.document("c/a").get().get("n") == 2


def test_bulk_writer_applies_writes_independently(db: firestore.Client) -> None:
    db.document("c/taken").set({"v": 0})
    failures: list[str] = []
    writer = db.bulk_writer()
    writer.on_write_error(
        lambda failure, _writer: failures.append(failure.operation.reference.id) or False
    )
    for index in range(5):
        writer.set(db.document(f"c/d{index}"), {"i": index})
    writer.create(db.document("c/taken"), {"v": 1})
    writer.close()
    assert failures == ["taken"]
    assert sorted(s.id for s in db.collection("c").stream()) == [
        "d0",
        "d1",
        "d2",
        "d3",
        "d4",
        "taken",
    ]
    assert db.document("c/taken").get().get("v") == 0


def test_recursive_delete(db: firestore.Client) -> None:
    db.document("rooms/r1").set({"v": 1})
    db.document("rooms/r1/messages/m1").set({"v": 2})
    db.document("rooms/r1/messages/m1/reactions/x").set({"v": 3})
    db.document("rooms/r2/messages/m2").set({"v": 4})
    deleted = db.recursive_delete(db.collection("rooms").document("r1"))
    assert deleted == 3
    assert [s.id for s in db.collection_group("messages").stream()] == ["m2"]
    assert db.recursive_delete(db.collection("rooms")) == 1
    assert list(db.collections()) == []
