"""The audit log: one row per login, token minted and membership change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from flowchat.adapters.tables import audit_log

# Every action the log records (the audit_log.action column); mypy refuses any other.
Action = Literal[
    "register",
    "login",
    "login_failed",
    "token_minted",
    "profile_updated",
    "password_changed",
    "password_check_failed",
    "account_deleted",
    "add_policy_set",
    "user_blocked",
    "user_unblocked",
    "room_created",
    "room_renamed",
    "room_hidden",
    "room_shown",
    "room_closed",
    "owner_handed_over",
    "member_added",
    "member_invited",
    "invitation_accepted",
    "invitation_declined",
    "member_removed",
    "member_left",
    "role_set",
    "member_muted",
    "member_unmuted",
    "member_banned",
    "member_unbanned",
    "message_reported",
    "report_resolved",
    "upload_infected",
]


def record(
    session: Session,
    action: Action,
    actor_id: str | None,
    *,
    room_id: str | None = None,
    target_id: str | None = None,
    client_address: str | None = None,
    **details: Any,
) -> None:
    """Append an audit row in the caller's transaction."""
    session.execute(
        insert(audit_log).values(
            action=action,
            actor_id=actor_id,
            room_id=room_id,
            target_id=target_id,
            client_address=client_address,
            details=details,
        )
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit row, for record_all."""

    action: Action
    actor_id: str | None
    room_id: str | None = None
    target_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def record_all(session: Session, entries: Sequence[Entry]) -> None:
    """Append several audit rows in one INSERT (one round trip however many members)."""
    if not entries:
        return
    rows = [
        {
            "action": e.action,
            "actor_id": e.actor_id,
            "room_id": e.room_id,
            "target_id": e.target_id,
            "client_address": None,
            "details": e.details,
        }
        for e in entries
    ]
    session.execute(insert(audit_log).values(rows))


def creation_targets(session: Session, room_id: str, creator_id: str) -> set[str] | None:
    """The users a group's creation added or invited (rows of its own transaction, which
    share its `at`), or None when the room_created row is gone."""
    created_at = (
        select(audit_log.c.at)
        .where(audit_log.c.room_id == room_id, audit_log.c.action == "room_created")
        .scalar_subquery()
    )
    if session.execute(select(created_at)).scalar() is None:
        return None
    found = session.execute(
        select(audit_log.c.target_id).where(
            audit_log.c.room_id == room_id,
            audit_log.c.actor_id == creator_id,
            audit_log.c.action.in_(("member_added", "member_invited")),
            audit_log.c.at == created_at,
        )
    ).scalars()
    return {str(t) for t in found}
