"""Derived fields in Firestore: the room summary (lastMessage, messageSeq) and thread counters.

Both are written with field updates, never whole-document sets, because the backend's
projection owns the other fields of rooms/{roomId} and authors own their messages' text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from google.api_core.exceptions import NotFound
from google.cloud import firestore

PREVIEW_CHARS = 140


def preview(message_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The lastMessage map shown in room lists: short text, no attachments."""
    deleted = doc.get("deletedAt") is not None
    return {
        "messageId": message_id,
        "authorId": doc.get("authorId"),
        "kind": doc.get("kind"),
        "text": "" if deleted else str(doc.get("text", ""))[:PREVIEW_CHARS],
        "createdAt": doc.get("createdAt"),
        "deleted": deleted,
    }


def update_summary(
    client: Any, room_id: str, message_id: str, doc: dict[str, Any], seq: int | None = None
) -> bool:
    """Show this message as the room's last one if it is (still) the newest, and the room's
    message sequence ``seq`` if it is higher than the one shown; True if written."""
    return _update_summary(client.transaction(), client, room_id, message_id, doc, seq)


@firestore.transactional
def _update_summary(
    transaction: Any,
    client: Any,
    room_id: str,
    message_id: str,
    doc: dict[str, Any],
    seq: int | None,
) -> bool:
    room_ref = client.document(f"rooms/{room_id}")
    room = room_ref.get(transaction=transaction)
    if not room.exists:
        return False
    current = room.to_dict()
    changes: dict[str, Any] = {}
    if _is_newest(current, message_id, doc["createdAt"]):
        changes["lastMessage"] = preview(message_id, doc)
        changes["lastMessageAt"] = doc["createdAt"]
    if seq is not None and seq > int(current.get("messageSeq") or 0):
        changes["messageSeq"] = seq  # never backwards: events may arrive out of order
    if not changes:
        return False
    transaction.update(room_ref, changes)
    return True


def _is_newest(room: dict[str, Any], message_id: str, created_at: datetime) -> bool:
    """True for the message already shown (edits, deletes) or one at least as new."""
    last = room.get("lastMessage") or {}
    if last.get("messageId") == message_id:
        return True
    shown_at = room.get("lastMessageAt")
    return shown_at is None or (created_at, message_id) > (shown_at, last.get("messageId", ""))


def set_thread_counters(
    client: Any, room_id: str, parent_id: str, reply_count: int, last_reply_at: datetime | None
) -> bool:
    """Write replyCount / lastReplyAt on the thread's parent; False if the parent is gone."""
    parent = client.document(f"rooms/{room_id}/messages/{parent_id}")
    try:
        parent.update({"replyCount": reply_count, "lastReplyAt": last_reply_at})
    except NotFound:
        return False
    return True
