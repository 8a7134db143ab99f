"""The writes a chat client sends straight to Firestore, as the client guide shows them."""

from __future__ import annotations

from typing import Any

from tests.support.firestore_rest import SERVER_TIME, FirestoreRest, Write


def text_message(uid: str, text: str = "hi", **fields: Any) -> dict[str, Any]:
    """A top-level text message by ``uid`` stamped at server time; ``fields`` add or override."""
    return {
        "authorId": uid,
        "kind": "text",
        "text": text,
        "attachments": [],
        "parentId": None,
        "createdAt": SERVER_TIME,
        **fields,
    }


def message_batch(
    fs: FirestoreRest,
    room_id: str,
    uid: str,
    message_id: str,
    *,
    text: str = "hi",
    slot: str = "slot0",
    merge_stamp: bool = True,
    stamp_room: str | None = None,
    **fields: Any,
) -> list[Write]:
    """The message and the rate-limit stamp naming it, taking ``slot``, in one batch.

    The stamp is merged (other slots stay, as the guide's sender does) or, with
    ``merge_stamp=False``, set whole; ``stamp_room`` stamps another room's limit instead."""
    stamp = {"lastMessageAt": SERVER_TIME, "lastMessageId": message_id, slot: SERVER_TIME}
    stamp_path = f"rooms/{stamp_room or room_id}/rateLimits/{uid}"
    return [
        fs.create_write(
            f"rooms/{room_id}/messages/{message_id}", text_message(uid, text, **fields)
        ),
        fs.merge_write(stamp_path, stamp) if merge_stamp else fs.set_write(stamp_path, stamp),
    ]
