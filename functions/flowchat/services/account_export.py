"""export_my_data: everything FlowChat holds about the caller, as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flowchat.adapters.tables import (
    blocks,
    devices,
    message_reports,
    muted_authors,
    notification_levels,
    room_members,
    rooms,
    users,
)
from flowchat.services import account_content, account_deletion, accounts
from flowchat.services.domain import NotificationLevel, Platform, ReportStatus, Role, RoomKind

# The Firestore fields of an authored message that the export keeps (as stored).
MESSAGE_FIELDS = ("kind", "text", "attachments", "parentId", "createdAt", "editedAt", "deletedAt")


@dataclass(frozen=True, slots=True)
class ExportedProfile:
    uid: str
    username: str
    email: str | None
    display_name: str
    avatar_url: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ExportedMembership:
    room_id: str
    kind: RoomKind
    name: str | None
    role: Role
    joined_at: datetime
    muted_until: datetime | None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A Firestore document of the caller's (a message or a reaction), with its fields as
    stored: Firestore's own values, timestamps included."""

    room_id: str
    message_id: str
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UserMark:
    """A user the caller blocked or muted, and since when."""

    user_id: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ExportedDevice:
    token: str
    platform: Platform
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RoomLevel:
    room_id: str
    level: NotificationLevel


@dataclass(frozen=True, slots=True)
class FiledReport:
    room_id: str
    message_id: str
    reason: str
    status: ReportStatus
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AccountExport:
    exported_at: datetime
    profile: ExportedProfile
    memberships: list[ExportedMembership]
    messages: list[StoredDocument]
    reactions: list[StoredDocument]
    blocks: list[UserMark]
    devices: list[ExportedDevice]
    notification_levels: list[RoomLevel]
    muted_users: list[UserMark]
    reports: list[FiledReport]


def export(session: Session, uid: str) -> AccountExport:
    """Profile, memberships, authored messages, reactions, blocks, devices and settings."""
    accounts.require_active_user(session, uid)
    return AccountExport(
        exported_at=datetime.now(UTC),
        profile=_profile(session, uid),
        memberships=_memberships(session, uid),
        messages=_messages(uid),
        reactions=_reactions(uid, account_deletion.rooms_of(session, uid)),
        blocks=_blocks(session, uid),
        devices=_devices(session, uid),
        notification_levels=_levels(session, uid),
        muted_users=_muted_users(session, uid),
        reports=_reports(session, uid),
    )


def _profile(session: Session, uid: str) -> ExportedProfile:
    r = session.execute(
        select(
            users.c.id,
            users.c.username,
            users.c.email,
            users.c.display_name,
            users.c.avatar_url,
            users.c.created_at,
        ).where(users.c.id == uid)
    ).one()
    return ExportedProfile(
        str(r.id), r.username, r.email, r.display_name, r.avatar_url, r.created_at
    )


def _memberships(session: Session, uid: str) -> list[ExportedMembership]:
    found = session.execute(
        select(
            rooms.c.id,
            rooms.c.kind,
            rooms.c.name,
            room_members.c.role,
            room_members.c.joined_at,
            room_members.c.muted_until,
        )
        .join(rooms, rooms.c.id == room_members.c.room_id)
        .where(room_members.c.user_id == uid)
        .order_by(room_members.c.joined_at)
    )
    return [
        ExportedMembership(
            str(r.id), RoomKind(r.kind), r.name, Role(r.role), r.joined_at, r.muted_until
        )
        for r in found
    ]


def _messages(uid: str) -> list[StoredDocument]:
    found = []
    for m in account_content.authored_messages(uid):
        doc = m.to_dict()
        kept = {k: doc[k] for k in MESSAGE_FIELDS if k in doc}
        found.append(StoredDocument(m.reference.parent.parent.id, m.id, kept))
    return sorted(found, key=lambda e: (e.room_id, str(e.fields.get("createdAt")), e.message_id))


def _reactions(uid: str, room_ids: list[str]) -> list[StoredDocument]:
    return [
        StoredDocument(
            r.reference.parent.parent.parent.parent.id, r.reference.parent.parent.id, r.to_dict()
        )
        for r in account_content.reactions(uid, room_ids)
    ]


def _blocks(session: Session, uid: str) -> list[UserMark]:
    found = session.execute(
        select(blocks.c.blocked_id, blocks.c.created_at).where(blocks.c.blocker_id == uid)
    )
    return [UserMark(str(r.blocked_id), r.created_at) for r in found]


def _devices(session: Session, uid: str) -> list[ExportedDevice]:
    found = session.execute(
        select(devices.c.token, devices.c.platform, devices.c.created_at).where(
            devices.c.user_id == uid
        )
    )
    return [ExportedDevice(r.token, Platform(r.platform), r.created_at) for r in found]


def _levels(session: Session, uid: str) -> list[RoomLevel]:
    found = session.execute(
        select(notification_levels.c.room_id, notification_levels.c.level).where(
            notification_levels.c.user_id == uid
        )
    )
    return [RoomLevel(str(r.room_id), NotificationLevel(r.level)) for r in found]


def _muted_users(session: Session, uid: str) -> list[UserMark]:
    found = session.execute(
        select(muted_authors.c.author_id, muted_authors.c.created_at).where(
            muted_authors.c.user_id == uid
        )
    )
    return [UserMark(str(r.author_id), r.created_at) for r in found]


def _reports(session: Session, uid: str) -> list[FiledReport]:
    found = session.execute(
        select(
            message_reports.c.room_id,
            message_reports.c.message_id,
            message_reports.c.reason,
            message_reports.c.status,
            message_reports.c.created_at,
        ).where(message_reports.c.reporter_id == uid)
    )
    return [
        FiledReport(str(r.room_id), r.message_id, r.reason, ReportStatus(r.status), r.created_at)
        for r in found
    ]
