"""reactionCounts on a message: {emoji: n}, kept by the reaction trigger.

Each reaction document write moves the counts by its difference (an added emoji +1, a
removed one -1, a changed one both) with server-side increments: one field update of the
message, no read. Redelivered events are skipped by the event-id claim in PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from google.api_core.exceptions import NotFound
from google.cloud import firestore
from google.cloud.firestore_v1.field_path import FieldPath


def changes(before: str | None, after: str | None) -> dict[str, int]:
    """emoji -> count change for a reaction going from ``before`` to ``after``."""
    if before == after:
        return {}
    delta: dict[str, int] = {}
    if before is not None:
        delta[before] = -1
    if after is not None:
        delta[after] = delta.get(after, 0) + 1
    return delta


def apply(message_ref: Any, delta: dict[str, int]) -> bool:
    """Increment the message's counts; False if nothing to do or the message is gone."""
    if not delta:
        return False
    fields = {
        FieldPath("reactionCounts", emoji).to_api_repr(): firestore.Increment(n)
        for emoji, n in delta.items()
    }
    try:
        message_ref.update(fields)
    except NotFound:
        return False
    return True
