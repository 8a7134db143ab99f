"""The deploy's predeploy step applies migrations, and stops the deploy when one fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from flowchat.migrate import DEFAULT_SQL_DIR
from sqlalchemy import create_engine, text

from tests.support.databases import fresh_database

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "predeploy_migrate.py"


def _versions(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT version FROM schema_migrations ORDER BY 1"))
        versions = list(rows.scalars())
    engine.dispose()
    return versions


def _predeploy(url: str | None, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CLOUD_SQL_INSTANCE"}}
    env["GCLOUD_PROJECT"] = "demo-predeploy-test"  # no functions/.env.<project> file exists
    if url is not None:
        env["DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, str(SCRIPT), *extra], env=env, capture_output=True, text=True, timeout=120
    )


def test_predeploy_applies_every_pending_migration(database_url: str) -> None:
    url = fresh_database(database_url, "predeploy_all")
    done = _predeploy(url)
    assert done.returncode == 0, done.stderr
    expected = sorted(p.name[:4] for p in DEFAULT_SQL_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    assert _versions(url) == expected
    again = _predeploy(url)
    assert again.returncode == 0 and "applied 0 migration(s)" in again.stdout


def test_a_failing_migration_stops_the_deploy_and_leaves_it_unapplied(
    database_url: str, tmp_path: Path
) -> None:
    url = fresh_database(database_url, "predeploy_broken")
    sql_dir = tmp_path / "sql"
    shutil.copytree(DEFAULT_SQL_DIR, sql_dir)
    (sql_dir / "9999_broken.sql").write_text("CREATE TABLE half_done (id int);\nSELEC 1;\n")
    done = _predeploy(url, "--sql-dir", str(sql_dir))
    assert done.returncode != 0
    assert "migration failed, functions not deployed" in done.stderr
    assert "9999" not in _versions(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        leftover = conn.execute(text("SELECT to_regclass('public.half_done')")).scalar()
    engine.dispose()
    assert leftover is None


def test_no_database_configured_refuses_to_deploy() -> None:
    done = _predeploy(None)
    assert done.returncode == 1
    assert "refusing to deploy functions" in done.stderr
