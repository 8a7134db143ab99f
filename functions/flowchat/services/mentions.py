"""@mentions on a message: only members of the room stay mentioned.

The rules check the list's shape (at most 10 distinct ids) but not membership: an
exists() per mention would cost up to 10 more rule reads on every message. The message
trigger checks the list against PostgreSQL in one query instead and, only when it named
someone who is not a member, rewrites it without them (one write, on bad input only).
"""

from __future__ import annotations

from typing import Any

from google.api_core.exceptions import NotFound
from sqlalchemy.orm import Session

from flowchat.services import membership


def keep_members(session: Session, message_ref: Any, room_id: str, doc: dict[str, Any]) -> bool:
    """Drop non-members from the message's mentions; True if the message was rewritten."""
    listed = doc.get("mentions")
    if not isinstance(listed, list) or not listed:
        return False
    names = [uid for uid in listed if isinstance(uid, str)]
    members = membership.members_among(session, room_id, names)
    kept = [uid for uid in names if uid in members]
    if kept == listed:
        return False
    try:
        message_ref.update({"mentions": kept})
    except NotFound:
        return False
    return True
