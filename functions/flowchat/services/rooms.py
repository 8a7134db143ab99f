"""Rooms: creation (group or direct), renaming, reading and listing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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
    blocks,
    cursors,
    invitations,
    membership,
    names,
    projection,
    room_requests,
)
from flowchat.services.domain import MODERATORS, Role, RoomKind

MAX_NAME = 100
MAX_PAGE = 100
MAX_MEMBERS_SHOWN = 200


@dataclass(frozen=True, slots=True)
class RoomCreated:
    """created is False for the pair's existing direct room or a retried request; invited
    (a new group room only): the users whose add policy made their add an invitation."""

    room_id: str
    created: bool
    invited: list[str] | None = None


@dataclass(frozen=True, slots=True)
class RoomMember:
    uid: str
    role: Role
    joined_at: datetime
    username: str
    display_name: str
    avatar_url: str | None


@dataclass(frozen=True, slots=True)
class RoomDetails:
    """A room and its first MAX_MEMBERS_SHOWN members, in joining order."""

    room_id: str
    kind: RoomKind
    name: str | None
    created_by: str
    created_at: datetime
    member_count: int
    members: list[RoomMember]


@dataclass(frozen=True, slots=True)
class MyRoom:
    """A room in the caller's list, with the caller's membership."""

    room_id: str
    kind: RoomKind
    name: str | None
    member_count: int
    role: Role
    joined_at: datetime
    hidden: bool


@dataclass(frozen=True, slots=True)
class RoomPage:
    """Newest membership first; next_cursor is None on the last page."""

    rooms: list[MyRoom]
    next_cursor: str | None


def validate_name(name: str) -> str:
    """The room name as stored (NFKC, trimmed); InvalidInput if empty, too long, without a
    visible character or holding control or bidirectional control characters."""
    return names.clean_name(name, "name", MAX_NAME)


def create_group(
    session: Session, uid: str, name: str, member_ids: list[str], request_id: str | None = None
) -> RoomCreated:
    """A group room owned by the caller, with the listed users as members; with a request
    id, a repeated call returns the room the first one created."""
    others = [m for m in dict.fromkeys(member_ids) if m != uid]
    people = _people(session, uid, others)
    caller = people.pop(uid, None)
    accounts.refuse_inactive(None if caller is None else caller.disabled)
    membership.refuse_too_many(others)
    name = validate_name(name)
    room_id = None
    if request_id is not None:
        room_id, new = room_requests.claim(session, uid, request_id)
        if not new:
            return _earlier_group(session, room_id, uid, name, others)
    active = [p for p in people.values() if not p.disabled]
    membership.refuse_unusable(others, active)
    direct, needs_consent = invitations.split(others, active)
    members = {uid: Role.OWNER, **dict.fromkeys(direct, Role.MEMBER)}
    # A new room holds exactly these members: store the count now instead of recounting.
    values: dict[str, Any] = {
        "kind": RoomKind.GROUP.value,
        "name": name,
        "created_by": uid,
        "member_count": len(members),
    }
    if room_id is not None:
        values["id"] = room_id  # the id the request reserved
    room = session.execute(insert(rooms).values(values).returning(rooms)).one()
    inserted = membership.insert_new_room_members(session, room.id, members)
    created = audit.Entry("room_created", uid, room.id, details={"kind": RoomKind.GROUP.value})
    added = [audit.Entry("member_added", uid, room.id, target) for target in direct]
    audit.record_all(session, [created, *added])
    projection.new_room(session, room, inserted)
    invited = invitations.invite(session, room.id, uid, needs_consent)
    return RoomCreated(room.id, created=True, invited=invited)


def _people(session: Session, uid: str, others: list[str]) -> dict[str, Any]:
    """The caller and the listed users in one statement, by id: disabled, blocked (either
    way with the caller), add_policy and shares (for the add-policy check)."""
    if len(others) > membership.MAX_MEMBERS_PER_CALL:
        others = []  # refused once the caller is checked; no point reading them
    rows = session.execute(
        select(
            users.c.id,
            users.c.disabled,
            blocks.blocked_either_way(users.c.id, uid).label("blocked"),
            users.c.add_policy,
            invitations.shares_a_room_with(uid).label("shares"),
        ).where(users.c.id.in_([uid, *others]))
    ).all()
    return {r.id: r for r in rows}


def _earlier_group(
    session: Session, room_id: str, uid: str, name: str, others: list[str]
) -> RoomCreated:
    """The answer to a retried create_room; AlreadyExists if the id named another room
    (another name, or other members than the first call added or invited)."""
    earlier = session.execute(select(rooms.c.name).where(rooms.c.id == room_id)).scalar_one()
    targets = audit.creation_targets(session, room_id, uid)
    if earlier != name or (targets is not None and targets != set(others)):
        raise AlreadyExists("requestId was already used to create a different room")
    return RoomCreated(room_id, created=False)


def direct_key(a: str, b: str) -> str:
    """The pair key: both uids in sorted order, so (a, b) and (b, a) meet."""
    return ":".join(sorted((a, b)))


def create_direct(session: Session, uid: str, peer_id: str) -> RoomCreated:
    """The one direct room of a pair, created on first call (safe under concurrency)."""
    accounts.require_active_user(session, uid)
    if peer_id == uid:
        raise InvalidInput("a direct room needs another user")
    membership.check_new_members(session, uid, [peer_id])
    key = direct_key(uid, peer_id)
    # ON CONFLICT on the unique pair key: concurrent callers wait for the first insert.
    room_id = session.execute(
        insert(rooms)
        .values(kind=RoomKind.DIRECT.value, direct_key=key, created_by=uid)
        .on_conflict_do_nothing(
            index_elements=[rooms.c.direct_key], index_where=rooms.c.direct_key.isnot(None)
        )
        .returning(rooms.c.id)
    ).scalar()
    if room_id is None:
        return _reopen_direct(session, uid, peer_id, key)
    membership.insert_members(session, room_id, {uid: Role.MEMBER, peer_id: Role.MEMBER})
    audit.record(
        session, "room_created", uid, room_id=room_id, kind=RoomKind.DIRECT.value, target_id=peer_id
    )
    projection.room_with_members(session, room_id, [uid, peer_id])
    return RoomCreated(room_id, created=True)


def _reopen_direct(session: Session, uid: str, peer_id: str, key: str) -> RoomCreated:
    """The pair's existing room; whoever left it (leave_room) is a member again."""
    existing = select(rooms.c.id).where(rooms.c.direct_key == key).with_for_update()
    room_id = session.execute(existing).scalar_one()
    pair = {uid: Role.MEMBER, peer_id: Role.MEMBER}
    rejoined = membership.insert_members(session, room_id, pair)
    for target in rejoined:
        audit.record(session, "member_added", uid, room_id=room_id, target_id=target)
    if rejoined:
        projection.room_with_members(session, room_id, rejoined)
    return RoomCreated(room_id, created=False)


