"""Scheduled clean-up: stale presence connections, stale typing entries, old event ids."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from firebase_admin import db

from flowchat import config
from flowchat.adapters import firebase_app
from flowchat.services import presence, processed_events
from flowchat.services.message_params import (
    PRESENCE_STALE_SECONDS,
    PROCESSED_EVENTS_RETENTION_DAYS,
    TYPING_STALE_SECONDS,
)
from flowchat.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


def clean_up(now_ms: int | None = None) -> dict[str, int]:
    """Remove what lost its onDisconnect; returns how many users, entries and event ids."""
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    removed = {"users": 0, "typing": 0}
    root = _rtdb_root()
    if root is not None:
        removed["users"] = _drop_stale_connections(
            root, now_ms - PRESENCE_STALE_SECONDS.value * 1000
        )
        removed["typing"] = _drop_stale_typing(root, now_ms, TYPING_STALE_SECONDS.value)
    with unit_of_work() as session:
        days = timedelta(days=PROCESSED_EVENTS_RETENTION_DAYS.value)
        removed["events"] = processed_events.prune(session, days)
    log.info("clean-up removed %s", removed)
    return removed


def _drop_stale_connections(root: Any, cutoff_ms: int) -> int:
    """One transaction per affected user, so a heartbeat racing the clean-up wins."""
    uids = presence.users_with_stale_connections(root.child("status").get(), cutoff_ms)
    for uid in uids:
        root.child(f"status/{uid}").transaction(
            lambda current: presence.without_stale_connections(current, cutoff_ms)
        )
    return len(uids)


def _drop_stale_typing(root: Any, now_ms: int, bound_seconds: int) -> int:
    """One transaction per affected room, so an entry refreshed meanwhile is kept."""
    stale = presence.stale_typing_updates(root.child("typing").get(), now_ms, bound_seconds)
    cutoff_ms = now_ms - bound_seconds * 1000
    for room_id in sorted({path.split("/")[1] for path in stale}):
        # {} rather than None: the Admin SDK refuses None, and an empty map is a delete.
        root.child(f"typing/{room_id}").transaction(
            lambda typers: presence.without_stale_typing(typers, cutoff_ms) or {}
        )
    return len(stale)


def _rtdb_root() -> Any:
    url = config.RTDB_URL.value
    if not url:
        log.warning("RTDB_URL is not configured: presence and typing clean-up skipped")
        return None
    return db.reference("/", app=firebase_app.app(), url=url)
