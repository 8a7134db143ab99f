"""FCM registration tokens per user: register, unregister, prune the ones FCM rejects."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import devices
from flowchat.services import accounts
from flowchat.services.domain import Platform

MAX_TOKEN = 4096
MAX_DEVICES_PER_USER = 20


def register(session: Session, uid: str, token: str, platform: Platform) -> None:
    """Store the token for uid (a token another user registered moves to uid)."""
    accounts.require_active_user(session, uid)
    session.execute(
        insert(devices)
        .values(token=token, user_id=uid, platform=platform.value)
        .on_conflict_do_update(
            index_elements=[devices.c.token],
            set_={"user_id": uid, "platform": platform.value, "updated_at": func.now()},
        )
    )
    _keep_newest(session, uid)


def unregister(session: Session, uid: str, token: str) -> bool:
    """Forget the caller's token; True if it was theirs."""
    removed = session.execute(
        delete(devices)
        .where(devices.c.token == token, devices.c.user_id == uid)
        .returning(devices.c.token)
    ).first()
    return removed is not None


def tokens_of(session: Session, user_ids: Iterable[str]) -> dict[str, list[str]]:
    """uid -> that user's tokens."""
    found: dict[str, list[str]] = {}
    rows = session.execute(
        select(devices.c.user_id, devices.c.token).where(devices.c.user_id.in_(list(user_ids)))
    )
    for r in rows:
        found.setdefault(r.user_id, []).append(r.token)
    return found


def prune(session: Session, tokens: list[str]) -> int:
    """Delete tokens FCM reported dead; returns how many."""
    if not tokens:
        return 0
    gone = session.execute(
        delete(devices).where(devices.c.token.in_(tokens)).returning(devices.c.token)
    )
    return len(gone.all())


def _keep_newest(session: Session, uid: str) -> None:
    """A user keeps their newest MAX_DEVICES_PER_USER tokens (old installs fade out)."""
    stale = (
        select(devices.c.token)
        .where(devices.c.user_id == uid)
        .order_by(devices.c.updated_at.desc(), devices.c.token)
        .offset(MAX_DEVICES_PER_USER)
    )
    session.execute(delete(devices).where(devices.c.token.in_(stale)))
