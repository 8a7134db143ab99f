"""`firebase deploy` predeploy step: apply pending migrations before the functions upload.

firebase.json runs it (with functions/venv's Python) before it deploys functions; a non-zero
exit makes the Firebase CLI stop, so functions never go out ahead of the schema they need.

The database comes from the same settings the functions read, in the same places the
Firebase CLI reads them: the process environment first, then functions/.env.<project> and
functions/.env (project from GCLOUD_PROJECT, which the CLI sets for hooks). Production uses
CLOUD_SQL_INSTANCE with DB_USER and either DB_IAM_AUTH=true (the deployer's Application
Default Credentials) or DB_PASSWORD in the environment (it is a secret: never put it in a
.env file); DATABASE_URL points anywhere else, the embedded PostgreSQL of the tests included.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"


def dotenv_values(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file as the Firebase CLI writes them (no expansion)."""
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


def load_settings(project: str | None) -> None:
    """Fills os.environ from the functions' .env files without overriding what is set."""
    files = [FUNCTIONS / ".env"] + ([FUNCTIONS / f".env.{project}"] if project else [])
    merged: dict[str, str] = {}
    for path in files:  # the project's file wins over the shared one, as in the CLI
        merged.update(dotenv_values(path))
    for key, value in merged.items():
        os.environ.setdefault(key, value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sql-dir", type=Path, default=ROOT / "sql")
    args = parser.parse_args()
    load_settings(os.environ.get("GCLOUD_PROJECT"))
    if not os.environ.get("DATABASE_URL") and not os.environ.get("CLOUD_SQL_INSTANCE"):
        print(
            "predeploy: no database configured (DATABASE_URL or CLOUD_SQL_INSTANCE); "
            "refusing to deploy functions",
            file=sys.stderr,
        )
        return 1
    sys.path.insert(0, str(FUNCTIONS))
    from flowchat.adapters.db import engine
    from flowchat.migrate import migrate

    try:
        applied = migrate(engine(), args.sql_dir)
    except Exception as error:  # any failure must stop the deploy, with the reason shown
        print(f"predeploy: migration failed, functions not deployed: {error}", file=sys.stderr)
        return 1
    print(f"predeploy: applied {len(applied)} migration(s): {', '.join(applied) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
