"""Who is online, read from the Realtime Database's status/{uid}/connections."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from firebase_admin import db

from flowchat import config
from flowchat.adapters import firebase_app

MAX_PARALLEL_READS = 16


def online_users(user_ids: list[str]) -> set[str]:
    """The users with at least one presence session (shallow reads, in parallel).

    Without a configured RTDB_URL nobody counts as online.
    """
    url = config.RTDB_URL.value
    if not url or not user_ids:
        return set()
    app = firebase_app.app()

    def has_session(uid: str) -> bool:
        sessions = db.reference(f"status/{uid}/connections", app=app, url=url).get(shallow=True)
        return isinstance(sessions, dict) and bool(sessions)

    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_READS, len(user_ids))) as pool:
        flags = list(pool.map(has_session, user_ids))
    return {uid for uid, online in zip(user_ids, flags, strict=True) if online}
