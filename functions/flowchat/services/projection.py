"""What Firestore and the RTDB should show, computed from PostgreSQL and queued in the outbox.

Each function re-reads the current state inside the transaction and queues whole-document
writes, so replaying them is harmless and a revoked grant is never left behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.orm import Session, aliased

from flowchat import config
from flowchat.adapters.projector import GRANT, REVOKE, Op, Target, Write
from flowchat.adapters.tables import blocks, room_invitations, room_members, rooms, users
from flowchat.services import file_urls, outbox
from flowchat.services.domain import BlockState, RoomKind


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
    outbox.enqueue(session, [Write(Target.FIRESTORE, f"users/{user_id}", Op.MERGE, doc)])


def room_with_members(session: Session, room_id: str, user_ids: list[str]) -> None:
    """The room document, and for each listed user their member document, sidebar entry and
    RTDB flag: set while they are a member, deleted once they are not."""
    r = _room(session, room_id)
    members = {m.user_id: m for m in _members(session, room_id, user_ids)}
    blocks_ = _block_states(session, r)
    writes = [_room_document(r)]
    for uid in user_ids:
        member = members.get(uid)
        if member:
            writes += _member_mirrors(r, member, blocks_.get(uid))
        else:
            writes += removed_mirrors(room_id, uid)
    outbox.enqueue(session, writes)


def new_room(session: Session, r: Row[Any], members: Sequence[Row[Any]]) -> None:
    """A group room created in this transaction, from the rows its INSERTs returned: they
    are the resulting state, so nothing is read back (a new group has no blocks)."""
    writes = [_room_document(r)]
    for member in members:
        writes += _member_mirrors(r, member)
    outbox.enqueue(session, writes)


def membership(session: Session, room_id: str, user_id: str) -> None:
    """One user's mirrors only (their role, mute or hidden flag changed; the room did not)."""
    r = _room(session, room_id)
    blocks_ = _block_states(session, r)
    for member in _members(session, room_id, [user_id]):
        outbox.enqueue(session, _member_mirrors(r, member, blocks_.get(user_id)))


def room_document(session: Session, room_id: str) -> None:
    """rooms/{roomId} alone (its creator's account was deleted)."""
    outbox.enqueue(session, [_room_document(_room(session, room_id))])


def sidebars(session: Session, room_id: str) -> None:
    """The room document and every member's sidebar entry (after a rename)."""
    r = _room(session, room_id)
    writes = [_room_document(r)]
    blocks_ = _block_states(session, r)
    for member in _members(session, room_id, None):
        path = f"users/{member.user_id}/rooms/{room_id}"
        entry = _sidebar_entry(r, member, blocks_.get(member.user_id))
        writes.append(Write(Target.FIRESTORE, path, Op.SET, entry))
    outbox.enqueue(session, writes)


def invitation(session: Session, room_id: str, user_id: str) -> None:
    """users/{uid}/invitations/{roomId}: set while the invitation is pending, else deleted."""
    path = f"users/{user_id}/invitations/{room_id}"
    inviter = aliased(users)
    row = session.execute(
        select(
            rooms.c.name,
            room_invitations.c.invited_by,
            room_invitations.c.created_at,
            inviter.c.display_name,
        )
        .join(rooms, rooms.c.id == room_invitations.c.room_id)
        .outerjoin(inviter, inviter.c.id == room_invitations.c.invited_by)
        .where(room_invitations.c.room_id == room_id, room_invitations.c.user_id == user_id)
    ).one_or_none()
    if row is None:
        outbox.enqueue(session, [Write(Target.FIRESTORE, path, Op.DELETE)])
        return
    doc = {
        "roomId": room_id,
        "roomName": row.name,
        "invitedBy": row.invited_by,
        "invitedByName": row.display_name,
        "invitedAt": row.created_at,
    }
    outbox.enqueue(session, [Write(Target.FIRESTORE, path, Op.SET, doc)])


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
    return Write(Target.FIRESTORE, f"rooms/{r.id}", Op.MERGE, doc)


def _members(session: Session, room_id: str, user_ids: list[str] | None) -> list[Row[Any]]:
    query = select(room_members).where(room_members.c.room_id == room_id)
    if user_ids is not None:
        query = query.where(room_members.c.user_id.in_(user_ids))
    return list(session.execute(query).all())


def _block_states(session: Session, r: Row[Any]) -> dict[str, BlockState]:
    """In a direct room with a block: uid -> BLOCKED (the other blocked them: no access)
    or BLOCKING (they blocked the other: read-only). Empty for groups and unblocked pairs."""
    if r.kind != RoomKind.DIRECT:
        return {}
    a, b = r.direct_key.split(":")
    pairs = session.execute(
        select(blocks.c.blocker_id, blocks.c.blocked_id).where(
            or_(
                and_(blocks.c.blocker_id == a, blocks.c.blocked_id == b),
                and_(blocks.c.blocker_id == b, blocks.c.blocked_id == a),
            )
        )
    ).all()
    states = {p.blocker_id: BlockState.BLOCKING for p in pairs}
    states.update({p.blocked_id: BlockState.BLOCKED for p in pairs})  # blocked wins over blocking
    return states


def _member_mirrors(r: Row[Any], member: Row[Any], block: BlockState | None = None) -> list[Write]:
    """A blocked member keeps their documents, flagged: a revocation, drained first."""
    room_id, uid = r.id, member.user_id
    doc = {"role": member.role, "joinedAt": member.joined_at}
    if member.muted_until is not None:
        doc["mutedUntil"] = member.muted_until
    if block is not None:
        doc["block"] = block.value
    # A running mute or a block against this member takes rights away: a revocation.
    muted = member.muted_until is not None and member.muted_until > datetime.now(UTC)
    priority = REVOKE if muted or block == BlockState.BLOCKED else GRANT
    sidebar = _sidebar_entry(r, member, block)
    writes = [
        Write(Target.FIRESTORE, f"rooms/{room_id}/members/{uid}", Op.SET, doc, priority),
        Write(Target.FIRESTORE, f"users/{uid}/rooms/{room_id}", Op.SET, sidebar, priority),
    ]
    if rtdb_enabled():
        path = f"roomMembers/{room_id}/{uid}"
        if block is not None:  # nobody types in a blocked direct room
            writes.append(Write(Target.RTDB, path, Op.DELETE, priority=REVOKE))
        else:
            writes.append(Write(Target.RTDB, path, Op.SET, _rtdb_flag(member), priority=priority))
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
        Write(Target.FIRESTORE, f"rooms/{room_id}/members/{uid}", Op.DELETE, priority=REVOKE),
        Write(Target.FIRESTORE, f"users/{uid}/rooms/{room_id}", Op.DELETE, priority=REVOKE),
    ]
    if rtdb_enabled():
        writes.append(
            Write(Target.RTDB, f"roomMembers/{room_id}/{uid}", Op.DELETE, priority=REVOKE)
        )
    return writes


def _sidebar_entry(
    r: Row[Any], member: Row[Any], block: BlockState | None = None
) -> dict[str, Any]:
    """users/{uid}/rooms/{roomId}: what the client's room list shows (hidden: archived by
    the member until the next message; block: see _block_states)."""
    entry: dict[str, Any] = {
        "roomId": r.id,
        "kind": r.kind,
        "name": r.name,
        "role": member.role,
        "joinedAt": member.joined_at,
        "hidden": member.hidden,
    }
    if block is not None:
        entry["block"] = block.value
    if r.direct_key:
        entry["members"] = r.direct_key.split(":")
    return entry
