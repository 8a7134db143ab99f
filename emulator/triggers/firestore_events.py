"""CloudEvents for Firestore document changes, as Cloud Functions (2nd gen) receives them:
protobuf-encoded google.events.cloud.firestore.v1.DocumentEventData with value / old_value."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cloudevents.http import CloudEvent
from google.events.cloud import firestore as firestore_events

from emulator.firestore.names import DatabaseId
from emulator.firestore.protos import document_pb
from emulator.firestore.store import StoredDoc
from emulator.triggers.cloud_events import base_attributes

LOCATION = "nam5"
DATA_SCHEMA = (
    "https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/"
    "firestore/v1/data.proto"
)


def event_for(
    event_type: str,
    database: DatabaseId,
    path: str,
    before: StoredDoc | None,
    after: StoredDoc | None,
) -> CloudEvent:
    """The CloudEvent of one committed document change, for a trigger of ``event_type``."""
    data = firestore_events.DocumentEventData(
        value=_document(database, path, after),
        old_value=_document(database, path, before),
    )
    if before is not None and after is not None:
        data.update_mask = firestore_events.DocumentMask(field_paths=changed_fields(before, after))
    attributes = base_attributes(
        event_type,
        f"//firestore.googleapis.com/projects/{database.project}/databases/{database.database}",
        f"documents/{path}",
        _time_of(after),
    )
    attributes.update(
        datacontenttype="application/protobuf",
        dataschema=DATA_SCHEMA,
        location=LOCATION,
        project=database.project,
        database=database.database,
        namespace="(default)",
        document=path,
    )
    if event_type.endswith(".withAuthContext"):
        # The store does not know who wrote; Cloud Functions says "unknown" in that case too.
        attributes.update(authtype="unknown", authid="")
    return CloudEvent(attributes, firestore_events.DocumentEventData.serialize(data))


def changed_fields(before: StoredDoc, after: StoredDoc) -> list[str]:
    """Top-level fields whose value differs (the event's update mask)."""
    keys = set(before.data) | set(after.data)
    return sorted(k for k in keys if before.data.get(k, _ABSENT) != after.data.get(k, _ABSENT))


_ABSENT = object()


def _document(database: DatabaseId, path: str, doc: StoredDoc | None) -> Any:
    if doc is None:
        return None
    raw = document_pb(database, path, doc).SerializeToString()
    return firestore_events.Document.deserialize(raw)


def _time_of(after: StoredDoc | None) -> datetime:
    """The commit time of a write (a delete has no document to carry it: now)."""
    if after is None:
        return datetime.now(UTC)
    return after.update_time.to_datetime()
