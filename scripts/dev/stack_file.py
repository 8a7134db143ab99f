"""``.local/stack.json``: where the running stack is, for client/js, its tests and scripts.

Written once the stack is seeded (``--isolated`` ports included) and removed when it stops,
so a client reads its addresses instead of copying them from the banner. The shape is
``StackFile`` in client/js/src/config.ts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripts.dev.firebase_cli import BackendTargets, CliPorts
from scripts.dev.seed import DEMO_PASSWORD, DEMO_USERS, DemoData

REGION = "us-central1"
API_KEY = "fake-api-key"  # the emulators accept any key; the SDKs insist on one


def _endpoint(host_port: str) -> dict[str, Any]:
    host, port = host_port.rsplit(":", 1)
    return {"host": host, "port": int(port)}


def describe(
    targets: BackendTargets, ports: CliPorts, data: DemoData | None = None, host: str = "127.0.0.1"
) -> dict[str, Any]:
    """Everything a client needs to reach the stack, as JSON-ready data."""
    project = targets.project_id
    database = _endpoint(targets.database)
    stack: dict[str, Any] = {
        "projectId": project,
        "region": REGION,
        "apiKey": API_KEY,
        "auth": {"host": host, "port": ports.auth, "url": f"http://{host}:{ports.auth}"},
        "functions": {
            "host": host,
            "port": ports.functions,
            "url": f"http://{host}:{ports.functions}/{project}/{REGION}",
        },
        "firestore": _endpoint(targets.firestore),
        # The functions project memberships into this namespace (RTDB_URL), so the client's
        # databaseURL must name it: with another one, typing is refused as PERMISSION_DENIED.
        "database": {
            **database,
            "namespace": project,
            "url": f"http://{targets.database}/?ns={project}",
        },
    }
    if targets.hub:  # the project's Emulator Hub (lists every emulator, rules coverage)
        stack["hub"] = _endpoint(targets.hub)
    if data is not None:
        stack["demo"] = _demo(data)
    return stack


def _demo(data: DemoData) -> dict[str, Any]:
    return {
        "password": DEMO_PASSWORD,
        "users": [
            {
                "username": u.username,
                "uid": u.uid,
                "displayName": DEMO_USERS.get(u.username, u.username),
            }
            for u in data.users.values()
        ],
        "rooms": [
            {"name": name, "roomId": room_id, "memberIds": data.members.get(room_id, [])}
            for name, room_id in data.rooms.items()
        ],
    }


def write(path: Path, stack: dict[str, Any]) -> Path:
    """Writes the file atomically (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(stack, indent=2, ensure_ascii=False) + "\n")
    partial.replace(path)
    return path


def remove_if_unchanged(path: Path, stack: dict[str, Any]) -> None:
    """Removes the file at exit, unless another stack has written its own since."""
    try:
        if json.loads(path.read_text()) == stack:
            path.unlink()
    except (FileNotFoundError, ValueError):
        pass
