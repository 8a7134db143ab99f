"""What Firestore and the RTDB should show, computed from PostgreSQL and queued in the outbox.

Each function re-reads the current state inside the transaction and queues whole-document
writes, so replaying them is harmless and a revoked grant is never left behind.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from flowchat import config
from flowchat.adapters.tables import room_members, rooms, users
from flowchat.services import outbox


def rtdb_enabled() -> bool:
    """True when the RTDB roomMembers mirror is configured."""
    return bool(config.RTDB_URL.value)


def profile(session: Session, user_id: str) -> None:
    """users/{uid}: the public profile (merge: a presence trigger adds online/lastSeen)."""
    row = session.execute(
        select(users.c.username, users.c.display_name, users.c.avatar_url).where(
            users.c.id == user_id
        )
    ).one()
    doc = {"username": row.username, "displayName": row.display_name, "avatarUrl": row.avatar_url}
    outbox.enqueue(session, "firestore", f"users/{user_id}", "merge", doc)


def room_with_members(session: Session, room_id: str, user_ids: list[str]) -> None:
    """The room document, and for each listed user their member document, sidebar entry and
    RTDB flag: set while they are a member, deleted once they are not."""
    r = _room(session, room_id)
    members = {m.user_id: m for m in _members(session, room_id, user_ids)}
    for uid in user_ids:
        member = members.get(uid)
        if member is None:
            _remove_member_mirrors(session, room_id, uid)
        else:
            _set_member_mirrors(session, r, member)


def membership(session: Session, room_id: str, user_id: str) -> None:
    """One user's mirrors only (their role changed; the room document did not)."""
    r = _room(session, room_id)
    for member in _members(session, room_id, [user_id]):
        _set_member_mirrors(session, r, member)


def sidebars(session: Session, room_id: str) -> None:
    """The room document and every member's sidebar entry (after a rename)."""
    r = _room(session, room_id)
    for member in _members(session, room_id, None):
        path = f"users/{member.user_id}/rooms/{room_id}"
        outbox.enqueue(session, "firestore", path, "set", _sidebar_entry(r, member))


def _room(session: Session, room_id: str) -> Row[Any]:
    """Read the room and queue rooms/{roomId} (merge: message triggers add a summary there)."""
    r = session.execute(select(rooms).where(rooms.c.id == room_id)).one()
    doc = {
        "kind": r.kind,
        "name": r.name,
        "createdBy": r.created_by,
        "createdAt": r.created_at,
        "memberCount": r.member_count,
    }
    outbox.enqueue(session, "firestore", f"rooms/{room_id}", "merge", doc)
    return r


def _members(session: Session, room_id: str, user_ids: list[str] | None) -> list[Row[Any]]:
    query = select(room_members).where(room_members.c.room_id == room_id)
    if user_ids is not None:
        query = query.where(room_members.c.user_id.in_(user_ids))
    return list(session.execute(query).all())


def _set_member_mirrors(session: Session, r: Row[Any], member: Row[Any]) -> None:
    room_id, uid = r.id, member.user_id
    doc = {"role": member.role, "joinedAt": member.joined_at}
    outbox.enqueue(session, "firestore", f"rooms/{room_id}/members/{uid}", "set", doc)
    entry = _sidebar_entry(r, member)
    outbox.enqueue(session, "firestore", f"users/{uid}/rooms/{room_id}", "set", entry)
    if rtdb_enabled():
        outbox.enqueue(session, "rtdb", f"roomMembers/{room_id}/{uid}", "set", True)


def _remove_member_mirrors(session: Session, room_id: str, uid: str) -> None:
    outbox.enqueue(session, "firestore", f"rooms/{room_id}/members/{uid}", "delete")
    outbox.enqueue(session, "firestore", f"users/{uid}/rooms/{room_id}", "delete")
    if rtdb_enabled():
        outbox.enqueue(session, "rtdb", f"roomMembers/{room_id}/{uid}", "delete")


def _sidebar_entry(r: Row[Any], member: Row[Any]) -> dict[str, Any]:
    """users/{uid}/rooms/{roomId}: what the client's room list shows."""
    entry: dict[str, Any] = {
        "roomId": r.id,
        "kind": r.kind,
        "name": r.name,
        "role": member.role,
        "joinedAt": member.joined_at,
    }
    if r.direct_key:
        entry["members"] = r.direct_key.split(":")
    return entry
