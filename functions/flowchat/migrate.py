"""Applies sql/NNNN_*.sql in order, once each, recorded in schema_migrations.

Usage: python -m flowchat.migrate [--sql-dir DIR] (DATABASE_URL or the Cloud SQL params).
A session-level advisory lock makes concurrent runners wait for each other.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sqlalchemy import Connection, Engine, text

DEFAULT_SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Arbitrary constant shared by every runner: "flowchat" in ASCII.
ADVISORY_LOCK_KEY = 0x666C6F7763686174

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def pending_files(sql_dir: Path, applied: set[str]) -> list[Path]:
    """Migration files not yet applied, in version order."""
    files = sorted(p for p in sql_dir.iterdir() if MIGRATION_NAME.match(p.name))
    return [p for p in files if p.name[:4] not in applied]


def _applied_versions(conn: Connection) -> set[str]:
    return set(conn.execute(text("SELECT version FROM schema_migrations")).scalars())


def _apply(conn: Connection, path: Path) -> None:
    """Run one file and record it in a single implicit transaction (simple-query protocol)."""
    # The file holds many statements, which only the simple-query protocol accepts; the
    # bookkeeping values come from a file name already matched against MIGRATION_NAME.
    script = (
        path.read_text()
        + f"\n;INSERT INTO schema_migrations (version, name) VALUES ('{path.name[:4]}', "
        f"'{path.name}');"
    )
    conn.connection.dbapi_connection.execute_simple(script)  # type: ignore[union-attr]


def migrate(engine: Engine, sql_dir: Path = DEFAULT_SQL_DIR) -> list[str]:
    """Apply pending migrations; returns the names applied by this call."""
    applied_now: list[str] = []
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        conn.commit()
        try:
            conn.execute(text(_CREATE_LEDGER))
            conn.commit()
            for path in pending_files(sql_dir, _applied_versions(conn)):
                conn.commit()  # the script must start outside any open transaction
                _apply(conn, path)
                applied_now.append(path.name)
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
            conn.commit()
    return applied_now


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sql-dir", type=Path, default=DEFAULT_SQL_DIR)
    args = parser.parse_args()
    from flowchat.adapters.db import engine

    applied = migrate(engine(), args.sql_dir)
    print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")


if __name__ == "__main__":
    main()
