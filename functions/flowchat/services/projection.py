"""What Firestore and the RTDB should show, computed from PostgreSQL and queued in the outbox.

Each function re-reads the current state inside the transaction and queues whole-document
writes, so replaying them is harmless and a revoked grant is never left behind.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from flowchat import config
from flowchat.adapters.projector import GRANT, REVOKE, Write
from flowchat.adapters.tables import room_members, rooms, users
from flowchat.services import file_urls, outbox


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
    doc = {
        "username": row.username,
        "displayName": row.display_name,
        "avatarUrl": row.avatar_url,
        "avatarThumbUrl": file_urls.avatar_thumbnail(row.avatar_url),
    }
    outbox.enqueue(session, [Write("firestore", f"users/{user_id}", "merge", doc)])


def room_with_members(session: Session, room_id: str, user_ids: list[str]) -> None:
    """The room document, and for each listed user their member document, sidebar entry and
    RTDB flag: set while they are a member, deleted once they are not."""
    r = _room(session, room_id)
    members = {m.user_id: m for m in _members(session, room_id, user_ids)}
    writes = [_room_document(r)]
    for uid in user_ids:
        member = members.get(uid)
        writes += _member_mirrors(r, member) if member else removed_mirrors(room_id, uid)
    outbox.enqueue(session, writes)


def membership(session: Session, room_id: str, user_id: str) -> None:
    """One user's mirrors only (their role changed; the room document did not)."""
    r = _room(session, room_id)
    for member in _members(session, room_id, [user_id]):
        outbox.enqueue(session, _member_mirrors(r, member))


def room_document(session: Session, room_id: str) -> None:
    """rooms/{roomId} alone (its creator's account was deleted)."""
    outbox.enqueue(session, [_room_document(_room(session, room_id))])


def sidebars(session: Session, room_id: str) -> None:
    """The room document and every member's sidebar entry (after a rename)."""
    r = _room(session, room_id)
    writes = [_room_document(r)]
    for member in _members(session, room_id, None):
        path = f"users/{member.user_id}/rooms/{room_id}"
        writes.append(Write("firestore", path, "set", _sidebar_entry(r, member)))
    outbox.enqueue(session, writes)


def _room(session: Session, room_id: str) -> Row[Any]:
    return session.execute(select(rooms).where(rooms.c.id == room_id)).one()


def _room_document(r: Row[Any]) -> Write:
    """rooms/{roomId}, merged: the message trigger keeps a summary in the same document."""
    doc = {
        "kind": r.kind,
        "name": r.name,
        "createdBy": r.created_by,
        "createdAt": r.created_at,
        "memberCount": r.member_count,
    }
    return Write("firestore", f"rooms/{r.id}", "merge", doc)


def _members(session: Session, room_id: str, user_ids: list[str] | None) -> list[Row[Any]]:
    query = select(room_members).where(room_members.c.room_id == room_id)
    if user_ids is not None:
        query = query.where(room_members.c.user_id.in_(user_ids))
    return list(session.execute(query).all())


def _member_mirrors(r: Row[Any], member: Row[Any]) -> list[Write]:
    room_id, uid = r.id, member.user_id
    doc = {"role": member.role, "joinedAt": member.joined_at}
    if member.muted_until is not None:
        doc["mutedUntil"] = member.muted_until
    # A running mute takes rights away: it travels with the revocations.
    muted = member.muted_until is not None and member.muted_until > datetime.now(UTC)
    priority = REVOKE if muted else GRANT
    writes = [
        Write("firestore", f"rooms/{room_id}/members/{uid}", "set", doc, priority=priority),
        Write("firestore", f"users/{uid}/rooms/{room_id}", "set", _sidebar_entry(r, member)),
    ]
    if rtdb_enabled():
        flag = _rtdb_flag(member)
        writes.append(Write("rtdb", f"roomMembers/{room_id}/{uid}", "set", flag, priority=priority))
    return writes


def _rtdb_flag(member: Row[Any]) -> bool | int:
    """roomMembers/{roomId}/{uid}: true, or while muted the end of the mute in epoch ms
    (the typing rule compares it with `now`)."""
    if member.muted_until is None:
        return True
    return int(member.muted_until.timestamp() * 1000)


def removed_mirrors(room_id: str, uid: str) -> list[Write]:
    """Revocations: drained ahead of grants, retried at every drain."""
    writes = [
        Write("firestore", f"rooms/{room_id}/members/{uid}", "delete", priority=REVOKE),
        Write("firestore", f"users/{uid}/rooms/{room_id}", "delete", priority=REVOKE),
    ]
    if rtdb_enabled():
        writes.append(Write("rtdb", f"roomMembers/{room_id}/{uid}", "delete", priority=REVOKE))
    return writes


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
