"""send_message, search_messages."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.services import message_index, message_shape, messages
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
SEND_FIELDS = ("kind", "text", "attachments", "parentId")


def send_message(req: Request) -> dict[str, Any]:
    """Post a message to roomId (kind, text, attachments, parentId) once per idempotencyKey."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "idempotencyKey", *SEND_FIELDS)
        room_id = fields.user_id(data, "roomId")
        key = fields.text(data, "idempotencyKey", 128)
        draft = message_shape.draft_from(data, room_id)
        with unit_of_work() as session:
            return messages.send(session, uid, room_id, draft, key)


def search_messages(req: Request) -> dict[str, Any]:
    """Messages matching query in the caller's rooms, or in roomId (limit, cursor)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "query", "roomId", "limit", "cursor")
        query = fields.text(data, "query", message_index.MAX_QUERY)
        room_id = fields.user_id(data, "roomId") if data.get("roomId") is not None else None
        limit = fields.page_size(data, default=20, most=message_index.MAX_PAGE)
        cursor = fields.optional_text(data, "cursor", 512)
        with unit_of_work() as session:
            return message_index.search(session, uid, query, room_id, limit, cursor)
