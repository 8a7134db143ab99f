"""search_users, block_user, unblock_user."""

from __future__ import annotations

from typing import Any

from flowchat.api import responses, wire
from flowchat.api.handling import Request, answer, calling
from flowchat.api.schema import BAD_CURSOR, NO_USER, Failure, Schema, an_id, cursor, page_size, text
from flowchat.services import blocks, user_search
from flowchat.unit_of_work import read_only

SELF = Failure("INVALID_ARGUMENT", "userId is the caller")

SEARCH_USERS = Schema(
    "Users matching a query by username or display name: word-prefix matches first, then"
    " close (typo-tolerant) ones; blocked users left out.",
    (
        text(
            "query",
            user_search.MAX_QUERY,
            "part of a username or display name",
            f"; at least {user_search.MIN_QUERY}",
        ),
        page_size(20, user_search.MAX_PAGE),
        cursor(),
    ),
    responses.FoundUsers,
    (BAD_CURSOR,),
)
BLOCK_USER = Schema(
    "Block a user: no new direct room, no adding each other to rooms (idempotent).",
    (an_id("userId", "the user to block"),),
    responses.BlockChanged,
    (SELF, NO_USER),
)
UNBLOCK_USER = Schema(
    "Lift a block (idempotent).",
    (an_id("userId", "the user to unblock"),),
    responses.BlockChanged,
    (SELF, NO_USER),
)


def search_users(req: Request) -> dict[str, Any]:
    """Users matching query by username or display name (limit, cursor)."""
    with calling(req, SEARCH_USERS, read_only) as call:
        args = call.args
        page = user_search.search(
            call.session, call.uid, args["query"], args["limit"], args["cursor"]
        )
    return answer(wire.found_users(page))


def block_user(req: Request) -> dict[str, Any]:
    """Block userId (idempotent)."""
    return _block_change(req, BLOCK_USER, blocked=True)


def unblock_user(req: Request) -> dict[str, Any]:
    """Lift a block on userId (idempotent)."""
    return _block_change(req, UNBLOCK_USER, blocked=False)


def _block_change(req: Request, schema: Schema, *, blocked: bool) -> dict[str, Any]:
    change = blocks.block if blocked else blocks.unblock
    with calling(req, schema) as call:
        target = call.args["userId"]
        changed = change(call.session, call.uid, target)
    return answer(responses.BlockChanged(userId=target, blocked=blocked, changed=changed))
