"""Presence and typing in the Realtime Database: who is online, and what is stale.

status/{uid}/connections/{sessionId} = {startedAt, lastActive, device?}, lastSeen (ms);
typing/{roomId}/{uid} = ms. Pure functions over those trees; the callers do the I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Presence:
    """What users/{uid} mirrors for clients that only use Firestore."""

    online: bool
    last_seen: datetime | None


def presence_of(status: Any) -> Presence:
    """Online while any connection exists; lastSeen as the client's onDisconnect left it."""
    status = status if isinstance(status, dict) else {}
    connections = status.get("connections")
    online = isinstance(connections, dict) and bool(connections)
    return Presence(online, from_millis(status.get("lastSeen")))


def mirrored(status: Any) -> Presence:
    """What users/{uid} should show: online, or offline since lastSeen.

    While online, lastSeen is not shown (a closing second tab changes it, a heartbeat
    changes only lastActive): the mirror changes only when the user goes online or
    offline, or lastSeen moves while offline."""
    state = presence_of(status)
    return Presence(True, None) if state.online else state


def from_millis(value: Any) -> datetime | None:
    """A UTC datetime from RTDB milliseconds (None for anything else)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value / 1000, UTC)


def users_with_stale_connections(status_tree: Any, cutoff_ms: int) -> list[str]:
    """Uids having a connection idle since before the cutoff (read once, then re-checked)."""
    return [
        uid
        for uid, status in _children(status_tree)
        if isinstance(status, dict)
        and any(_last_active(c) < cutoff_ms for _, c in _children(status.get("connections")))
    ]


def without_stale_connections(status: Any, cutoff_ms: int) -> Any:
    """status/{uid} with connections idle since before the cutoff removed.

    A user left without connections gets lastSeen = their newest removed lastActive, which
    is about what their lost onDisconnect would have written.
    """
    if not isinstance(status, dict):
        return status
    connections = dict(_children(status.get("connections")))
    stale = {s: c for s, c in connections.items() if _last_active(c) < cutoff_ms}
    if not stale:
        return status
    kept = {s: c for s, c in connections.items() if s not in stale}
    result = {k: v for k, v in status.items() if k != "connections"}
    if kept:
        result["connections"] = kept
    newest = max(_last_active(c) for c in stale.values())
    if not kept and newest > _number(status.get("lastSeen")):
        result["lastSeen"] = int(newest)
    return result or None


def stale_typing_updates(typing_tree: Any, now_ms: int, bound_seconds: int) -> dict[str, Any]:
    """Multi-path update removing typing entries older than the bound (or malformed)."""
    cutoff = now_ms - bound_seconds * 1000
    return {
        f"typing/{room_id}/{uid}": None
        for room_id, typers in _children(typing_tree)
        for uid, since in _children(typers)
        if _number(since) < cutoff
    }


def without_stale_typing(typers: Any, cutoff_ms: float) -> Any:
    """typing/{roomId} without entries older than the cutoff or malformed (None if empty)."""
    kept = {uid: since for uid, since in _children(typers) if _number(since) >= cutoff_ms}
    return kept or None


def _children(node: Any) -> list[tuple[str, Any]]:
    return list(node.items()) if isinstance(node, dict) else []


def _last_active(connection: Any) -> float:
    if not isinstance(connection, dict):
        return 0
    return _number(connection.get("lastActive", connection.get("startedAt")))


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0
