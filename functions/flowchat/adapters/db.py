"""The SQLAlchemy engine and session factory, created lazily on first use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from flowchat import config

_lock = threading.Lock()
_engine: Engine | None = None
_sessions: sessionmaker[Session] | None = None


def _create_engine() -> Engine:
    """Engine from DATABASE_URL locally, through the Cloud SQL connector in production."""
    pool = {"pool_size": config.DB_POOL_SIZE.value, "max_overflow": 2, "pool_pre_ping": True}
    url = config.DATABASE_URL.value
    if url:
        return create_engine(url, **pool)
    from flowchat.adapters.cloudsql import connection_creator

    return create_engine("postgresql+pg8000://", creator=connection_creator(), **pool)


def engine() -> Engine:
    """The process-wide engine (one pool per function instance)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _create_engine()
        return _engine


def sessions() -> sessionmaker[Session]:
    """The session factory every unit of work uses."""
    global _sessions
    if _sessions is None:
        _sessions = sessionmaker(bind=engine(), expire_on_commit=False)
    return _sessions


@contextmanager
def sessions_bound_to(factory: sessionmaker[Session]) -> Iterator[None]:
    """Use another session factory for a while (tests join an outer transaction)."""
    global _sessions
    previous = _sessions
    _sessions = factory
    try:
        yield
    finally:
        _sessions = previous
