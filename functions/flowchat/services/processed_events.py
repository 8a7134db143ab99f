"""Event ids of handled trigger deliveries, so a redelivered event changes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Column, DateTime, FetchedValue, MetaData, Table, Text, delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

# Mirrors sql/0008_message_index_lifecycle.sql.
processed_events = Table(
    "processed_events",
    MetaData(),
    Column("event_id", Text, primary_key=True),
    Column("handler", Text, nullable=False),
    Column("processed_at", DateTime(timezone=True), server_default=FetchedValue()),
)


def claim(session: Session, event_id: str, handler: str) -> bool:
    """Record the event in the caller's transaction; False if it was handled before.

    The row commits only with the handler's own changes, so a failed run is retried.
    """
    claimed = session.execute(
        insert(processed_events)
        .values(event_id=f"{handler}:{event_id}", handler=handler)
        .on_conflict_do_nothing()
        .returning(processed_events.c.event_id)
    ).first()
    return claimed is not None


def prune(session: Session, older_than: timedelta) -> int:
    """Forget events handled longer ago than the retry window; returns how many."""
    stale = processed_events.c.processed_at < func.now() - older_than
    result = session.execute(delete(processed_events).where(stale))
    return int(getattr(result, "rowcount", 0) or 0)
