"""Fixtures for the integration tier: a migrated PostgreSQL, per-test rollback, callables."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import sessionmaker

# Emulator-mode Firebase Admin: unsigned custom tokens, unsigned ID tokens accepted.
os.environ.setdefault("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
# Cheap password hashing keeps the suite fast; production keeps the argon2 defaults.
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_KIB", "8192")
os.environ.setdefault("FIRESTORE_WRITE_TIMEOUT_SECONDS", "5")


@pytest.fixture(scope="session")
def migrated_url(database_url: str) -> str:
    """The shared PostgreSQL with every migration applied; DATABASE_URL points at it."""
    from flowchat.migrate import migrate

    engine = create_engine(database_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    os.environ["DATABASE_URL"] = database_url
    return database_url


@pytest.fixture(scope="session")
def engine(migrated_url: str) -> Iterator[Engine]:
    """The application's own engine (flowchat.adapters.db), built from DATABASE_URL."""
    from flowchat.adapters import db

    yield db.engine()


@pytest.fixture
def rollback(engine: Engine) -> Iterator[None]:
    """Every unit of work in the test joins one outer transaction, rolled back afterwards."""
    from flowchat.adapters import db

    with engine.connect() as conn:
        outer = conn.begin()
        factory = sessionmaker(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        with db.sessions_bound_to(factory):
            yield
        outer.rollback()


def scalar(engine_or_conn: Engine, sql: str, **params: object) -> object:
    """One value from a committed-state query (helper for concurrency tests)."""
    with engine_or_conn.connect() as conn:
        return conn.execute(text(sql), params).scalar()
