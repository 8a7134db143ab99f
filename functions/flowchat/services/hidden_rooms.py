"""Hiding (archiving) a room from one's own list until the next message arrives."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from flowchat.adapters.tables import room_members
from flowchat.services import audit, membership, projection


def set_hidden(session: Session, room_id: str, uid: str, hidden: bool) -> bool:
    """Hide or show the room in uid's list (any member, blocked or not); True if changed."""
    membership.require_member(session, room_id, uid, lock=True, allow_blocked=True)
    changed = session.execute(
        update(room_members)
        .where(
            room_members.c.room_id == room_id,
            room_members.c.user_id == uid,
            room_members.c.hidden != hidden,
        )
        .values(hidden=hidden)
        .returning(room_members.c.user_id)
    ).first()
    if changed is None:
        return False
    audit.record(session, "room_hidden" if hidden else "room_shown", uid, room_id=room_id)
    projection.membership(session, room_id, uid)
    return True


def show_to_all(session: Session, room_id: str) -> list[str]:
    """A new message arrived: every member who hid the room sees it again; returns them."""
    shown = list(
        session.execute(
            update(room_members)
            .where(room_members.c.room_id == room_id, room_members.c.hidden)
            .values(hidden=False)
            .returning(room_members.c.user_id)
        ).scalars()
    )
    for uid in shown:
        projection.membership(session, room_id, uid)
    return shown
