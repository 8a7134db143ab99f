"""Blocks between users: hidden from each other's search, no new direct room together, and
in an existing direct room the blocked user loses all access and the blocker may only read.

The direct room's member documents carry the block (see projection._block_states), so the
rules refuse the blocked user at once; unblocking projects them back.
"""

from __future__ import annotations

from sqlalchemy import Select, Text, and_, cast, delete, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from flowchat.adapters.tables import blocks, room_members, rooms, users
from flowchat.errors import InvalidInput, NotFound
from flowchat.services import accounts, audit, invitations, projection
from flowchat.services.domain import BlockState


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
        _project_direct_room(session, uid, target_id)
        invitations.drop_between(session, uid, target_id)
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
        _project_direct_room(session, uid, target_id)
    return removed is not None


def state_in_direct_room(session: Session, direct_key: str, uid: str) -> BlockState | None:
    """uid's side of a block in the direct room of this pair key: BLOCKED (the other
    blocked uid; wins when both did), BLOCKING (uid blocked the other) or None."""
    a, b = direct_key.split(":")
    if uid not in (a, b):
        return None
    peer = b if uid == a else a
    blockers = set(
        session.execute(
            select(blocks.c.blocker_id).where(
                or_(
                    and_(blocks.c.blocker_id == uid, blocks.c.blocked_id == peer),
                    and_(blocks.c.blocker_id == peer, blocks.c.blocked_id == uid),
                )
            )
        ).scalars()
    )
    if peer in blockers:
        return BlockState.BLOCKED
    return BlockState.BLOCKING if uid in blockers else None


def direct_rooms_blocked_for(uid: str) -> Select[tuple[str]]:
    """SQL: the direct rooms whose other member blocked uid (uid may not read them)."""
    return select(rooms.c.id).join(
        blocks,
        and_(
            blocks.c.blocked_id == uid,
            rooms.c.direct_key.in_(
                [
                    func.concat(cast(blocks.c.blocker_id, Text), ":", uid),
                    func.concat(uid, ":", cast(blocks.c.blocker_id, Text)),
                ]
            ),
        ),
    )


def _project_direct_room(session: Session, a: str, b: str) -> None:
    """Re-project the pair's direct room (if any) under its lock: flags set or cleared."""
    key = ":".join(sorted((a, b)))
    room_id = session.execute(
        select(rooms.c.id).where(rooms.c.direct_key == key).with_for_update()
    ).scalar()
    if room_id is None:
        return
    members = session.execute(
        select(room_members.c.user_id).where(room_members.c.room_id == room_id)
    ).scalars()
    projection.room_with_members(session, room_id, list(members))


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
