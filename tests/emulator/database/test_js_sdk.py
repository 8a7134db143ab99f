"""The real firebase JS SDK under Node against the emulator, with the project's own
database.rules.json: presence with onDisconnect(), transactions, server time offset."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from emulator.database.server import DatabaseEmulator
from tests.emulator.database.node_process import NodeScript, requires_node

pytestmark = [pytest.mark.node, requires_node]

Launch = Callable[..., NodeScript]  # (script, *args) → a running driver

PROJECT_RULES = Path(__file__).resolve().parents[3] / "database.rules.json"
# How long the test allows for a presence change to reach the watcher (connect included).
ONLINE_WITHIN_S = 15.0
# How long after a session's process is killed its onDisconnect must have shown.
OFFLINE_WITHIN_S = 5.0


@pytest.fixture(scope="module")
def project_rtdb() -> Iterator[DatabaseEmulator]:
    """An emulator with the project's real database.rules.json."""
    server = DatabaseEmulator(port=0, rules_path=str(PROJECT_RULES))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def launch(project_rtdb: DatabaseEmulator, ns: str) -> Iterator[Launch]:
    """Starts Node drivers against the emulator and namespace; kills all at the end."""
    host, port = project_rtdb.address.split(":")
    started: list[NodeScript] = []

    def start(script: str, *args: str) -> NodeScript:
        process = NodeScript(script, host, port, ns, *args)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def sessions_are(expected: list[str]) -> Callable[[object], bool]:
    return lambda line: isinstance(line, dict) and line.get("sessions") == expected


def test_presence_with_two_sessions_and_on_disconnect(
    launch: Launch, raw: httpx.Client, project_rtdb: DatabaseEmulator, ns: str
) -> None:
    watcher = launch("presence_watch.mjs", "bob", "alice")
    # Rules let only alice write her status: bob's forged session is refused.
    assert watcher.expect(lambda line: "denied" in line, ONLINE_WITHIN_S) == {
        "denied": "PERMISSION_DENIED"
    }
    watcher.expect(lambda line: line == {"online": False, "sessions": []}, ONLINE_WITHIN_S)

    # Session ids are s0..s9: the rules cap a user at ten sessions.
    laptop = launch("presence_session.mjs", "alice", "s0")
    laptop.expect(lambda line: line == "READY", ONLINE_WITHIN_S)
    watcher.expect(sessions_are(["s0"]), ONLINE_WITHIN_S)
    phone = launch("presence_session.mjs", "alice", "s1")
    phone.expect(lambda line: line == "READY", ONLINE_WITHIN_S)
    watcher.expect(sessions_are(["s0", "s1"]), ONLINE_WITHIN_S)

    laptop.kill()
    still_online = watcher.expect(sessions_are(["s1"]), OFFLINE_WITHIN_S)
    assert still_online["online"] is True
    killed_at_ms = time.time() * 1000
    phone.kill()
    watcher.expect(lambda line: line == {"online": False, "sessions": []}, OFFLINE_WITHIN_S)
    last_seen = raw.get(
        f"http://{project_rtdb.address}/status/alice/lastSeen.json",
        params={"ns": ns, "auth": "owner"},
    ).json()
    assert killed_at_ms - 1000 <= last_seen <= time.time() * 1000


def test_transactions_under_contention_and_server_time_offset(
    raw: httpx.Client, launch: Launch, project_rtdb: DatabaseEmulator, ns: str
) -> None:
    owner = {"ns": ns, "auth": "owner"}
    base = f"http://{project_rtdb.address}"
    # A path only the owner may write, opened to alice through a rules change for this test.
    rules = (
        '{"rules": {"counters": {"$uid": {".read": "auth.uid === $uid", '
        '".write": "auth.uid === $uid"}}}}'
    )
    assert raw.put(f"{base}/.settings/rules.json", params=owner, content=rules).status_code == 200
    # Every kind of value the hash covers: integers, floats, strings, booleans, nested maps,
    # integer-like keys (ordered numerically) and a priority.
    meta = {
        "s": "x",
        "b": True,
        "f": 1.5,
        "10": "ten",
        "9": "nine",
        "deep": {"z": False},
        "p": {".value": "with priority", ".priority": 2},
    }
    raw.put(f"{base}/counters/alice.json", params=owner, json={"n": 5, "meta": meta})
    first = launch("transaction.mjs", "alice", "counters/alice", "6")
    second = launch("transaction.mjs", "alice", "counters/alice", "6")
    results = [process.expect(lambda line: "value" in line, 30) for process in (first, second)]
    assert [result["committed"] for result in results] == [6, 6]
    stored = raw.get(f"{base}/counters/alice.json", params=owner).json()
    assert stored["n"] == 17
    assert stored["meta"]["deep"] == {"z": False}
    assert all(abs(result["serverTimeOffset"]) < 5000 for result in results)

    mallory = launch("transaction.mjs", "mallory", "counters/alice", "1")
    assert mallory.expect(lambda line: True, 30) == {"error": "permission_denied"}
    assert raw.get(f"{base}/counters/alice/n.json", params=owner).json() == 17


@pytest.mark.parametrize(
    "order, data, expected, change, expected_after",
    [
        (
            "score",
            {"a": {"score": 3}, "b": {"score": 1}, "c": {"score": 2}},
            ["c", "a"],
            ("b/score", 9),
            ["a", "b"],
        ),
        ("key", {"a": 1, "b": 1, "c": 1}, ["b", "c"], ("d", 1), ["c", "d"]),
        ("value", {"a": 5, "b": 1, "c": 3}, ["c", "a"], ("c", 0), ["b", "a"]),
        (
            "priority",
            {
                "a": {".value": 1, ".priority": 3},
                "b": {".value": 1, ".priority": 1},
                "c": {".value": 1, ".priority": 2},
            },
            ["c", "a"],
            ("b/.priority", 4),
            ["a", "b"],
        ),
    ],
)
def test_sdk_queries_follow_server_changes(
    launch: Launch,
    raw: httpx.Client,
    project_rtdb: DatabaseEmulator,
    ns: str,
    order: str,
    data: dict[str, object],
    expected: list[str],
    change: tuple[str, object],
    expected_after: list[str],
) -> None:
    base, owner = f"http://{project_rtdb.address}", {"ns": ns, "auth": "owner"}
    raw.put(
        f"{base}/.settings/rules.json",
        params=owner,
        content='{"rules": {"q": {".read": "auth != null"}}}',
    )
    raw.put(f"{base}/q.json", params=owner, json=data)
    watcher = launch("query_watch.mjs", "q", order, "2")
    watcher.expect(lambda line: line == {"keys": expected}, ONLINE_WITHIN_S)
    raw.put(f"{base}/q/{change[0]}.json", params=owner, json=change[1])
    watcher.expect(lambda line: line == {"keys": expected_after}, ONLINE_WITHIN_S)
