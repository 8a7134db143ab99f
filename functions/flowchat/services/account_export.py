"""export_my_data: everything FlowChat holds about the caller, as one JSON document."""

from __future__ import annotations

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

FORMAT = "flowchat-export-1"
MESSAGE_FIELDS = ("kind", "text", "attachments", "parentId", "createdAt", "editedAt", "deletedAt")


def export(session: Session, uid: str) -> dict[str, Any]:
    """Profile, memberships, authored messages, reactions, blocks, devices and settings."""
    accounts.require_active_user(session, uid)
    return _json(
        {
            "format": FORMAT,
            "exportedAt": datetime.now(UTC),
            "profile": _profile(session, uid),
            "memberships": _memberships(session, uid),
            "messages": _messages(uid),
            "reactions": _reactions(uid, account_deletion.rooms_of(session, uid)),
            "blocks": _rows(
                session,
                select(
                    blocks.c.blocked_id.label("userId"), blocks.c.created_at.label("createdAt")
                ).where(blocks.c.blocker_id == uid),
            ),
            "devices": _rows(
                session,
                select(
                    devices.c.token, devices.c.platform, devices.c.created_at.label("createdAt")
                ).where(devices.c.user_id == uid),
            ),
            "notificationLevels": _rows(
                session,
                select(
                    notification_levels.c.room_id.label("roomId"), notification_levels.c.level
                ).where(notification_levels.c.user_id == uid),
            ),
            "mutedUsers": _rows(
                session,
                select(
                    muted_authors.c.author_id.label("userId"),
                    muted_authors.c.created_at.label("createdAt"),
                ).where(muted_authors.c.user_id == uid),
            ),
            "reports": _rows(
                session,
                select(
                    message_reports.c.room_id.label("roomId"),
                    message_reports.c.message_id.label("messageId"),
                    message_reports.c.reason,
                    message_reports.c.status,
                    message_reports.c.created_at.label("createdAt"),
                ).where(message_reports.c.reporter_id == uid),
            ),
        }
    )


def _profile(session: Session, uid: str) -> dict[str, Any]:
    row = session.execute(
        select(
            users.c.id.label("uid"),
            users.c.username,
            users.c.email,
            users.c.display_name.label("displayName"),
            users.c.avatar_url.label("avatarUrl"),
            users.c.created_at.label("createdAt"),
        ).where(users.c.id == uid)
    ).one()
    return dict(row._mapping)


def _memberships(session: Session, uid: str) -> list[dict[str, Any]]:
    return _rows(
        session,
        select(
            rooms.c.id.label("roomId"),
            rooms.c.kind,
            rooms.c.name,
            room_members.c.role,
            room_members.c.joined_at.label("joinedAt"),
            room_members.c.muted_until.label("mutedUntil"),
        )
        .join(rooms, rooms.c.id == room_members.c.room_id)
        .where(room_members.c.user_id == uid)
        .order_by(room_members.c.joined_at),
    )


def _messages(uid: str) -> list[dict[str, Any]]:
    found = []
    for m in account_content.authored_messages(uid):
        doc = m.to_dict()
        room_id = m.reference.parent.parent.id
        entry = {"roomId": room_id, "messageId": m.id}
        entry.update({k: doc[k] for k in MESSAGE_FIELDS if k in doc})
        found.append(entry)
    return sorted(found, key=lambda e: (e["roomId"], str(e.get("createdAt")), e["messageId"]))


def _reactions(uid: str, room_ids: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "roomId": r.reference.parent.parent.parent.parent.id,
            "messageId": r.reference.parent.parent.id,
            **r.to_dict(),
        }
        for r in account_content.reactions(uid, room_ids)
    ]


def _rows(session: Session, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(query)]


def _json(value: Any) -> Any:
    """Times as ISO 8601 strings, ids as strings: what a JSON file can hold."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
