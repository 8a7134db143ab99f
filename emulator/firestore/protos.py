"""Building raw protobuf messages for responses (proto-plus wrappers are slow)."""

from __future__ import annotations

from typing import Any

from google.cloud.firestore_v1.types import Document, Value
from google.protobuf import timestamp_pb2

from emulator.firestore.names import DatabaseId
from emulator.firestore.store import StoredDoc
from emulator.firestore.values import Timestamp, to_proto


def timestamp_pb(stamp: Timestamp) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=stamp.seconds, nanos=stamp.nanos)


def from_timestamp_pb(stamp: Any) -> Timestamp:
    return Timestamp(stamp.seconds, stamp.nanos)


def value_pb(value: Any) -> Any:
    return Value.pb(to_proto(value))


def document_pb(
    database: DatabaseId, path: str, doc: StoredDoc, data: dict[str, Any] | None = None
) -> Any:
    """A Document message; ``data`` overrides the fields (for masks and projections)."""
    message = Document.pb()(name=database.name(path))
    fields = doc.data if data is None else data
    for key, value in fields.items():
        message.fields[key].CopyFrom(value_pb(value))
    message.create_time.CopyFrom(timestamp_pb(doc.create_time))
    message.update_time.CopyFrom(timestamp_pb(doc.update_time))
    return message
