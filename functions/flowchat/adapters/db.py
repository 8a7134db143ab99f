"""The SQLAlchemy engine and session factory, created lazily on first use."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from flowchat import config
from flowchat.adapters import pg8000_paramstyle

# A pooled connection idle longer than this is pinged before use (Cloud SQL and proxies drop
# idle connections after minutes); a busy one is not: a ping on every checkout is one more
# round trip per request, the largest part of a one-statement callable's time.
PING_AFTER_IDLE_SECONDS = 10.0

_lock = threading.Lock()
_engine: Engine | None = None
_sessions: sessionmaker[Session] | None = None
_default_sessions: sessionmaker[Session] | None = None


def _create_engine() -> Engine:
    """Engine from DATABASE_URL locally, through the Cloud SQL connector in production."""
    pg8000_paramstyle.install()
    pool = {"pool_size": config.DB_POOL_SIZE.value, "max_overflow": 2}
    url = config.DATABASE_URL.value
    if url:
        created = create_engine(url, **pool)
    else:
        from flowchat.adapters.cloudsql import connection_creator

        created = create_engine("postgresql+pg8000://", creator=connection_creator(), **pool)
    event.listen(created, "checkin", _note_idle_since)
    event.listen(created, "checkout", _ping_if_idle)
    return created


def _note_idle_since(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Check a connection that sat idle; a dead one is replaced by the pool (it retries the
    checkout on DisconnectionError), so callers never see a stale connection."""
    if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    except Exception as exc:  # any driver or socket error means the connection is gone
        raise DisconnectionError(str(exc)) from exc


def engine() -> Engine:
    """The process-wide engine (one pool per function instance)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _create_engine()
        return _engine


def sessions() -> sessionmaker[Session]:
    """The session factory every unit of work uses."""
    global _sessions, _default_sessions
    if _sessions is None:
        _sessions = _default_sessions = sessionmaker(bind=engine(), expire_on_commit=False)
    return _sessions


@contextmanager
def autocommit_session() -> Iterator[Session]:
    """A session for reads only: each statement is its own implicit transaction, so no
    BEGIN / COMMIT round trips. Under sessions_bound_to (tests) it is a plain session of
    that factory, joining the outer transaction."""
    factory = sessions()
    if factory is not _default_sessions:
        with factory() as session:
            yield session
        return
    with factory() as session:
        # pg8000 starts a transaction lazily on the first statement unless autocommit is
        # set; SQLAlchemy's own begin/rollback are no-ops at the driver level then.
        driver = session.connection().connection.driver_connection
        assert driver is not None  # a checked-out connection always has its driver's
        driver.autocommit = True
        try:
            yield session
        finally:
            driver.autocommit = False


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
