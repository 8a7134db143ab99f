"""Room membership: the shared check every room function uses, and changes to members."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import room_bans, room_members, rooms, users
from flowchat.errors import Forbidden, InvalidInput, NotFound, PreconditionFailed
from flowchat.services import audit, blocks, invitations, projection
from flowchat.services.domain import MODERATORS, BlockState, Role, RoomKind

MAX_MEMBERS_PER_CALL = 50
NOT_A_MEMBER = "you are not a member of this room (or it does not exist)"
BLOCKED_OUT = "the other member of this direct room has blocked you"
BLOCKING = "you blocked the other member of this direct room: unblock them to write here"


@dataclass(frozen=True, slots=True)
class Membership:
    """The caller's place in a room (read under the room's row lock for changes)."""

    room_id: str
    kind: RoomKind
    user_id: str
    role: Role
    joined_at: datetime
    block: BlockState | None = None  # only in a direct room with a block


@dataclass(frozen=True, slots=True)
class MembershipStatus:
    """check_membership: a blocked-out member is no member; a blocker is one, read-only."""

    is_member: bool
    role: Role | None
    blocked: bool
    can_post: bool


@dataclass(frozen=True, slots=True)
class Additions:
    """Users added directly, and those whose add policy made it an invitation."""

    added: list[str]
    invited: list[str]


NO_MEMBER = MembershipStatus(is_member=False, role=None, blocked=False, can_post=False)
BLOCKED_OUT_STATUS = MembershipStatus(is_member=False, role=None, blocked=True, can_post=False)


def require_member(
    session: Session,
    room_id: str,
    uid: str,
    roles: tuple[Role, ...] = tuple(Role),
    *,
    lock: bool = False,
    allow_blocked: bool = False,
) -> Membership:
    """Forbidden unless uid is a member with one of these roles.

    A room that does not exist answers the same as one the caller is not in, so that
    room ids cannot be probed (PERMISSION_DENIED either way, as Google's APIs do).
    With lock=True the room row is locked first, serialising every change to the room
    (and so the order of its outbox rows). A member of a direct room whom the other
    member blocked has no access, as under the rules, unless allow_blocked (to leave).
    """
    query = select(rooms.c.kind, rooms.c.direct_key).where(rooms.c.id == room_id)
    room = session.execute(query.with_for_update() if lock else query).one_or_none()
    if room is None:
        raise Forbidden(NOT_A_MEMBER)
    kind = RoomKind(room.kind)
    # A disabled account keeps a valid ID token for up to an hour: treat it as no member.
    member = session.execute(
        select(room_members.c.role, room_members.c.joined_at)
        .join(users, users.c.id == room_members.c.user_id)
        .where(
            room_members.c.room_id == room_id,
            room_members.c.user_id == uid,
            users.c.disabled.is_(False),
        )
    ).one_or_none()
    if member is None:
        raise Forbidden(NOT_A_MEMBER)
    block = blocks.state_in_direct_room(session, room.direct_key, uid) if room.direct_key else None
    m = Membership(room_id, kind, uid, Role(member.role), member.joined_at, block)
    if block == BlockState.BLOCKED and not allow_blocked:
        raise Forbidden(BLOCKED_OUT, {"blocked": True})
    if m.role not in roles:
        require_group(m, "that")  # a direct room has no roles to lack
        raise Forbidden(f"this needs the role {' or '.join(roles)}")
    return m


def require_group(m: Membership, action: str) -> None:
    """PreconditionFailed unless the room is a group room."""
    if m.kind != RoomKind.GROUP:
        raise PreconditionFailed(f"{action} is not possible in a direct room")


def require_can_post(m: Membership) -> None:
    """Forbidden in a direct room with a block either way (the blocker reads, nobody writes)."""
    if m.block == BlockState.BLOCKED:
        raise Forbidden(BLOCKED_OUT, {"blocked": True})
    if m.block == BlockState.BLOCKING:
        raise Forbidden(BLOCKING, {"blocked": True})


# Built once: the hot path pays neither statement construction nor cache-key generation.
_ROOM_KEY = select(rooms.c.direct_key).where(rooms.c.id == bindparam("room_id")).scalar_subquery()
_MEMBER_ROLE = (
    select(room_members.c.role, _ROOM_KEY.label("direct_key"))
    .join(users, users.c.id == room_members.c.user_id)
    .where(
        room_members.c.room_id == bindparam("room_id"),
        room_members.c.user_id == bindparam("uid"),
        users.c.disabled.is_(False),
    )
)


def check(session: Session, room_id: str, uid: str) -> MembershipStatus:
    """Whether uid is a member of the room, with which role, and whether a block holds in
    it: a blocked member is no member (as for the rules); a blocker is, read-only. One
    statement (the covering indexes of migration 0018 plus the room's pair key); members
    of direct rooms add one lookup of the pair's blocks."""
    params = {"room_id": room_id, "uid": uid}
    found = session.connection().execute(_MEMBER_ROLE, params).one_or_none()
    if found is None:
        return NO_MEMBER
    key = found.direct_key
    block = blocks.state_in_direct_room(session, key, uid) if key else None
    if block == BlockState.BLOCKED:
        return BLOCKED_OUT_STATUS
    blocked = block is not None
    return MembershipStatus(True, Role(found.role), blocked=blocked, can_post=not blocked)


def active_role(session: Session, room_id: str, uid: str) -> Role | None:
    """uid's role if an active member, else None: one statement, answered by the covering
    indexes of migration 0018 (a membership row implies its room exists)."""
    # A disabled account keeps a valid ID token for up to an hour: treat it as no member.
    # Core on the session's connection: no ORM execution overhead for this hot path.
    role = (
        session.connection()
        .execute(
            select(room_members.c.role)
            .join(users, users.c.id == room_members.c.user_id)
            .where(
                room_members.c.room_id == room_id,
                room_members.c.user_id == uid,
                users.c.disabled.is_(False),
            )
        )
        .scalar()
    )
    return Role(role) if role is not None else None


def insert_members(
    session: Session, room_id: str, members: dict[str, Role], *, recount: bool = True
) -> list[str]:
    """Insert {uid: role} rows, skipping existing members; returns the uids actually added.
    recount=False when the caller already stored the count (a room created with them)."""
    if not members:
        return []
    rows = [{"room_id": room_id, "user_id": u, "role": r.value} for u, r in members.items()]
    added = list(
        session.execute(
            insert(room_members)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(room_members.c.user_id)
        ).scalars()
    )
    if recount:
        _refresh_member_count(session, room_id)
    return added


def insert_new_room_members(
    session: Session, room_id: str, members: dict[str, Role]
) -> list[Row[Any]]:
    """The members of a room created in this transaction, inserted; their whole rows (what
    the projection needs, without reading them back)."""
    rows = [{"room_id": room_id, "user_id": u, "role": r.value} for u, r in members.items()]
    return list(session.execute(insert(room_members).values(rows).returning(room_members)).all())


def add_members(session: Session, room_id: str, uid: str, member_ids: list[str]) -> Additions:
    """Owners and admins add users to a group room: those whose add policy allows it
    directly, the others by invitation."""
    m = require_member(session, room_id, uid, MODERATORS, lock=True)
    require_group(m, "adding members")
    check_new_members(session, uid, member_ids)
    require_not_banned(session, room_id, member_ids)
    direct, needs_consent = invitations.split_by_consent(session, uid, member_ids)
    added = insert_members(session, room_id, dict.fromkeys(direct, Role.MEMBER))
    for target in added:
        audit.record(session, "member_added", uid, room_id=room_id, target_id=target)
    if added:
        projection.room_with_members(session, room_id, added)
    return Additions(added, invitations.invite(session, room_id, uid, needs_consent))


def join_by_invitation(session: Session, room_id: str, uid: str) -> None:
    """Accept an invitation: NotFound without one; a ban since then refuses."""
    if (
        session.execute(select(rooms.c.id).where(rooms.c.id == room_id).with_for_update()).first()
        is None
    ):
        raise NotFound("no invitation to this room")
    if not invitations.take(session, room_id, uid):
        raise NotFound("no invitation to this room")
    require_not_banned(session, room_id, [uid])
    insert_members(session, room_id, {uid: Role.MEMBER})
    audit.record(session, "invitation_accepted", uid, room_id=room_id, target_id=uid)
    projection.room_with_members(session, room_id, [uid])


def decline_invitation(session: Session, room_id: str, uid: str) -> None:
    """Decline an invitation: it is gone and gives no access; NotFound without one."""
    if not invitations.take(session, room_id, uid):
        raise NotFound("no invitation to this room")
    audit.record(session, "invitation_declined", uid, room_id=room_id, target_id=uid)


def check_new_members(session: Session, uid: str, member_ids: list[str]) -> None:
    """Every id is an active user who has not blocked uid (nor been blocked by uid)."""
    refuse_too_many(member_ids)
    found = session.execute(
        select(users.c.id, blocks.blocked_either_way(users.c.id, uid).label("blocked")).where(
            users.c.id.in_(member_ids), users.c.disabled.is_(False)
        )
    ).all()
    refuse_unusable(member_ids, found)


def refuse_too_many(member_ids: list[str]) -> None:
    """InvalidInput beyond MAX_MEMBERS_PER_CALL."""
    if len(member_ids) > MAX_MEMBERS_PER_CALL:
        raise InvalidInput(f"at most {MAX_MEMBERS_PER_CALL} members per call")


def refuse_unusable(member_ids: list[str], found: Sequence[Any]) -> None:
    """NotFound unless every id is among the active users found (rows with id, blocked);
    Forbidden if a block exists with one of them."""
    missing = set(member_ids) - {r.id for r in found}
    if missing:
        raise NotFound(f"unknown users: {', '.join(sorted(missing))}")
    if any(r.blocked for r in found):
        raise Forbidden("a block exists between you and one of these users")


def require_not_banned(session: Session, room_id: str, user_ids: list[str]) -> None:
    """Forbidden when any of these users is banned from the room (adds and invitations)."""
    banned = session.execute(
        select(room_bans.c.user_id).where(
            room_bans.c.room_id == room_id, room_bans.c.user_id.in_(user_ids)
        )
    ).first()
    if banned is not None:
        raise Forbidden("one of these users is banned from this room")


def remove_member(session: Session, room_id: str, uid: str, target_id: str) -> None:
    """Owners remove admins and members; admins remove members."""
    if target_id == uid:
        raise InvalidInput("use leave_room to leave a room")
    m = require_member(session, room_id, uid, MODERATORS, lock=True)
    require_group(m, "removing members")
    target_role = _role_of(session, room_id, target_id)
    if target_role.rank >= m.role.rank:
        raise Forbidden(f"an {m.role} cannot remove an {target_role}")
    _delete_member(session, room_id, target_id)
    audit.record(session, "member_removed", uid, room_id=room_id, target_id=target_id)


def leave(session: Session, room_id: str, uid: str) -> None:
    """Leave a room; in a group the last owner must hand over first while others remain.
    Anyone leaves a direct room (blocked or not); opening it again rejoins it."""
    m = require_member(session, room_id, uid, lock=True, allow_blocked=True)
    if (
        m.kind == RoomKind.GROUP
        and m.role == Role.OWNER
        and _owner_count(session, room_id) == 1
        and _member_count(session, room_id) > 1
    ):
        raise PreconditionFailed("the last owner must make someone else owner before leaving")
    _delete_member(session, room_id, uid)
    audit.record(session, "member_left", uid, room_id=room_id, target_id=uid)


def set_role(session: Session, room_id: str, uid: str, target_id: str, role: Role) -> None:
    """Owners set anyone's role; an owner may step down only if another owner remains."""
    m = require_member(session, room_id, uid, (Role.OWNER,), lock=True)
    require_group(m, "changing roles")
    current = _role_of(session, room_id, target_id)
    if current == role:
        return
    if current == Role.OWNER and _owner_count(session, room_id) == 1:
        raise PreconditionFailed("a room needs at least one owner")
    session.execute(
        update(room_members)
        .where(room_members.c.room_id == room_id, room_members.c.user_id == target_id)
        .values(role=role.value)
    )
    audit.record(session, "role_set", uid, room_id=room_id, target_id=target_id, role=role.value)
    projection.membership(session, room_id, target_id)


def members_among(session: Session, room_id: str, user_ids: list[str]) -> set[str]:
    """Those of user_ids (any strings) who are members of the room: one query."""
    ids = [u for u in user_ids if _is_uuid(u)]
    if not ids:
        return set()
    found = session.execute(
        select(room_members.c.user_id).where(
            room_members.c.room_id == room_id, room_members.c.user_id.in_(ids)
        )
    ).scalars()
    return {str(uid) for uid in found}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def role_or_none(session: Session, room_id: str, uid: str) -> Role | None:
    """uid's role in the room, None if not a member."""
    role = session.execute(
        select(room_members.c.role).where(
            room_members.c.room_id == room_id, room_members.c.user_id == uid
        )
    ).scalar()
    return Role(role) if role is not None else None


def remove(session: Session, room_id: str, uid: str) -> None:
    """Delete a membership and project its removal (callers check rights and audit)."""
    _delete_member(session, room_id, uid)


def _role_of(session: Session, room_id: str, uid: str) -> Role:
    role = role_or_none(session, room_id, uid)
    if role is None:
        raise NotFound("that user is not a member of this room")
    return role


def _delete_member(session: Session, room_id: str, uid: str) -> None:
    session.execute(
        delete(room_members).where(room_members.c.room_id == room_id, room_members.c.user_id == uid)
    )
    _refresh_member_count(session, room_id)
    projection.room_with_members(session, room_id, [uid])


def _refresh_member_count(session: Session, room_id: str) -> None:
    """Recount under the room lock (cheap: the primary key index covers it)."""
    count = (
        select(func.count())
        .select_from(room_members)
        .where(room_members.c.room_id == room_id)
        .scalar_subquery()
    )
    session.execute(update(rooms).where(rooms.c.id == room_id).values(member_count=count))


def _owner_count(session: Session, room_id: str) -> int:
    return session.execute(
        select(func.count())
        .select_from(room_members)
        .where(room_members.c.room_id == room_id, room_members.c.role == Role.OWNER.value)
    ).scalar_one()


def _member_count(session: Session, room_id: str) -> int:
    return session.execute(select(rooms.c.member_count).where(rooms.c.id == room_id)).scalar_one()
