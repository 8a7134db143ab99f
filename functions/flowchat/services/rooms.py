"""Rooms: creation (group or direct), renaming, reading and listing."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Uuid, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import room_members, rooms, users
from flowchat.errors import AlreadyExists, InvalidInput
from flowchat.services import (
    accounts,
    audit,
    cursors,
    invitations,
    membership,
    names,
    projection,
    room_requests,
)

MAX_NAME = 100
MAX_PAGE = 100
MAX_MEMBERS_SHOWN = 200


def validate_name(name: str) -> str:
    """The room name as stored (NFKC, trimmed); InvalidInput if empty, too long, without a
    visible character or holding control or bidirectional control characters."""
    return names.clean_name(name, "name", MAX_NAME)


def create_group(
    session: Session, uid: str, name: str, member_ids: list[str], request_id: str | None = None
) -> dict[str, Any]:
    """A group room owned by the caller, with the listed users as members; with a request
    id, a repeated call returns the room the first one created."""
    accounts.require_active_user(session, uid)
    name = validate_name(name)
    others = [m for m in dict.fromkeys(member_ids) if m != uid]
    room_id = None
    if request_id is not None:
        room_id, new = room_requests.claim(session, uid, request_id)
        if not new:
            return _earlier_group(session, room_id, name)
    membership.check_new_members(session, uid, others)
    direct, needs_consent = invitations.split_by_consent(session, uid, others)
    members = {uid: "owner", **dict.fromkeys(direct, "member")}
    # A new room holds exactly these members: store the count now instead of recounting.
    values: dict[str, Any] = {
        "kind": "group",
        "name": name,
        "created_by": uid,
        "member_count": len(members),
    }
    if room_id is not None:
        values["id"] = room_id  # the id the request reserved
    room_id = session.execute(insert(rooms).values(values).returning(rooms.c.id)).scalar_one()
    membership.insert_members(session, room_id, members, recount=False)
    created = audit.Entry("room_created", uid, room_id, details={"kind": "group"})
    added = [audit.Entry("member_added", uid, room_id, target) for target in direct]
    audit.record_all(session, [created, *added])
    projection.room_with_members(session, room_id, [uid, *direct])
    invited = invitations.invite(session, room_id, uid, needs_consent)
    return {"roomId": room_id, "created": True, "invited": invited}


def _earlier_group(session: Session, room_id: str, name: str) -> dict[str, Any]:
    """The answer to a retried create_room; AlreadyExists if the id named another room."""
    earlier = session.execute(select(rooms.c.name).where(rooms.c.id == room_id)).scalar_one()
    if earlier != name:
        raise AlreadyExists("requestId was already used to create a different room")
    return {"roomId": room_id, "created": False}


def direct_key(a: str, b: str) -> str:
    """The pair key: both uids in sorted order, so (a, b) and (b, a) meet."""
    return ":".join(sorted((a, b)))


def create_direct(session: Session, uid: str, peer_id: str) -> dict[str, Any]:
    """The one direct room of a pair, created on first call (safe under concurrency)."""
    accounts.require_active_user(session, uid)
    if peer_id == uid:
        raise InvalidInput("a direct room needs another user")
    membership.check_new_members(session, uid, [peer_id])
    key = direct_key(uid, peer_id)
    # ON CONFLICT on the unique pair key: concurrent callers wait for the first insert.
    room_id = session.execute(
        insert(rooms)
        .values(kind="direct", direct_key=key, created_by=uid)
        .on_conflict_do_nothing(
            index_elements=[rooms.c.direct_key], index_where=rooms.c.direct_key.isnot(None)
        )
        .returning(rooms.c.id)
    ).scalar()
    if room_id is None:
        return _reopen_direct(session, uid, peer_id, key)
    membership.insert_members(session, room_id, {uid: "member", peer_id: "member"})
    audit.record(session, "room_created", uid, room_id=room_id, kind="direct", target_id=peer_id)
    projection.room_with_members(session, room_id, [uid, peer_id])
    return {"roomId": room_id, "created": True}


def _reopen_direct(session: Session, uid: str, peer_id: str, key: str) -> dict[str, Any]:
    """The pair's existing room; whoever left it (leave_room) is a member again."""
    existing = select(rooms.c.id).where(rooms.c.direct_key == key).with_for_update()
    room_id = session.execute(existing).scalar_one()
    rejoined = membership.insert_members(session, room_id, {uid: "member", peer_id: "member"})
    for target in rejoined:
        audit.record(session, "member_added", uid, room_id=room_id, target_id=target)
    if rejoined:
        projection.room_with_members(session, room_id, rejoined)
    return {"roomId": room_id, "created": False}


