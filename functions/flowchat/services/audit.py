"""The audit log: one row per login, token minted and membership change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import audit_log


def record(
    session: Session,
    action: str,
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
