"""Throw-away PostgreSQL databases beside the test session's shared one."""

from __future__ import annotations

from sqlalchemy import create_engine, text


def fresh_database(database_url: str, name: str) -> str:
    """Create an empty database next to the shared one; returns its URL."""
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return database_url.replace("@/postgres?", f"@/{name}?")
