"""rooms/{roomId}/messages/{messageId} written: search index, room summary, thread counters;
on creation, push notifications (triggers/message_push.py).

Every run is idempotent: the index row is an upsert, counters are recounted from the
index, the summary only moves forward, and the event id is claimed in the same
PostgreSQL transaction, so a redelivered event is skipped and a failed run is retried.
The event only says *that* the message changed: runs for one message take turns (a
PostgreSQL lock) and each reads the message as it is now, so a late or out-of-order
event can never put an older text back.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from firebase_functions import firestore_fn

from flowchat.adapters import firebase_app
from flowchat.services import (
    hidden_rooms,
    mentions,
    message_index,
    processed_events,
    room_sequence,
    room_summary,
)
from flowchat.services.domain import MessageKind, values
from flowchat.services.message_index import IndexedMessage
from flowchat.triggers import message_push
from flowchat.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

HANDLER = "message_written"
# The fields a change must touch to matter here; counter updates by this handler don't.
CONTENT_FIELDS = ("text", "attachments", "kind", "editedAt", "deletedAt", "createdAt")

Event = firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]


def on_message_written(event: Event) -> None:
    """Bring the index, the room summary and the thread counters up to date."""
    room_id, message_id = event.params["roomId"], event.params["messageId"]
    before = _data(event.data.before)
    after = _data(event.data.after)
    if not _content_changed(before, after):
        return
    if after is not None and _indexable(room_id, after) is None:
        log.warning("message %s/%s has no indexable shape; skipped", room_id, message_id)
        return
    _index(event, room_id, message_id, before, after)
    if before is None and after is not None and after.get("deletedAt") is None:
        message_push.fan_out(event.id, room_id, message_id, str(after["authorId"]), after)


def _index(
    event: Event,
    room_id: str,
    message_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    with unit_of_work() as session:
        if not processed_events.claim(session, event.id, HANDLER):
            return
        message_index.lock_message(session, room_id, message_id)
        client = firebase_app.firestore_client()
        current = _data(client.document(event.document).get())
        if current is None:
            message_index.remove(session, room_id, message_id)
        elif (author_id := _indexable(room_id, current)) is None:
            return
        else:
            message_index.upsert(session, _indexed(room_id, message_id, author_id, current))
            if before is None:  # a new message brings the room back to lists that hid it
                hidden_rooms.show_to_all(session, room_id)
        parent_id = (current or after or before or {}).get("parentId")
        if parent_id:
            count, last_reply_at = message_index.thread_stats(session, room_id, parent_id)
            room_summary.set_thread_counters(client, room_id, parent_id, count, last_reply_at)
        elif current is not None:
            seq = room_sequence.next_seq(session, room_id) if before is None else None
            room_summary.update_summary(client, room_id, message_id, current, seq)
        if before is None and current is not None:
            mentions.keep_members(session, client.document(event.document), room_id, current)


def _data(snapshot: Any) -> dict[str, Any] | None:
    return snapshot.to_dict() if snapshot is not None and snapshot.exists else None


def _content_changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> bool:
    if before is None or after is None:
        return before is not after
    return any(before.get(f) != after.get(f) for f in CONTENT_FIELDS)


def _indexable(room_id: str, doc: dict[str, Any]) -> str | None:
    """The author id if the document can be indexed (ids are UUIDs, times are set)."""
    try:
        uuid.UUID(room_id)
        author = str(uuid.UUID(str(doc.get("authorId"))))
    except ValueError:
        return None
    if not isinstance(doc.get("createdAt"), datetime):
        return None
    return author


def _indexed(room_id: str, message_id: str, author_id: str, doc: dict[str, Any]) -> IndexedMessage:
    parent_id = doc.get("parentId")
    kind = doc.get("kind")
    return IndexedMessage(
        room_id=room_id,
        message_id=message_id,
        thread_id=parent_id if isinstance(parent_id, str) else None,
        author_id=author_id,
        kind=MessageKind(kind) if kind in values(MessageKind) else MessageKind.TEXT,
        created_at=doc["createdAt"],
        edited_at=_time(doc.get("editedAt")),
        deleted_at=_time(doc.get("deletedAt")),
        # The rules accept any string, PostgreSQL text no NUL character: drop them.
        body=str(doc.get("text", "")).replace("\x00", ""),
    )


def _time(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None
