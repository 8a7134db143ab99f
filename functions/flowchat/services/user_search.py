"""User search: trigram word similarity over username and display name, best first.

"mart" finds "Martin" and "martha_k" (a word starting with the query scores high) and
"mratin" still finds "Martin". The ranking walks the GiST index of migration 0009 in
distance order and stops as soon as the page can be cut (offset + limit matches and their
ties, at most MAX_RESULTS), however many users match. Pages are offsets into
(distance, id) order and end at MAX_RESULTS.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import REAL, func, literal_column, not_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from flowchat.adapters.tables import users
from flowchat.errors import InvalidInput
from flowchat.services import accounts, blocks, cursors

MIN_QUERY, MAX_QUERY = 2, 64
MAX_PAGE = 50
MAX_RESULTS = 1000


def search_text() -> ColumnElement[str]:
    """The indexed expression; it must render exactly as in sql/0009 for the index to apply."""
    return (
        func.lower(users.c.username)
        .concat(literal_column("' '"))
        .concat(func.lower(users.c.display_name))
    )


def search(
    session: Session, uid: str, query: str, limit: int, cursor: str | None
) -> dict[str, Any]:
    """Closest matches first, excluding disabled users and blocks either way."""
    q = query.strip().lower()
    if not MIN_QUERY <= len(q) <= MAX_QUERY:
        raise InvalidInput(f"query must be {MIN_QUERY}-{MAX_QUERY} characters")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be 1-{MAX_PAGE}")
    offset = _offset(cursor) if cursor else 0
    accounts.require_active_user(session, uid)
    text = search_text()
    # pg_trgm: "%>" = word similarity above the threshold, "<->>" = 1 - word similarity.
    # Doubled "%" because pg8000's format paramstyle reads "%" as a placeholder.
    distance = text.op("<->>", return_type=REAL)(q)
    # The GiST index walks matches in distance order, at most MAX_RESULTS of them (every
    # page can reach). The walk stops as soon as the page is reachable: FETCH ... WITH TIES
    # takes offset + limit + 1 matches plus every match tied with the last one, so the
    # candidates are a prefix of the (distance, id) order and pages sliced from it neither
    # repeat nor skip users of equal distance, whatever plan PostgreSQL picks. A page costs
    # offset + limit index entries (plus ties), not MAX_RESULTS.
    capped = (
        select(
            users.c.id,
            users.c.username,
            users.c.display_name,
            users.c.avatar_url,
            distance.label("distance"),
        )
        .where(
            text.bool_op("%%>")(q),
            users.c.disabled.is_(False),
            users.c.id != uid,
            not_(blocks.blocked_either_way(users.c.id, uid)),
        )
        .order_by(distance)
        .limit(MAX_RESULTS)
        .subquery()
    )
    reach = min(offset + limit + 1, MAX_RESULTS)
    candidates = select(capped).order_by(capped.c.distance).fetch(reach, with_ties=True).subquery()
    stmt = (
        select(candidates)
        .order_by(candidates.c.distance, candidates.c.id)
        .offset(offset)
        .limit(limit + 1)
    )
    rows = session.execute(stmt).all()
    page, more = rows[:limit], len(rows) > limit and offset + limit < MAX_RESULTS
    return {
        "users": [
            {
                "uid": r.id,
                "username": r.username,
                "displayName": r.display_name,
                "avatarUrl": r.avatar_url,
            }
            for r in page
        ],
        "nextCursor": cursors.encode([offset + limit]) if more else None,
    }


def _offset(cursor: str) -> int:
    [offset] = cursors.decode(cursor, 1)
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 < offset < MAX_RESULTS:
        raise InvalidInput("cursor is not valid")
    return offset
