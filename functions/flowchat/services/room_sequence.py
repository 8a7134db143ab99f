"""The room's message sequence (PostgreSQL rooms.message_seq), for unread counts.

Bumped once per new top-level message, in the transaction that claims the message event,
so a redelivered event is not counted twice. Mirrored to rooms/{roomId}.messageSeq by the
room summary; a member's receipt keeps the sequence seen (lastReadSeq).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from flowchat.adapters.tables import rooms


def next_seq(session: Session, room_id: str) -> int | None:
    """The room's sequence after one more message; None for a room PostgreSQL lacks."""
    bumped = session.execute(
        update(rooms)
        .where(rooms.c.id == room_id)
        .values(message_seq=rooms.c.message_seq + 1)
        .returning(rooms.c.message_seq)
    ).scalar()
    return int(bumped) if bumped is not None else None
