"""Consent to be added to group rooms: each user's add policy, and invitations.

A user's ``add_policy`` says who may put them into a group room directly:
``anyone``; ``shared`` (the default) — people they share a group room with, or a direct
room they opened themselves (a stranger opening a direct room with them does not count);
``nobody``. Every other add becomes an invitation (``room_invitations``, mirrored to
``users/{uid}/invitations/{roomId}``) that only the invitee can accept or decline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, aliased

from flowchat.adapters.tables import room_invitations, room_members, rooms, users
from flowchat.services import audit, projection
from flowchat.services.domain import AddPolicy, RoomKind

DEFAULT_POLICY = AddPolicy.SHARED


def set_policy(session: Session, uid: str, policy: AddPolicy) -> AddPolicy:
    """Set who may add uid to group rooms directly; returns the policy."""
    changed = session.execute(
        update(users)
        .where(users.c.id == uid, users.c.add_policy != policy)
        .values(add_policy=policy.value)
        .returning(users.c.id)
    ).first()
    if changed:
        audit.record(session, "add_policy_set", uid, policy=policy.value)
    return policy


def split_by_consent(
    session: Session, inviter: str, user_ids: list[str]
) -> tuple[list[str], list[str]]:
    """(users the inviter may add directly, users who get an invitation), in input order."""
    if not user_ids:
        return [], []
    rows = session.execute(
        select(users.c.id, users.c.add_policy, shares_a_room_with(inviter).label("shares")).where(
            users.c.id.in_(user_ids)
        )
    ).all()
    return split(user_ids, rows)


def shares_a_room_with(inviter: str) -> Any:
    """SQL, per row of users: the user shares a group room with the inviter, or a direct
    room the user opened (what the add policy "shared" accepts)."""
    theirs, mine = aliased(room_members), aliased(room_members)
    return exists().where(
        theirs.c.user_id == users.c.id,
        mine.c.room_id == theirs.c.room_id,
        mine.c.user_id == inviter,
        rooms.c.id == theirs.c.room_id,
        or_(rooms.c.kind == RoomKind.GROUP.value, rooms.c.created_by == users.c.id),
    )


def split(user_ids: list[str], rows: Sequence[Any]) -> tuple[list[str], list[str]]:
    """(direct adds, invitations) from rows with id, add_policy and shares, in input order."""
    direct = {
        r.id
        for r in rows
        if r.add_policy == AddPolicy.ANYONE or (r.add_policy == AddPolicy.SHARED and r.shares)
    }
    return [u for u in user_ids if u in direct], [u for u in user_ids if u not in direct]


def invite(session: Session, room_id: str, inviter: str, user_ids: list[str]) -> list[str]:
    """Invite users who are not members yet; returns those with a (new or pending) invitation."""
    if not user_ids:
        return []
    members = set(
        session.execute(
            select(room_members.c.user_id).where(
                room_members.c.room_id == room_id, room_members.c.user_id.in_(user_ids)
            )
        ).scalars()
    )
    pending = [u for u in user_ids if u not in members]
    if not pending:
        return []
    rows = [{"room_id": room_id, "user_id": u, "invited_by": inviter} for u in pending]
    created = list(
        session.execute(
            insert(room_invitations)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(room_invitations.c.user_id)
        ).scalars()
    )
    audit.record_all(
        session, [audit.Entry("member_invited", inviter, room_id, target) for target in created]
    )
    for target in created:
        projection.invitation(session, room_id, target)
    return pending


def take(session: Session, room_id: str, uid: str) -> bool:
    """Delete uid's invitation to the room (accepted or declined); True if there was one."""
    taken = session.execute(
        delete(room_invitations)
        .where(room_invitations.c.room_id == room_id, room_invitations.c.user_id == uid)
        .returning(room_invitations.c.user_id)
    ).first()
    if taken is not None:
        projection.invitation(session, room_id, uid)
    return taken is not None


def drop_between(session: Session, a: str, b: str) -> None:
    """A block between a and b: pending invitations from one to the other are withdrawn."""
    dropped = session.execute(
        delete(room_invitations)
        .where(
            or_(
                and_(room_invitations.c.user_id == a, room_invitations.c.invited_by == b),
                and_(room_invitations.c.user_id == b, room_invitations.c.invited_by == a),
            )
        )
        .returning(room_invitations.c.room_id, room_invitations.c.user_id)
    ).all()
    for room_id, uid in dropped:
        projection.invitation(session, room_id, uid)