def rename(session: Session, room_id: str, uid: str, name: str) -> None:
    """Owners and admins rename a group room; every member's sidebar entry follows."""
    name = validate_name(name)
    m = membership.require_member(session, room_id, uid, ("owner", "admin"), lock=True)
    membership.require_group(m, "renaming")
    current = session.execute(select(rooms.c.name).where(rooms.c.id == room_id)).scalar_one()
    if current == name:
        return  # nothing changes: no audit row, no sidebar writes
    session.execute(update(rooms).where(rooms.c.id == room_id).values(name=name))
    audit.record(session, "room_renamed", uid, room_id=room_id, name=name)
    projection.sidebars(session, room_id)


def get(session: Session, room_id: str, uid: str) -> dict[str, Any]:
    """The room and its first members, for members only."""
    membership.require_member(session, room_id, uid)
    r = session.execute(select(rooms).where(rooms.c.id == room_id)).one()
    members = session.execute(
        select(
            room_members.c.user_id,
            room_members.c.role,
            room_members.c.joined_at,
            users.c.username,
            users.c.display_name,
            users.c.avatar_url,
        )
        .join(users, users.c.id == room_members.c.user_id)
        .where(room_members.c.room_id == room_id)
        .order_by(room_members.c.joined_at, room_members.c.user_id)
        .limit(MAX_MEMBERS_SHOWN)
    ).all()
    return {
        "roomId": r.id,
        "kind": r.kind,
        "name": r.name,
        "createdBy": r.created_by,
        "createdAt": r.created_at.isoformat(),
        "memberCount": r.member_count,
        "members": [
            {
                "uid": m.user_id,
                "role": m.role,
                "joinedAt": m.joined_at.isoformat(),
                "username": m.username,
                "displayName": m.display_name,
                "avatarUrl": m.avatar_url,
            }
            for m in members
        ],
    }


def list_mine(session: Session, uid: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """The caller's rooms, newest membership first, keyset-paginated."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be 1-{MAX_PAGE}")
    accounts.require_active_user(session, uid)
    query = (
        select(
            rooms.c.id,
            rooms.c.kind,
            rooms.c.name,
            rooms.c.member_count,
            room_members.c.role,
            room_members.c.joined_at,
            room_members.c.hidden,
        )
        .join(rooms, rooms.c.id == room_members.c.room_id)
        .where(room_members.c.user_id == uid)
        .order_by(room_members.c.joined_at.desc(), room_members.c.room_id.desc())
        .limit(limit + 1)
    )
    if cursor:
        joined_at, room_id = _after(cursor)
        query = query.where(
            tuple_(room_members.c.joined_at, room_members.c.room_id)
            < tuple_(joined_at, room_id, types=[DateTime(timezone=True), Uuid(as_uuid=False)])
        )
    rows = session.execute(query).all()
    page, more = rows[:limit], len(rows) > limit
    return {
        "rooms": [
            {
                "roomId": r.id,
                "kind": r.kind,
                "name": r.name,
                "memberCount": r.member_count,
                "role": r.role,
                "joinedAt": r.joined_at.isoformat(),
                "hidden": r.hidden,
            }
            for r in page
        ],
        "nextCursor": cursors.encode([page[-1].joined_at.isoformat(), page[-1].id])
        if more
        else None,
    }


def _after(cursor: str) -> tuple[datetime, str]:
    joined_at, room_id = cursors.decode(cursor, 2)
    try:
        return datetime.fromisoformat(joined_at), str(uuid.UUID(room_id))
    except (TypeError, ValueError) as exc:
        raise InvalidInput("cursor is not valid") from exc