def rename(session: Session, room_id: str, uid: str, name: str) -> None:
    """Owners and admins rename a group room; every member's sidebar entry follows."""
    name = validate_name(name)
    m = membership.require_member(session, room_id, uid, MODERATORS, lock=True)
    membership.require_group(m, "renaming")
    current = session.execute(select(rooms.c.name).where(rooms.c.id == room_id)).scalar_one()
    if current == name:
        return  # nothing changes: no audit row, no sidebar writes
    session.execute(update(rooms).where(rooms.c.id == room_id).values(name=name))
    audit.record(session, "room_renamed", uid, room_id=room_id, name=name)
    projection.sidebars(session, room_id)


def get(session: Session, room_id: str, uid: str) -> RoomDetails:
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
    shown = [
        RoomMember(m.user_id, Role(m.role), m.joined_at, m.username, m.display_name, m.avatar_url)
        for m in members
    ]
    return RoomDetails(
        r.id, RoomKind(r.kind), r.name, r.created_by, r.created_at, r.member_count, shown
    )


def list_mine(session: Session, uid: str, limit: int, cursor: str | None) -> RoomPage:
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
    mine = [
        MyRoom(r.id, RoomKind(r.kind), r.name, r.member_count, Role(r.role), r.joined_at, r.hidden)
        for r in page
    ]
    next_cursor = cursors.encode([page[-1].joined_at.isoformat(), page[-1].id]) if more else None
    return RoomPage(mine, next_cursor)


def _after(cursor: str) -> tuple[datetime, str]:
    joined_at, room_id = cursors.decode(cursor, 2)
    try:
        return datetime.fromisoformat(joined_at), str(uuid.UUID(room_id))
    except (TypeError, ValueError) as exc:
        raise InvalidInput("cursor is not valid") from exc
