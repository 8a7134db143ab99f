"""The seeded Realtime Database every RTDB rules test starts from (actors as in world.py)."""

from __future__ import annotations

from typing import Any

from tests.rules.world import DIRECT_PAIR, ROLES, USERS


def seed_tree(now_ms: int) -> dict[str, Any]:
    """Membership mirror of r1, r2 and d1, and a typing entry and a session for every uid."""
    session = {"startedAt": now_ms - 5000, "lastActive": now_ms - 1000, "device": "web"}
    return {
        "roomMembers": {
            "r1": dict.fromkeys(ROLES, True),
            "r2": {"sam": True},
            "d1": dict.fromkeys(DIRECT_PAIR, True),
        },
        "typing": {"r1": dict.fromkeys(USERS, now_ms - 1000), "r2": {"sam": now_ms - 1000}},
        "status": {
            uid: {"connections": {"s1": session}, "lastSeen": now_ms - 60000} for uid in USERS
        },
    }
