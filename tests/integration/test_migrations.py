"""Migrations apply in order, once, and under concurrent runners."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flowchat.migrate import DEFAULT_SQL_DIR, migrate, pending_files
from pg8000.exceptions import DatabaseError
from sqlalchemy import create_engine, text

from tests.support.databases import fresh_database

EXPECTED_TABLES = {
    "users",
    "rooms",
    "room_members",
    "blocks",
    "audit_log",
    "outbox",
    "login_throttle",
    "message_index",
    "schema_migrations",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        names = set(rows.scalars())
    engine.dispose()
    return names


def test_every_file_is_numbered_and_found() -> None:
    files = pending_files(DEFAULT_SQL_DIR, set())
    assert [p.name[:4] for p in files] == [f"{i:04d}" for i in range(1, len(files) + 1)]


def test_migrate_twice_applies_once(database_url: str) -> None:
    url = fresh_database(database_url, "migrate_twice")
    engine = create_engine(url)
    first = migrate(engine)
    second = migrate(engine)
    with engine.connect() as conn:
        versions = list(conn.execute(text("SELECT version FROM schema_migrations ORDER BY 1")))
    engine.dispose()
    assert first == [p.name for p in pending_files(DEFAULT_SQL_DIR, set())]
    assert second == []
    assert len(versions) == len(first)
    assert EXPECTED_TABLES <= _tables(url)


def test_two_concurrent_runners_apply_each_file_once(database_url: str) -> None:
    url = fresh_database(database_url, "migrate_concurrent")
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        engine = create_engine(url)
        try:
            results.append(migrate(engine))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    applied = sorted(name for result in results for name in result)
    assert applied == [p.name for p in pending_files(DEFAULT_SQL_DIR, set())]
    assert EXPECTED_TABLES <= _tables(url)


def test_a_failing_migration_leaves_nothing_behind(database_url: str, tmp_path: Path) -> None:
    url = fresh_database(database_url, "migrate_failing")
    (tmp_path / "0001_good.sql").write_text("CREATE TABLE good (id int);")
    (tmp_path / "0002_bad.sql").write_text("CREATE TABLE half (id int);\nSELECT nonsense;")
    engine = create_engine(url)
    with pytest.raises(DatabaseError, match="nonsense"):
        migrate(engine, tmp_path)
    with engine.connect() as conn:
        versions = list(conn.execute(text("SELECT version FROM schema_migrations")).scalars())
    engine.dispose()
    assert versions == ["0001"]
    assert "half" not in _tables(url) and "good" in _tables(url)


def test_command_line_runner(database_url: str) -> None:
    url = fresh_database(database_url, "migrate_cli")
    env = {**os.environ, "DATABASE_URL": url}
    functions_dir = Path(__file__).resolve().parents[2] / "functions"
    command = [sys.executable, "-m", "flowchat.migrate"]
    first = subprocess.run(
        command, cwd=functions_dir, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    again = subprocess.run(
        command, cwd=functions_dir, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    count = len(pending_files(DEFAULT_SQL_DIR, set()))
    assert first.stdout.startswith(f"applied {count} migration(s): 0001_")
    assert again.stdout.strip() == "applied 0 migration(s): none pending"
    assert EXPECTED_TABLES <= _tables(url)


def test_username_skeletons_are_backfilled_oldest_first(database_url: str, tmp_path: Path) -> None:
    """0015 gives existing accounts the skeleton names.skeleton() computes; of accounts
    that already look alike, the oldest keeps it and the later ones are left NULL."""
    import shutil

    from flowchat.services import names

    before = tmp_path / "before"
    before.mkdir()
    for path in pending_files(DEFAULT_SQL_DIR, set()):
        if path.name < "0015":
            shutil.copy(path, before / path.name)
    url = fresh_database(database_url, "skeleton_backfill")
    engine = create_engine(url)
    migrate(engine, before)
    existing = ["mia", "rnia", "Bob", "b0b", "alice", "ALICE_1.x"]
    with engine.begin() as conn:
        for age, username in enumerate(existing):
            conn.execute(
                text(
                    "INSERT INTO users (username, password_hash, display_name, created_at) "
                    "VALUES (:u, '$argon2id$x', :u, now() - make_interval(mins => :age))"
                ),
                {"u": username, "age": 100 - age},
            )
    migrate(engine)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT username, username_skeleton FROM users")).all())
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_."
        sql_skeleton = conn.execute(
            text("SELECT replace(translate(lower(:a), '01', 'ol'), 'm', 'rn')"), {"a": alphabet}
        ).scalar_one()
    engine.dispose()
    assert sql_skeleton == names.skeleton(alphabet)
    assert stored == {
        "mia": names.skeleton("mia"),
        "rnia": None,  # younger than mia, and looks the same
        "Bob": "bob",
        "b0b": None,
        "alice": "alice",
        "ALICE_1.x": names.skeleton("ALICE_1.x"),
    }
