"""search_users, block_user, unblock_user."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.services import blocks, user_search
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def search_users(req: Request) -> dict[str, Any]:
    """Users matching query by username or display name (limit, cursor)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "query", "limit", "cursor")
        query = fields.text(data, "query", user_search.MAX_QUERY)
        limit = fields.page_size(data, default=20, most=user_search.MAX_PAGE)
        cursor = fields.optional_text(data, "cursor", 512)
        with unit_of_work() as session:
            return user_search.search(session, uid, query, limit, cursor)


def block_user(req: Request) -> dict[str, Any]:
    """Block userId (idempotent)."""
    with translated_errors():
        uid = caller_uid(req)
        target = fields.user_id(fields.data_of(req, "userId"), "userId")
        with unit_of_work() as session:
            changed = blocks.block(session, uid, target)
    return {"userId": target, "blocked": True, "changed": changed}


def unblock_user(req: Request) -> dict[str, Any]:
    """Lift a block on userId (idempotent)."""
    with translated_errors():
        uid = caller_uid(req)
        target = fields.user_id(fields.data_of(req, "userId"), "userId")
        with unit_of_work() as session:
            changed = blocks.unblock(session, uid, target)
    return {"userId": target, "blocked": False, "changed": changed}
