"""The reference web app (web/) in the local stack: built with Vite when its sources
changed, then served by the Firebase CLI's Hosting emulator from a folder of this run's
own (a copy of web/dist plus the stack's ``stack.json``, which the app reads at start)."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

BUILD_TIMEOUT = 600.0


def _sources(root: Path) -> list[Path]:
    """What the bundle is made of: the app, client/js (compiled into it), the pinned deps."""
    web = root / "web"
    return [
        web / "src",
        web / "index.html",
        web / "vite.config.ts",
        web / "package-lock.json",
        root / "client" / "js" / "src",
    ]


def missing_tools(root: Path) -> str | None:
    """Why the app cannot be built here (None when it can)."""
    if not (root / "web" / "node_modules" / ".bin" / "vite").exists():
        return "web/node_modules is missing: run bash scripts/bootstrap.sh"
    if not (root / "client" / "js" / "src" / "index.ts").exists():
        return "client/js/src is missing"
    return None


def _newest_source(root: Path) -> float:
    stamps = [
        path.stat().st_mtime
        for source in _sources(root)
        for path in ([source] if source.is_file() else source.rglob("*"))
        if path.is_file()
    ]
    return max(stamps, default=0.0)


def build(root: Path) -> Path:
    """web/dist, rebuilt with ``vite build`` unless it is newer than every source."""
    web = root / "web"
    index = web / "dist" / "index.html"
    if not index.exists() or index.stat().st_mtime < _newest_source(root):
        subprocess.run(
            [str(web / "node_modules" / ".bin" / "vite"), "build", "--logLevel", "warn"],
            cwd=web,
            check=True,
            timeout=BUILD_TIMEOUT,
        )
    return web / "dist"


def prepare_site(dist: Path, site: Path) -> Path:
    """A fresh copy of the built app for the Hosting emulator to serve."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(dist, site)
    return site


def publish_stack(site: Path, stack: dict[str, Any]) -> None:
    """Puts stack.json next to the app (written atomically: a page may be loading)."""
    partial = site / "stack.json.tmp"
    partial.write_text(json.dumps(stack, indent=2, ensure_ascii=False) + "\n")
    partial.replace(site / "stack.json")


def verify_served(url: str) -> str:
    """A fact for --check: the app's page and its stack.json come from the Hosting emulator."""
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode()
    if '<div id="root">' not in page:
        raise AssertionError(f"{url} does not serve the web app")
    with urllib.request.urlopen(url + "stack.json", timeout=10) as response:
        stack = json.load(response)
    return f"web app served at {url} with stack.json for project {stack['projectId']}"
