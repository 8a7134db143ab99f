"""Applies projection writes to Firestore (one atomic batch) and the Realtime Database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any, Protocol

from flowchat import config
from flowchat.adapters import firebase_app

TIMESTAMP_TAG = "$timestamp"
MAX_BATCH_WRITES = 500


class ProjectionError(Exception):
    """A write could not be applied for a reason the drain may overcome later."""


class Target(StrEnum):
    """The database a write goes to (stored as is in the outbox's target column)."""

    FIRESTORE = "firestore"
    RTDB = "rtdb"


class Op(StrEnum):
    """What a write does at its path (stored as is in the outbox's op column)."""

    SET = "set"  # the whole document
    MERGE = "merge"  # these fields
    DELETE = "delete"


class Priority(IntEnum):
    """Outbox priorities: what takes access away is drained first and retried sooner."""

    REVOKE = 0
    GRANT = 1


REVOKE, GRANT = Priority.REVOKE, Priority.GRANT


@dataclass(frozen=True, slots=True)
class Write:
    """One idempotent write: a whole-document set, a field merge, or a delete."""

    target: Target
    path: str
    op: Op
    payload: Any = None
    priority: Priority = GRANT  # REVOKE for writes that remove access (removal, block, ban)


class Projector(Protocol):
    """Something that can apply a list of writes, all or nothing per target."""

    def apply(self, writes: list[Write]) -> None: ...


def encode_value(value: Any) -> Any:
    """JSON-safe form of a document value (timestamps tagged)."""
    if isinstance(value, datetime):
        return {TIMESTAMP_TAG: value.isoformat()}
    if isinstance(value, dict):
        return {k: encode_value(v) for k, v in value.items()}
    return value


def decode_value(value: Any) -> Any:
    """Inverse of encode_value."""
    if isinstance(value, dict):
        if set(value) == {TIMESTAMP_TAG}:
            return datetime.fromisoformat(value[TIMESTAMP_TAG])
        return {k: decode_value(v) for k, v in value.items()}
    return value


class FirebaseProjector:
    """Writes to a Firestore client and, when configured, a Realtime Database URL."""

    def __init__(self, firestore: Any, rtdb_url: str = "", timeout: float = 10.0) -> None:
        self._firestore = firestore
        self._rtdb_url = rtdb_url
        self._timeout = timeout

    def apply(self, writes: list[Write]) -> None:
        """Firestore writes in one batch (atomic), then RTDB writes one by one."""
        documents = [w for w in writes if w.target == Target.FIRESTORE]
        if documents:
            self._commit_batch(documents)
        for write in writes:
            if write.target == Target.RTDB:
                self._write_rtdb(write)

    def _commit_batch(self, writes: list[Write]) -> None:
        """One atomic batch per 500 writes (Firestore's limit); all are idempotent, so a
        failure part-way is repaired by the retry of the whole list."""
        for start in range(0, len(writes), MAX_BATCH_WRITES):
            batch = self._firestore.batch()
            for w in writes[start : start + MAX_BATCH_WRITES]:
                ref = self._firestore.document(w.path)
                if w.op == Op.DELETE:
                    batch.delete(ref)
                else:
                    batch.set(ref, decode_value(w.payload), merge=w.op == Op.MERGE)
            # No client-side retry: the outbox is the retry mechanism, so fail fast.
            batch.commit(retry=None, timeout=self._timeout)

    def _write_rtdb(self, write: Write) -> None:
        from firebase_admin import db

        if not self._rtdb_url:
            raise ProjectionError("RTDB write queued but RTDB_URL is not configured")
        ref = db.reference(write.path, app=firebase_app.app(), url=self._rtdb_url)
        if write.op == Op.DELETE:
            ref.delete()
        else:
            ref.set(write.payload)


_lock = threading.Lock()
_projector: Projector | None = None


def projector() -> Projector:
    """The process-wide projector, built on first use from the configuration."""
    global _projector
    with _lock:
        if _projector is None:
            _projector = FirebaseProjector(
                firebase_app.firestore_client(),
                config.RTDB_URL.value,
                float(config.FIRESTORE_WRITE_TIMEOUT_SECONDS.value),
            )
        return _projector


@contextmanager
def projecting_with(replacement: Projector) -> Iterator[None]:
    """Use another projector for a while (tests point it at a dead or dedicated server)."""
    global _projector
    previous = _projector
    _projector = replacement
    try:
        yield
    finally:
        _projector = previous
