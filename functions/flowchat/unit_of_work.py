"""One transaction per request; projection rows it queued are applied right after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from flowchat.adapters import db
from flowchat.adapters.db_errors import is_unavailable
from flowchat.services import outbox

log = logging.getLogger(__name__)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit on success, roll back on any exception, then project what was committed."""
    with db.sessions()() as session:
        with session.begin():
            yield session
        queued = outbox.queued_ids(session)
    # Failures are recorded on the rows and retried by the drain; the change stands.
    try:
        outbox.apply(queued)
    except SQLAlchemyError as err:
        # The commit succeeded: answering with an error would make the client retry a
        # change that is already done. The rows are pending; the drain applies them.
        if not is_unavailable(err):
            raise
        log.warning("database lost after commit; projection left for the drain: %s", err)


@contextmanager
def read_only() -> Iterator[Session]:
    """For calls that only read: each statement sees committed data on its own (autocommit),
    saving the BEGIN and COMMIT round trips; nothing is written, so nothing is projected."""
    with db.autocommit_session() as session:
        yield session
