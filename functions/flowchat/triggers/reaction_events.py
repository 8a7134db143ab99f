"""rooms/{roomId}/messages/{messageId}/reactions/{uid} written: the message's reactionCounts.

The event id is claimed in PostgreSQL in the same unit of work as the count update is
sent, so a redelivered event changes nothing and a failed run is retried.
"""

from __future__ import annotations

from typing import Any

from firebase_functions import firestore_fn

from flowchat.adapters import firebase_app
from flowchat.services import processed_events, reaction_counts
from flowchat.unit_of_work import unit_of_work

HANDLER = "reaction_written"

Event = firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]


def on_reaction_written(event: Event) -> None:
    """Move the message's reactionCounts by this reaction's change."""
    delta = reaction_counts.changes(_emoji(event.data.before), _emoji(event.data.after))
    if not delta:
        return
    room_id, message_id = event.params["roomId"], event.params["messageId"]
    with unit_of_work() as session:
        if not processed_events.claim(session, event.id, HANDLER):
            return
        message = firebase_app.firestore_client().document(f"rooms/{room_id}/messages/{message_id}")
        reaction_counts.apply(message, delta)


def _emoji(snapshot: Any) -> str | None:
    data = snapshot.to_dict() if snapshot is not None and snapshot.exists else None
    emoji = (data or {}).get("emoji")
    return emoji if isinstance(emoji, str) else None
