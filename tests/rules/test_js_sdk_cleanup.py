"""Typing and presence clean-up with the real firebase JS SDK under Node, under the real rules.

tests/rules/js/chat_client.mjs behaves as the client guide says: typing entry and presence
session, each with its onDisconnect clean-up, and a lastActive heartbeat. Killing the
process is a session that drops (closed laptop, lost network).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.emulator.database.node_process import NodeScript, requires_node
from tests.support.database_rest import DatabaseRest
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.node, requires_node]

CLIENT = str(Path(__file__).resolve().parent / "js" / "chat_client.mjs")
READY_WITHIN_S = 20.0  # Node start, SDK connect and five round trips, on a busy machine
CLEANED_WITHIN_S = 5.0  # after the process dies
Launch = Callable[..., NodeScript]


@pytest.fixture
def launch(database_emulator: str, database: DatabaseRest) -> Iterator[Launch]:
    """Starts chat clients against the shared emulator; kills them all at the end."""
    host, port = database_emulator.split(":")
    started: list[NodeScript] = []

    def start(uid: str, session_id: str, token_lifetime_s: int = 3600) -> NodeScript:
        process = NodeScript(
            CLIENT, host, port, database.namespace, uid, "r1", session_id, str(token_lifetime_s)
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def _ready(line: object) -> bool:
    return isinstance(line, dict) and ("ready" in line or "error" in line)


def test_dropped_session_removes_typing_and_presence(
    rtdb_world: int,
    database: DatabaseRest,
    launch: Launch,
) -> None:
    client = launch("alice", "s2")
    assert client.expect(_ready, READY_WITHIN_S) == {"ready": True}
    session = database.read("status/alice/connections/s2")
    assert set(session) == {"startedAt", "lastActive", "device"}
    assert session["lastActive"] >= session["startedAt"] >= rtdb_world
    assert database.read("typing/r1/alice") >= rtdb_world

    client.kill()

    assert wait_until(lambda: database.read("typing/r1/alice") is None, CLEANED_WITHIN_S)
    assert wait_until(
        lambda: database.read("status/alice/connections/s2") is None, CLEANED_WITHIN_S
    )
    assert database.read("status/alice/lastSeen") >= session["lastActive"]
    assert database.read("status/alice/connections/s1") is not None  # other sessions stay


def test_non_member_sdk_client_is_refused(
    rtdb_world: int,
    database: DatabaseRest,
    launch: Launch,
) -> None:
    seeded = database.read("typing/r1/sam")
    client = launch("sam", "s3")
    assert client.expect(_ready, READY_WITHIN_S) == {"error": "PERMISSION_DENIED"}
    assert database.read("typing/r1/sam") == seeded


def test_session_whose_token_expired_before_it_dropped_is_left_behind(
    rtdb_world: int,
    database: DatabaseRest,
    launch: Launch,
) -> None:
    """Why the scheduled clean-up exists: this session's lastActive stops moving."""
    client = launch("alice", "s4", token_lifetime_s=2)
    assert client.expect(_ready, READY_WITHIN_S) == {"ready": True}
    time.sleep(3)  # the token expires while the socket is still open

    client.kill()

    time.sleep(1)
    assert database.read("status/alice/connections/s4") is not None
