"""delete_account, PostgreSQL side: rooms handed over or closed, the user's rows removed.

Policy (docs/backend.md, "Account deletion"):
- group rooms: the membership is removed; when the user was the only owner, the
  longest-standing admin (else the longest-standing member) becomes owner; a room left
  with nobody is closed (deleted with everything in it);
- direct rooms are closed: half of their history is the deleted user's;
- the user's messages stay as tombstones by "deleted user" (services/account_content.py);
- audit rows keep their shape but name a random pseudonym instead of the user, without
  client addresses; reports they filed stay, without the reporter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Text, delete, func, or_, select, union, update
from sqlalchemy.orm import Session

from flowchat.adapters.projector import REVOKE, Op, Target, Write
from flowchat.adapters.tables import (
    audit_log,
    login_throttle,
    message_reports,
    outbox,
    room_members,
    rooms,
    users,
)
from flowchat.services import audit, membership, projection, reports
from flowchat.services import outbox as outbox_service
from flowchat.services.message_index import message_index

REDACTED_REASON = "[removed: the reporter deleted their account]"


@dataclass(frozen=True, slots=True)
class Deleted:
    """What the PostgreSQL part did, for the Firestore / RTDB / Auth steps after it."""

    uid: str
    username: str
    email: str | None
    closed_rooms: list[str]


def rooms_of(session: Session, uid: str) -> list[str]:
    """Rooms the user is in or ever was in (per the audit log) that still exist."""
    current = select(room_members.c.room_id).where(room_members.c.user_id == uid)
    past = select(audit_log.c.room_id).where(
        audit_log.c.room_id.is_not(None),
        or_(audit_log.c.actor_id == uid, audit_log.c.target_id == uid),
    )
    candidates = union(current, past).subquery()
    found = session.execute(select(rooms.c.id).where(rooms.c.id.in_(select(candidates))))
    return sorted(found.scalars())


def delete_user_data(session: Session, uid: str) -> Deleted:
    """Remove the account and everything PostgreSQL holds about the user."""
    user = session.execute(select(users.c.username, users.c.email).where(users.c.id == uid)).one()
    closed = [room_id for room_id in _memberships(session, uid) if _leave(session, room_id, uid)]
    created = list(session.execute(select(rooms.c.id).where(rooms.c.created_by == uid)).scalars())
    filed = list(
        session.execute(
            select(message_reports.c.id).where(
                or_(message_reports.c.reporter_id == uid, message_reports.c.resolved_by == uid)
            )
        ).scalars()
    )
    _redact_reports(session, uid)
    session.execute(delete(message_index).where(message_index.c.author_id == uid))
    session.execute(delete(login_throttle).where(login_throttle.c.bucket == f"account:{uid}"))
    pseudonym = _pseudonymise_audit(session, uid)
    _queue_personal_deletes(session, uid)
    session.execute(delete(users).where(users.c.id == uid))  # cascades devices, blocks...
    for report_id in filed:
        reports.project(session, report_id)
    for room_id in created:  # createdBy is null now
        projection.room_document(session, room_id)
    audit.record(session, "account_deleted", pseudonym, closed_rooms=len(closed))
    return Deleted(uid, user.username, user.email, closed)


def purge_outbox(session: Session, gone: Deleted) -> int:
    """Applied outbox rows that name the user (kept a week for operators otherwise)."""
    text = func.lower(func.coalesce(outbox.c.payload.cast(Text), ""))
    needles = [gone.uid, gone.username.lower(), *([gone.email.lower()] if gone.email else [])]
    mentions = [func.strpos(text, n) > 0 for n in needles]
    removed = session.execute(
        delete(outbox)
        .where(
            outbox.c.done_at.is_not(None),
            or_(func.strpos(outbox.c.path, gone.uid) > 0, *mentions),
        )
        .returning(outbox.c.id)
    )
    return len(removed.all())


def _memberships(session: Session, uid: str) -> list[str]:
    """The user's rooms, locked in id order (the order every room change locks in)."""
    ids = sorted(
        session.execute(select(room_members.c.room_id).where(room_members.c.user_id == uid))
        .scalars()
        .all()
    )
    for room_id in ids:
        session.execute(select(rooms.c.id).where(rooms.c.id == room_id).with_for_update())
    return ids


def _leave(session: Session, room_id: str, uid: str) -> bool:
    """Hand over or close one room; True if it was closed."""
    kind, role = session.execute(
        select(rooms.c.kind, room_members.c.role)
        .join(room_members, room_members.c.room_id == rooms.c.id)
        .where(rooms.c.id == room_id, room_members.c.user_id == uid)
    ).one()
    others = session.execute(
        select(room_members.c.user_id, room_members.c.role)
        .where(room_members.c.room_id == room_id, room_members.c.user_id != uid)
        .order_by(
            (room_members.c.role == "admin").desc(),
            room_members.c.joined_at,
            room_members.c.user_id,
        )
    ).all()
    if kind == "direct" or not others:
        _close(session, room_id, [uid, *(o.user_id for o in others)])
        return True
    if role == "owner" and not any(o.role == "owner" for o in others):
        heir = others[0].user_id
        session.execute(
            update(room_members)
            .where(room_members.c.room_id == room_id, room_members.c.user_id == heir)
            .values(role="owner")
        )
        audit.record(session, "owner_handed_over", None, room_id=room_id, target_id=heir)
        projection.membership(session, room_id, heir)
    membership.remove(session, room_id, uid)
    return False


def _close(session: Session, room_id: str, member_ids: list[str]) -> None:
    """Delete the room (PostgreSQL cascades) and every member's mirrors of it."""
    writes: list[Write] = [Write(Target.FIRESTORE, f"rooms/{room_id}", Op.DELETE, priority=REVOKE)]
    for member_id in member_ids:
        writes += projection.removed_mirrors(room_id, member_id)
    outbox_service.enqueue(session, writes)
    session.execute(delete(rooms).where(rooms.c.id == room_id))
    audit.record(session, "room_closed", None, room_id=room_id)


def _redact_reports(session: Session, uid: str) -> None:
    """Reports stay for the moderators, without the deleted user's own words."""
    session.execute(
        update(message_reports)
        .where(message_reports.c.reporter_id == uid)
        .values(reason=REDACTED_REASON)
    )
    session.execute(
        update(message_reports).where(message_reports.c.resolved_by == uid).values(resolution=None)
    )


def _pseudonymise_audit(session: Session, uid: str) -> str:
    """The user's audit rows name a random id from now on, and lose client addresses."""
    pseudonym = str(uuid.uuid4())
    session.execute(
        update(audit_log)
        .where(audit_log.c.actor_id == uid)
        .values(actor_id=pseudonym, client_address=None)
    )
    session.execute(
        update(audit_log).where(audit_log.c.target_id == uid).values(target_id=pseudonym)
    )
    return pseudonym


def _queue_personal_deletes(session: Session, uid: str) -> None:
    """The public profile and, in the RTDB, presence (memberships are already queued)."""
    writes = [Write(Target.FIRESTORE, f"users/{uid}", Op.DELETE, priority=REVOKE)]
    if projection.rtdb_enabled():
        writes.append(Write(Target.RTDB, f"status/{uid}", Op.DELETE, priority=REVOKE))
    outbox_service.enqueue(session, writes)


def username_of(session: Session, uid: str) -> str:
    return session.execute(select(users.c.username).where(users.c.id == uid)).scalar_one()
