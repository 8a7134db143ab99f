"""User search: prefix and trigram-fuzzy matches on username and display name."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Numeric, and_, case, cast, func, not_, or_, select
from sqlalchemy.orm import Session

from flowchat.adapters.tables import users
from flowchat.errors import InvalidInput
from flowchat.services import accounts, blocks, cursors

MIN_QUERY, MAX_QUERY = 2, 64
MAX_PAGE = 50


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    session: Session, uid: str, query: str, limit: int, cursor: str | None
) -> dict[str, Any]:
    """Best matches first (prefix matches before fuzzy ones), excluding blocks either way."""
    q = query.strip().lower()
    if not MIN_QUERY <= len(q) <= MAX_QUERY:
        raise InvalidInput(f"query must be {MIN_QUERY}-{MAX_QUERY} characters")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be 1-{MAX_PAGE}")
    accounts.require_active_user(session, uid)
    username, display = func.lower(users.c.username), func.lower(users.c.display_name)
    prefix = _escape_like(q) + "%"
    is_prefix = or_(username.like(prefix, escape="\\"), display.like(prefix, escape="\\"))
    # Rounded numeric, so the score survives the cursor round trip exactly.
    similarity = func.greatest(func.similarity(username, q), func.similarity(display, q))
    score = func.round(cast(case((is_prefix, 1.0), else_=0.0) + similarity, Numeric), 4)
    stmt = (
        select(
            users.c.id,
            users.c.username,
            users.c.display_name,
            users.c.avatar_url,
            score.label("score"),
        )
        .where(
            # "%%" is the pg_trgm similarity operator "%", escaped for pg8000's format paramstyle.
            or_(is_prefix, username.bool_op("%%")(q), display.bool_op("%%")(q)),
            users.c.disabled.is_(False),
            users.c.id != uid,
            not_(blocks.blocked_either_way(users.c.id, uid)),
        )
        .order_by(score.desc(), users.c.id)
        .limit(limit + 1)
    )
    if cursor:
        last_score, last_id = _after(cursor)
        stmt = stmt.where(or_(score < last_score, and_(score == last_score, users.c.id > last_id)))
    rows = session.execute(stmt).all()
    page, more = rows[:limit], len(rows) > limit
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
        "nextCursor": cursors.encode([str(page[-1].score), page[-1].id]) if more else None,
    }


def _after(cursor: str) -> tuple[Decimal, str]:
    last_score, last_id = cursors.decode(cursor, 2)
    try:
        return Decimal(str(last_score)), str(uuid.UUID(str(last_id)))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput("cursor is not valid") from exc
