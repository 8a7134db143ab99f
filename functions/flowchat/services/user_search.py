"""User search over username and display name: prefix matches first, then fuzzy ones.

1. Prefix matches: a word of "username display name" starts with the query ("mart" finds
   "Martin" and "martha_k", "love" finds "Ada Lovelace"; a query of several words matches
   consecutive words). They come in (matched tail, uid) order from the btree of
   user_search_tails (migration 0022), keyset-paged: a page costs its own rows however
   many thousand users share a common prefix.
2. Fuzzy matches, only once the prefix matches are exhausted: trigram word similarity
   ("mratin" finds "Martin"), best first, walking the GiST index of migration 0009 in
   distance order, at most MAX_FUZZY of them, paged by offset into (distance, uid) order.

Disabled users, the caller and users blocked either way are left out; pages never repeat
a user.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import REAL, bindparam, exists, func, literal_column, not_, select
from sqlalchemy import tuple_ as row_of
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from flowchat.adapters.tables import user_search_tails, users
from flowchat.errors import InvalidInput
from flowchat.services import accounts, blocks, cursors

MIN_QUERY, MAX_QUERY = 2, 64
MAX_PAGE = 50
# Fuzzy matches beyond the prefix ones: enough for typos, bounded so that a query whose
# trigrams many names share cannot walk a large tie group.
MAX_FUZZY = 200
# Above every character: q <= tail < q + TOP holds exactly for the tails starting with q
# (C collation compares code points).
TOP = "\U0010ffff"
PREFIX, FUZZY = "p", "f"


def search_text() -> ColumnElement[str]:
    """The indexed expression; it must render exactly as in sql/0009 for the index to apply."""
    return (
        func.lower(users.c.username)
        .concat(literal_column("' '"))
        .concat(func.lower(users.c.display_name))
    )


@dataclass(frozen=True, slots=True)
class FoundUser:
    uid: str
    username: str
    display_name: str
    avatar_url: str | None


@dataclass(frozen=True, slots=True)
class UserPage:
    """Prefix matches, then fuzzy ones; next_cursor is None on the last page."""

    users: list[FoundUser]
    next_cursor: str | None


def search(session: Session, uid: str, query: str, limit: int, cursor: str | None) -> UserPage:
    """A page of matches: prefix matches, then fuzzy ones (see the module docstring)."""
    q = query.strip().lower()
    if not MIN_QUERY <= len(q) <= MAX_QUERY:
        raise InvalidInput(f"query must be {MIN_QUERY}-{MAX_QUERY} characters")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be 1-{MAX_PAGE}")
    tier, after = _position(cursor)
    accounts.require_active_user(session, uid)
    found: list[Any] = []
    if tier == PREFIX:
        found = _prefix_page(session, uid, q, after, limit + 1)
        if len(found) > limit:
            last = found[limit - 1]
            return _page(found[:limit], [PREFIX, last.tail, last.id])
        after = 0
    offset = int(after or 0)
    need = limit - len(found)
    fuzzy = _fuzzy_page(session, uid, q, offset, need + 1)
    more = len(fuzzy) > need and offset + need < MAX_FUZZY
    return _page(found + fuzzy[:need], [FUZZY, offset + need, None] if more else None)


def _page(rows: list[Any], next_key: list[Any] | None) -> UserPage:
    found = [FoundUser(r.id, r.username, r.display_name, r.avatar_url) for r in rows]
    return UserPage(found, cursors.encode(next_key) if next_key else None)


def _visible_to(uid: str) -> list[ColumnElement[bool]]:
    """Conditions on users: active, not the caller, no block either way."""
    return [
        users.c.disabled.is_(False),
        users.c.id != uid,
        not_(blocks.blocked_either_way(users.c.id, uid)),
    ]


def _words() -> ColumnElement[str]:
    """The query as its words, normalised in SQL exactly as the tails were (migration 0022)."""
    return func.search_words(bindparam("q"))


def _has_prefix_match(user_id: ColumnElement[str], below: ColumnElement[str]) -> Any:
    """SQL: the user has a tail starting with the query, sorting before `below`."""
    own = aliased(user_search_tails)
    words = _words()
    return exists().where(
        own.c.user_id == user_id,
        own.c.tail >= words,
        own.c.tail < below,
        words != "",
    )


def _prefix_page(
    session: Session, uid: str, q: str, after: tuple[str, str] | None, count: int
) -> list[Any]:
    """Up to count prefix matches after the keyset position, each user once (at the first
    of their tails that matches)."""
    t = user_search_tails
    words = _words()
    stmt = (
        select(t.c.tail, users.c.id, users.c.username, users.c.display_name, users.c.avatar_url)
        .join(users, users.c.id == t.c.user_id)
        .where(
            words != "",
            t.c.tail >= words,
            t.c.tail < words.concat(TOP),
            not_(_has_prefix_match(t.c.user_id, t.c.tail)),
            *_visible_to(uid),
        )
        .order_by(t.c.tail, t.c.user_id)
        .limit(count)
    )
    if after is not None:
        stmt = stmt.where(
            row_of(t.c.tail, t.c.user_id) > row_of(*after, types=[t.c.tail.type, t.c.user_id.type])
        )
    return list(session.execute(stmt, {"q": q}).all())


def _fuzzy_page(session: Session, uid: str, q: str, offset: int, count: int) -> list[Any]:
    """Fuzzy matches that are not prefix matches, (distance, uid) order, from offset."""
    if offset >= MAX_FUZZY:
        return []
    text = search_text()
    # pg_trgm: "%>" = word similarity above the threshold, "<->>" = 1 - word similarity.
    # Doubled "%" because pg8000's format paramstyle reads "%" as a placeholder.
    distance = text.op("<->>", return_type=REAL)(bindparam("q"))
    # The GiST index walks matches in distance order; the walk stops once the page can be
    # cut: offset + count matches plus every match tied with the last (FETCH ... WITH TIES),
    # never past MAX_FUZZY, so pages sliced from that prefix of the (distance, uid) order
    # neither repeat nor skip users of equal distance.
    capped = (
        select(
            users.c.id,
            users.c.username,
            users.c.display_name,
            users.c.avatar_url,
            distance.label("distance"),
        )
        .where(
            text.bool_op("%%>")(bindparam("q")),
            not_(_has_prefix_match(users.c.id, _words().concat(TOP))),
            *_visible_to(uid),
        )
        .order_by(distance)
        .limit(MAX_FUZZY)
        .subquery()
    )
    reach = min(offset + count, MAX_FUZZY)
    candidates = select(capped).order_by(capped.c.distance).fetch(reach, with_ties=True).subquery()
    stmt = (
        select(candidates)
        .order_by(candidates.c.distance, candidates.c.id)
        .offset(offset)
        .limit(count)
    )
    return list(session.execute(stmt, {"q": q}).all())


def _position(cursor: str | None) -> tuple[str, Any]:
    """(tier, keyset position or offset) of a cursor; the start of the prefix tier if none."""
    if not cursor:
        return PREFIX, None
    tier, key, extra = cursors.decode(cursor, 3)
    if tier == PREFIX and isinstance(key, str) and isinstance(extra, str) and len(key) <= 256:
        try:
            return PREFIX, (key, str(uuid.UUID(extra)))
        except ValueError:
            pass
    if (
        tier == FUZZY
        and extra is None
        and isinstance(key, int)
        and not isinstance(key, bool)
        and 0 <= key < MAX_FUZZY
    ):
        return FUZZY, key
    raise InvalidInput("cursor is not valid")
