"""What Firestore and the RTDB should show, computed from PostgreSQL and queued in the outbox.

Each function re-reads the current state inside the transaction and queues whole-document
writes, so replaying them is harmless and a revoked grant is never left behind.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from flowchat import config
from flowchat.adapters.tables import room_members, rooms, users
from flowchat.services import outbox


def rtdb_enabled() -> bool:
    """True when the RTDB roomMembers mirror is configured."""
    return bool(config.RTDB_URL.value)


def profile(session: Session, user_id: str) -> None:
    """users/{uid}: the public profile."""
    row = session.execute(
        select(users.c.username, users.c.display_name, users.c.avatar_url).where(
            users.c.id == user_id
        )
    ).one()
    doc = {"username": row.username, "displayName": row.display_name, "avatarUrl": row.avatar_url}
    outbox.enqueue(session, "firestore", f"users/{user_id}", "set", doc)


def room(session: Session, room_id: str) -> None:
    """rooms/{roomId}: our fields only (merge), since message triggers add a summary there."""
    r = session.execute(select(rooms).where(rooms.c.id == room_id)).one()
    doc = {
        "kind": r.kind,
        "name": r.name,
        "createdBy": r.created_by,
        "createdAt": r.created_at,
        "memberCount": r.member_count,
    }
    outbox.enqueue(session, "firestore", f"rooms/{room_id}", "merge", doc)


def membership(session: Session, room_id: str, user_id: str) -> None:
    """The member document, the sidebar entry and the RTDB flag: set if a member, else gone."""
    member = session.execute(
        select(room_members.c.role, room_members.c.joined_at).where(
            room_members.c.room_id == room_id, room_members.c.user_id == user_id
        )
    ).one_or_none()
    member_path = f"rooms/{room_id}/members/{user_id}"
    sidebar_path = f"users/{user_id}/rooms/{room_id}"
    rtdb_path = f"roomMembers/{room_id}/{user_id}"
    if member is None:
        outbox.enqueue(session, "firestore", member_path, "delete")
        outbox.enqueue(session, "firestore", sidebar_path, "delete")
        if rtdb_enabled():
            outbox.enqueue(session, "rtdb", rtdb_path, "delete")
        return
    outbox.enqueue(
        session,
        "firestore",
        member_path,
        "set",
        {"role": member.role, "joinedAt": member.joined_at},
    )
    outbox.enqueue(
        session, "firestore", sidebar_path, "set", _sidebar_entry(session, room_id, member)
    )
    if rtdb_enabled():
        outbox.enqueue(session, "rtdb", rtdb_path, "set", True)


def room_with_members(session: Session, room_id: str, user_ids: list[str]) -> None:
    """The room document and the membership of each listed user."""
    room(session, room_id)
    for uid in user_ids:
        membership(session, room_id, uid)


def _sidebar_entry(session: Session, room_id: str, member: object) -> dict[str, object]:
    r = session.execute(
        select(rooms.c.kind, rooms.c.name, rooms.c.direct_key).where(rooms.c.id == room_id)
    ).one()
    entry: dict[str, object] = {
        "roomId": room_id,
        "kind": r.kind,
        "name": r.name,
        "role": member.role,  # type: ignore[attr-defined]
        "joinedAt": member.joined_at,  # type: ignore[attr-defined]
    }
    if r.direct_key:
        entry["members"] = r.direct_key.split(":")
    return entry
