"""Room moderation by owners and admins: mutes and bans, projected like membership.

A mute is a column of the membership (``muted_until``), so it travels with the member's
mirrors; a ban removes the member and keeps a row that refuses re-adds and invitations.
Moderators act only on members of lower rank, as remove_member does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import room_bans, room_members, users
from flowchat.errors import Forbidden, InvalidInput, NotFound
from flowchat.services import audit, membership, projection
from flowchat.services.domain import MODERATORS, Role

MAX_MUTE = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class Ban:
    """A user banned from a room: by whom and when."""

    user_id: str
    banned_by: str
    banned_at: datetime


def mute(session: Session, room_id: str, uid: str, target_id: str, until: datetime | None) -> None:
    """Mute a member until a time (None lifts the mute); projected to the rules at once."""
    if until is not None:
        now = datetime.now(UTC)
        if until <= now:
            raise InvalidInput("until must be in the future (or null to unmute)")
        if until > now + MAX_MUTE:
            raise InvalidInput(f"a mute lasts at most {MAX_MUTE.days} days")
    m = _require_moderator_over(session, room_id, uid, target_id)
    session.execute(
        update(room_members)
        .where(room_members.c.room_id == room_id, room_members.c.user_id == target_id)
        .values(muted_until=until)
    )
    action: audit.Action = "member_muted" if until else "member_unmuted"
    details = {"until": until.isoformat()} if until else {}
    audit.record(session, action, uid, room_id=m.room_id, target_id=target_id, **details)
    projection.membership(session, room_id, target_id)


def ban(session: Session, room_id: str, uid: str, target_id: str) -> bool:
    """Ban a user (removing them if a member); True if this created the ban."""
    if target_id == uid:
        raise InvalidInput("you cannot ban yourself")
    m = membership.require_member(session, room_id, uid, MODERATORS, lock=True)
    membership.require_group(m, "banning")
    if session.execute(select(users.c.id).where(users.c.id == target_id)).first() is None:
        raise NotFound("user not found")
    if membership.role_or_none(session, room_id, target_id) is not None:
        _require_outranks(session, m, target_id)
        membership.remove(session, room_id, target_id)
    created = session.execute(
        insert(room_bans)
        .values(room_id=room_id, user_id=target_id, banned_by=uid)
        .on_conflict_do_nothing()
        .returning(room_bans.c.user_id)
    ).first()
    if created:
        audit.record(session, "member_banned", uid, room_id=room_id, target_id=target_id)
    return created is not None


def unban(session: Session, room_id: str, uid: str, target_id: str) -> bool:
    """Lift a ban (the user is not re-added); True if there was one."""
    m = membership.require_member(session, room_id, uid, MODERATORS, lock=True)
    membership.require_group(m, "unbanning")
    removed = session.execute(
        delete(room_bans)
        .where(room_bans.c.room_id == room_id, room_bans.c.user_id == target_id)
        .returning(room_bans.c.user_id)
    ).first()
    if removed:
        audit.record(session, "member_unbanned", uid, room_id=room_id, target_id=target_id)
    return removed is not None


def list_bans(session: Session, room_id: str, uid: str) -> list[Ban]:
    """The room's bans, newest first (moderators only)."""
    membership.require_member(session, room_id, uid, MODERATORS)
    found = session.execute(
        select(room_bans.c.user_id, room_bans.c.banned_by, room_bans.c.banned_at)
        .where(room_bans.c.room_id == room_id)
        .order_by(room_bans.c.banned_at.desc())
    ).all()
    return [Ban(r.user_id, r.banned_by, r.banned_at) for r in found]


def require_not_muted(session: Session, room_id: str, uid: str) -> None:
    """Forbidden while the member is muted (the server-side twin of the rules' check)."""
    until = session.execute(
        select(room_members.c.muted_until).where(
            room_members.c.room_id == room_id, room_members.c.user_id == uid
        )
    ).scalar()
    if until is not None and until > datetime.now(UTC):
        raise Forbidden(f"you are muted in this room until {until.isoformat()}")


def _require_moderator_over(
    session: Session, room_id: str, uid: str, target_id: str
) -> membership.Membership:
    if target_id == uid:
        raise InvalidInput("you cannot mute yourself")
    m = membership.require_member(session, room_id, uid, MODERATORS, lock=True)
    membership.require_group(m, "muting")
    _require_outranks(session, m, target_id)
    return m


def _require_outranks(session: Session, m: membership.Membership, target_id: str) -> None:
    target_role = membership.role_or_none(session, m.room_id, target_id)
    if target_role is None:
        raise NotFound("that user is not a member of this room")
    if Role(target_role).rank >= Role(m.role).rank:
        raise Forbidden(f"an {m.role} cannot moderate an {target_role}")
