"""send_message: the message document clients write, written server-side, at most once per key.

The idempotency key derives the document id (a hash of sender, room and key), and the
document is created in a Firestore transaction that also stamps the sender's rate-limit
document: a retried call finds its own message instead of writing a second one, and
nothing is half-written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore
from sqlalchemy.orm import Session

from flowchat.adapters import firebase_app
from flowchat.errors import AlreadyExists, InvalidInput, NotFound, Throttled
from flowchat.services import accounts, membership, moderation, rate_limit
from flowchat.services.message_shape import Draft

IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,128}")


@dataclass(frozen=True, slots=True)
class MessageSent:
    """The message of one idempotency key; created is False if an earlier call made it."""

    room_id: str
    message_id: str
    created: bool


def message_id_for(uid: str, room_id: str, idempotency_key: str) -> str:
    """The document id of the message one sender sends with one key in one room."""
    if not IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise InvalidInput("idempotencyKey must be 8-128 letters, digits, '_' or '-'")
    digest = hashlib.sha256(f"{uid}\n{room_id}\n{idempotency_key}".encode()).hexdigest()
    return digest[:24]


def send(
    session: Session, uid: str, room_id: str, draft: Draft, idempotency_key: str
) -> MessageSent:
    """Create the message once (membership checked in PostgreSQL)."""
    message_id = message_id_for(uid, room_id, idempotency_key)
    accounts.require_active_user(session, uid)
    membership.require_can_post(membership.require_member(session, room_id, uid))
    moderation.require_not_muted(session, room_id, uid)
    _require_members(session, room_id, draft.mentions)
    client = firebase_app.firestore_client()
    created = _create_once(client.transaction(), client, uid, room_id, message_id, draft)
    return MessageSent(room_id, message_id, created)


@firestore.transactional
def _create_once(
    transaction: Any, client: Any, uid: str, room_id: str, message_id: str, draft: Draft
) -> bool:
    """True if this call created the message; False if an earlier call with the key did."""
    room = client.document(f"rooms/{room_id}")
    message = room.collection("messages").document(message_id)
    stamp = room.collection("rateLimits").document(uid)
    existing = message.get(transaction=transaction)
    if existing.exists:
        _require_same_message(existing.to_dict(), uid, draft)
        return False
    if draft.parent_id is not None:
        _require_thread_parent(room.collection("messages").document(draft.parent_id), transaction)
    slot = _free_slot(stamp.get(transaction=transaction))
    transaction.create(message, document_for(uid, draft))
    # The stamp names the message and takes one slot, as the rules require of clients.
    now = firestore.SERVER_TIMESTAMP
    transaction.set(
        stamp, {"lastMessageAt": now, "lastMessageId": message_id, slot: now}, merge=True
    )
    return True


def document_for(uid: str, draft: Draft) -> dict[str, Any]:
    """The message document, with exactly the keys firestore.rules allows on create."""
    doc: dict[str, Any] = {
        "authorId": uid,
        "kind": draft.kind.value,
        "text": draft.text,
        "attachments": draft.attachments,
        "createdAt": firestore.SERVER_TIMESTAMP,
        # Explicit on top-level messages too, so that the timeline can be queried with
        # where("parentId", "==", null).
        "parentId": draft.parent_id,
    }
    if draft.mentions:
        doc["mentions"] = draft.mentions
    return doc


def _require_members(session: Session, room_id: str, user_ids: list[str]) -> None:
    """InvalidInput naming the mentioned users who are not members of the room."""
    members = membership.members_among(session, room_id, user_ids)
    outsiders = [u for u in user_ids if u not in members]
    if outsiders:
        raise InvalidInput(f"mentions must name members of the room: {', '.join(outsiders)}")


def _require_same_message(stored: dict[str, Any], uid: str, draft: Draft) -> None:
    """AlreadyExists when the key was used for a different message (edits aside)."""
    # Clients choose message ids, so a document at this id may be someone else's.
    same = (
        stored.get("authorId") == uid
        and stored.get("kind") == draft.kind
        and stored.get("parentId") == draft.parent_id
        # The trigger may since have dropped mentions of users who left the room.
        and set(stored.get("mentions") or []) <= set(draft.mentions)
    )
    changed_since = stored.get("editedAt") is not None or stored.get("deletedAt") is not None
    if same and not changed_since:
        same = stored.get("text") == draft.text and stored.get("attachments") == draft.attachments
    if not same:
        raise AlreadyExists("idempotencyKey was already used for a different message")


def _require_thread_parent(parent_ref: Any, transaction: Any) -> None:
    parent = parent_ref.get(transaction=transaction)
    data = parent.to_dict() if parent.exists else None
    if data is None or data.get("deletedAt") is not None:
        raise NotFound("parentId is not a live message of this room")
    if data.get("parentId") is not None:
        raise InvalidInput("threads are one level deep: reply to the top-level message")


def _free_slot(stamp: Any) -> str:
    """The stamp slot this send takes, judged at Firestore's time (the snapshot's read
    time, as the rules judge at request.time): Throttled when all are in use."""
    now = stamp.read_time or datetime.now(UTC)
    choice = rate_limit.choose_slot(stamp.to_dict() if stamp.exists else None, now)
    if choice.slot is None:
        wait = choice.retry_after.total_seconds()
        raise Throttled("Sending too fast; retry shortly.", max(1, int(wait + 1)))
    return choice.slot
