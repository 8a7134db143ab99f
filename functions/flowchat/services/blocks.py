"""Blocks between users: hidden from each other's search, no direct room together."""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from flowchat.adapters.tables import blocks, users
from flowchat.errors import InvalidInput, NotFound
from flowchat.services import accounts, audit


def block(session: Session, uid: str, target_id: str) -> bool:
    """Block a user; True if this created the block (idempotent)."""
    _check_target(session, uid, target_id)
    created = session.execute(
        insert(blocks)
        .values(blocker_id=uid, blocked_id=target_id)
        .on_conflict_do_nothing()
        .returning(blocks.c.blocker_id)
    ).first()
    if created:
        audit.record(session, "user_blocked", uid, target_id=target_id)
    return created is not None


def unblock(session: Session, uid: str, target_id: str) -> bool:
    """Lift a block; True if there was one."""
    _check_target(session, uid, target_id)
    removed = session.execute(
        delete(blocks)
        .where(blocks.c.blocker_id == uid, blocks.c.blocked_id == target_id)
        .returning(blocks.c.blocker_id)
    ).first()
    if removed:
        audit.record(session, "user_unblocked", uid, target_id=target_id)
    return removed is not None


def blocked_either_way(
    a: ColumnElement[str] | str, b: ColumnElement[str] | str
) -> ColumnElement[bool]:
    """SQL condition: a blocked b or b blocked a."""
    return exists().where(
        or_(
            and_(blocks.c.blocker_id == a, blocks.c.blocked_id == b),
            and_(blocks.c.blocker_id == b, blocks.c.blocked_id == a),
        )
    )


def is_blocked_either_way(session: Session, a: str, b: str) -> bool:
    """True if either user blocked the other."""
    return bool(session.execute(select(blocked_either_way(a, b))).scalar())


def _check_target(session: Session, uid: str, target_id: str) -> None:
    accounts.require_active_user(session, uid)
    if target_id == uid:
        raise InvalidInput("you cannot block or unblock yourself")
    if session.execute(select(users.c.id).where(users.c.id == target_id)).first() is None:
        raise NotFound("user not found")
