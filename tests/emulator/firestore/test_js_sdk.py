"""The firebase JS SDK (Node: gRPC Listen and Write streams, mock user token) against the
emulator: writes, reads, rules denials, listeners, queries and transactions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

DRIVER = Path(__file__).parent / "js" / "firestore_client.mjs"

pytestmark = pytest.mark.node


def test_js_sdk_as_signed_in_user(node: str, address: str) -> None:
    host, port = address.split(":")
    run = subprocess.run(
        [node, str(DRIVER), host, port, "alice"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    steps = {line["step"]: line["value"] for line in map(json.loads, run.stdout.splitlines())}
    assert steps == {
        "set": {"ok": True, "value": None},
        "get": {"exists": True, "v": 1, "hasTime": True},
        "update": {"ok": True, "value": None},
        "afterUpdate": 3,
        "deniedSet": {"ok": False, "code": "permission-denied"},
        "deniedGet": {"ok": False, "code": "permission-denied"},
        "missing": False,
        "listen": [[], ["p1"], ["p1", "p2"]],
        "query": ["p2"],
        "transaction": {"ok": True, "value": 13},
        "delete": {"ok": True, "value": None},
    }
