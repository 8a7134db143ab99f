"""Common CloudEvent attributes and the change kind of a before / after pair."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any


def change_kind(before: Any, after: Any) -> str:
    """ "created", "updated" or "deleted" (before / after None = absent)."""
    if before is None:
        return "created"
    return "deleted" if after is None else "updated"


def wants(trigger_change: str, kind: str) -> bool:
    """Whether a trigger on ``trigger_change`` ("written", ...) receives a ``kind`` change."""
    return trigger_change in ("written", kind)


def base_attributes(event_type: str, source: str, subject: str, time: datetime) -> dict[str, Any]:
    """specversion, id, source, type, subject and time, as Eventarc sets them."""
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "type": event_type,
        "subject": subject,
        "time": rfc3339(time),
    }


def rfc3339(time: datetime) -> str:
    """UTC time with microseconds and a Z, which the SDK's parser accepts."""
    return time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
