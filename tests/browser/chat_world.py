"""What the browser tests expect of the rules suite's seeded world (tests/rules/world.py)."""

from __future__ import annotations

import datetime as dt

from tests.rules.world import seed_documents

SERVER_TIME = {"$serverTimestamp": True}  # serverTimestamp() in a page's data
MESSAGES_BY_TIME = {"collection": "rooms/r1/messages", "orderBy": [["createdAt", "asc"]]}


def messages_in_order(now: dt.datetime) -> list[str]:
    """r1's seeded messages as Firestore orders them: createdAt, then document id."""
    prefix = "rooms/r1/messages/"
    found = [
        (data["createdAt"], path.removeprefix(prefix))
        for path, data in seed_documents(now).items()
        if path.startswith(prefix) and "/" not in path.removeprefix(prefix)
    ]
    return [message_id for _, message_id in sorted(found)]
