"""The reference web app (web/) for browser tests and benches: built with Vite into
web/dist when its sources changed, and served from a loopback origin next to a
``stack.json`` that points it at this run's emulators (as scripts/dev.sh does)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
DIST = WEB / "dist"
VITE = WEB / "node_modules" / ".bin" / "vite"
# What the bundle is made of: the app, client/js (compiled into it) and the pinned deps.
SOURCES = [
    WEB / "src",
    WEB / "index.html",
    WEB / "vite.config.ts",
    WEB / "package-lock.json",
    ROOT / "client" / "js" / "src",
]
BUILD_TIMEOUT = 300


def missing_web_tools() -> str | None:
    """Why the web app cannot be built here (None when it can)."""
    if not VITE.exists():
        return "needs web/node_modules (scripts/bootstrap.sh)"
    if not (ROOT / "client" / "js" / "src" / "index.ts").exists():
        return "needs client/js/src"
    return None


def _newest_source() -> float:
    stamps = [
        path.stat().st_mtime
        for source in SOURCES
        for path in ([source] if source.is_file() else source.rglob("*"))
        if path.is_file()
    ]
    return max(stamps, default=0.0)


def build_web_app() -> Path:
    """web/dist, rebuilt (vite build) unless it is newer than every source."""
    index = DIST / "index.html"
    if not index.exists() or index.stat().st_mtime < _newest_source():
        subprocess.run(
            [str(VITE), "build", "--logLevel", "warn"], cwd=WEB, check=True, timeout=BUILD_TIMEOUT
        )
    return DIST


def stack_description(
    project_id: str, auth: int, functions: int, firestore: str, database: str
) -> dict[str, Any]:
    """A stack.json (client/js's StackFile) for emulators at these addresses."""

    def endpoint(host_port: str) -> dict[str, Any]:
        host, port = host_port.rsplit(":", 1)
        return {"host": host, "port": int(port)}

    return {
        "projectId": project_id,
        "region": "us-central1",
        "apiKey": "fake-api-key",
        "auth": {"host": "127.0.0.1", "port": auth, "url": f"http://127.0.0.1:{auth}"},
        "functions": {
            "host": "127.0.0.1",
            "port": functions,
            "url": f"http://127.0.0.1:{functions}/{project_id}/us-central1",
        },
        "firestore": endpoint(firestore),
        "database": {
            **endpoint(database),
            "namespace": project_id,
            "url": f"http://{database}/?ns={project_id}",
        },
    }


def site_with_stack(dist: Path, site: Path, stack: dict[str, Any]) -> Path:
    """A copy of the built app with its stack.json, ready to serve."""
    shutil.copytree(dist, site, dirs_exist_ok=True)
    (site / "stack.json").write_text(json.dumps(stack, indent=2) + "\n")
    return site
