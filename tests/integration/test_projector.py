"""The Firestore projector against the emulator: large write lists and the three ops."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flowchat.adapters.projector import FirebaseProjector, Op, Target, Write, encode_value


def test_more_writes_than_one_batch_holds(firestore) -> None:
    base = f"projector/{uuid.uuid4().hex}/docs"
    writes = [Write(Target.FIRESTORE, f"{base}/d{i}", Op.SET, {"i": i}) for i in range(1203)]
    FirebaseProjector(firestore).apply(writes)
    assert len(list(firestore.collection(base).list_documents())) == 1203


def test_set_merge_and_delete(firestore) -> None:
    path = f"projector/{uuid.uuid4().hex}"
    when = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    projector = FirebaseProjector(firestore)
    firestore.document(path).set({"owned": "elsewhere", "a": 0})
    projector.apply([Write(Target.FIRESTORE, path, Op.MERGE, encode_value({"a": 1, "at": when}))])
    assert firestore.document(path).get().to_dict() == {"owned": "elsewhere", "a": 1, "at": when}
    projector.apply([Write(Target.FIRESTORE, path, Op.SET, {"b": 2})])
    assert firestore.document(path).get().to_dict() == {"b": 2}
    projector.apply([Write(Target.FIRESTORE, path, Op.DELETE)])
    assert not firestore.document(path).get().exists
