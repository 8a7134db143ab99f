"""A web client on the real firebase JS SDK sees a new room appear live in its sidebar."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.dev.firebase_cli import CliPorts
from scripts.dev.seed import DemoUser
from tests.support.functions_client import FunctionsClient

pytestmark = [pytest.mark.node, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).parent / "js" / "sidebar_listener.mjs"
EVENT_TIMEOUT = 60.0


@pytest.fixture
def node() -> str:
    """The node binary, when the JS SDK is installed under tests/js."""
    found = shutil.which("node")
    if not found or not (ROOT / "tests" / "js" / "node_modules" / "firebase").is_dir():
        pytest.skip("needs node and the firebase SDK in tests/js/node_modules (npm ci)")
    return found


class Events:
    """JSON lines of a child's stdout, read on a thread so waits can be bounded."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        self.reader = threading.Thread(target=self._pump, args=(process.stdout,), daemon=True)
        self.reader.start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            self._lines.put(line)

    def next(self, event: str, until: Callable[[Any], bool] = lambda _: True) -> Any:
        """The value of the next `event` line whose value satisfies `until`."""
        deadline = time.monotonic() + EVENT_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {event!r} event within {EVENT_TIMEOUT:.0f}s")
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            parsed = json.loads(line)
            assert parsed["event"] != "listenError", parsed
            if parsed["event"] == event and until(parsed["value"]):
                return parsed["value"]


Client = tuple[subprocess.Popen[str], Events]


@pytest.fixture
def start_client(
    node: str, cli_ports: CliPorts, firestore_emulator: str
) -> Iterator[Callable[[str], Client]]:
    """start_client(custom_token) runs the JS client; every one is killed after the test."""
    started: list[Client] = []
    host, port = firestore_emulator.rsplit(":", 1)

    def start(custom_token: str) -> Client:
        process = subprocess.Popen(
            [node, str(DRIVER), f"127.0.0.1:{cli_ports.auth}", host, port, custom_token],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append((process, Events(process)))
        return started[-1]

    yield start
    for process, events in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        events.reader.join(timeout=10)
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


def test_new_member_sees_the_room_appear_while_listening(
    sign_up: Callable[[str], DemoUser],
    functions: FunctionsClient,
    password: str,
    start_client: Callable[[str], Client],
) -> None:
    alice, bob = sign_up("alice"), sign_up("bob")
    token = functions.call("login", {"usernameOrEmail": bob.username, "password": password})[
        "customToken"
    ]
    client, events = start_client(token)
    assert events.next("signedIn") == bob.uid
    assert events.next("sidebar") == []

    room_id = functions.call(
        "create_room", {"kind": "group", "name": "Live", "memberIds": [bob.uid]}, alice.id_token
    )["roomId"]
    assert client.stdin is not None
    client.stdin.write(room_id + "\n")
    client.stdin.flush()

    assert room_id in events.next("sidebar", lambda ids: room_id in ids)
    assert events.next("room") == {"exists": True, "name": "Live"}
    assert events.next("otherSidebar") == "permission-denied"
    assert client.wait(timeout=30) == 0
