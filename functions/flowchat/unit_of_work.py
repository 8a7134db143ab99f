"""One transaction per request; projection rows it queued are applied right after commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from flowchat.adapters import db
from flowchat.services import outbox


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit on success, roll back on any exception, then project what was committed."""
    with db.sessions()() as session:
        with session.begin():
            yield session
        queued = outbox.queued_ids(session)
    # Failures are recorded on the rows and retried by the drain; the change stands.
    outbox.apply(queued)
