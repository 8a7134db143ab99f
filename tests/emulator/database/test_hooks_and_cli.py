"""The trigger hook (store.subscribe) and the ``python -m emulator.database`` command."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator.database.server import DatabaseEmulator

ROOT = Path(__file__).resolve().parents[3]


def test_subscribers_get_each_committed_write(
    rtdb: DatabaseEmulator, ns: str, http: httpx.Client
) -> None:
    seen: list[tuple[str, str, Any, Any]] = []
    unsubscribe = rtdb.store.subscribe(lambda *event: seen.append(event))
    try:
        http.put("/public/a.json", json=1)
        http.patch("/public.json", json={"a": 2, "b/c": True})
        http.put("/private/x.json", json=1)  # denied: no event
        http.delete("/public/a.json")
    finally:
        unsubscribe()
    http.put("/public/after.json", json=1)
    assert seen == [
        (ns, "public/a", None, 1),
        (ns, "public/a", 1, 2),
        (ns, "public/b/c", None, True),
        (ns, "public/a", 2, None),
    ]


def test_command_line_starts_a_server_with_a_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "database.rules.json"
    rules.write_text('{"rules": {"open": {".read": true, ".write": true}}}')
    command = [
        sys.executable,
        "-m",
        "emulator.database",
        "--port",
        "0",
        "--database-rules",
        str(rules),
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "Realtime Database emulator on http://127.0.0.1:" in banner
        base = banner.split()[-1]
        with httpx.Client(base_url=base, verify=False, trust_env=False, timeout=10) as client:
            assert client.put("/open/x.json", json=1).status_code == 200
            assert client.put("/closed.json", json=1).status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_a_taken_port_fails_start_and_leaves_no_thread(rtdb: DatabaseEmulator) -> None:
    port = int(rtdb.address.split(":")[1])
    before = threading.active_count()
    second = DatabaseEmulator(port=port)
    with pytest.raises(OSError):
        second.start()
    assert threading.active_count() == before
    second.stop()  # stopping a server that never started is harmless
