"""Typing and presence through the realtime protocol the SDKs speak, under database.rules.json.

What a client does over its WebSocket: sign in with its ID token, write, listen, and leave
onDisconnect writes behind that the server runs when the socket drops.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from tests.support.database_rest import SERVER_TIMESTAMP, DatabaseRest
from tests.support.realtime_client import RealtimeConnection
from tests.support.waiting import wait_until

SV = SERVER_TIMESTAMP


@pytest.fixture
def connect(
    database_emulator: str, database: DatabaseRest
) -> Iterator[Callable[[str], RealtimeConnection]]:
    """Opens signed-in realtime connections; closes whatever is left at the end."""
    opened: list[RealtimeConnection] = []

    def open_as(uid: str) -> RealtimeConnection:
        connection = RealtimeConnection(database_emulator, database.namespace)
        assert connection.sign_in(uid)["s"] == "ok"
        opened.append(connection)
        return connection

    yield open_as
    for connection in opened:
        try:
            connection.close()
        except OSError:
            pass  # already dropped


def test_member_typing_reaches_other_members(
    rtdb_world: int,
    connect: Callable[[str], RealtimeConnection],
) -> None:
    mia = connect("mia")
    assert mia.listen("typing/r1") == "ok"
    alice = connect("alice")

    assert alice.put("typing/r1/alice", SV) == "ok"

    push = mia.wait_for_push(lambda p: p["b"]["p"].strip("/") == "typing/r1/alice")
    assert isinstance(push["b"]["d"], int) and push["b"]["d"] >= rtdb_world


@pytest.mark.parametrize("uid", ["sam", "rita", "bob"])
def test_non_members_can_neither_type_nor_watch(
    rtdb_world: int,
    connect: Callable[[str], RealtimeConnection],
    uid: str,
) -> None:
    outsider = connect(uid)
    assert outsider.listen("typing/r1") == "permission_denied"
    assert outsider.put(f"typing/r1/{uid}", SV) == "permission_denied"
    assert outsider.on_disconnect_put("typing/r1/alice", None) == "permission_denied"


def test_typing_entry_is_removed_when_the_socket_drops(
    rtdb_world: int,
    database: DatabaseRest,
    connect: Callable[[str], RealtimeConnection],
) -> None:
    alice = connect("alice")
    assert alice.put("typing/r1/alice", SV) == "ok"
    assert alice.on_disconnect_put("typing/r1/alice", None) == "ok"

    alice.drop()

    assert wait_until(lambda: database.read("typing/r1/alice") is None)
    assert database.read("typing/r1/mia") is not None  # others' entries stay


def test_cancelled_on_disconnect_does_not_run(
    rtdb_world: int,
    database: DatabaseRest,
    connect: Callable[[str], RealtimeConnection],
) -> None:
    alice = connect("alice")
    assert alice.put("typing/r1/alice", SV) == "ok"
    assert alice.on_disconnect_put("typing/r1/alice", None) == "ok"
    assert alice.on_disconnect_cancel("typing/r1/alice") == "ok"

    alice.close()

    time.sleep(0.3)  # give a wrongly kept onDisconnect the time to run
    assert database.read("typing/r1/alice") is not None


def test_invalid_on_disconnect_write_is_refused_when_registered(
    rtdb_world: int,
    connect: Callable[[str], RealtimeConnection],
) -> None:
    alice = connect("alice")
    assert alice.on_disconnect_put("status/alice/lastSeen", "never") == "permission_denied"
    assert alice.on_disconnect_put("status/mia/lastSeen", SV) == "permission_denied"
    assert alice.on_disconnect_put("status/alice/connections/s1/startedAt", None) == (
        "permission_denied"
    )


def _open_session(connection: RealtimeConnection, uid: str, session_id: str) -> None:
    """What the client guide does on every (re)connect."""
    path = f"status/{uid}/connections/{session_id}"
    assert connection.on_disconnect_put(path, None) == "ok"
    assert connection.on_disconnect_put(f"status/{uid}/lastSeen", SV) == "ok"
    assert connection.put(path, {"startedAt": SV, "lastActive": SV, "device": "test"}) == "ok"


def test_user_stays_online_until_the_last_session_drops(
    rtdb_world: int,
    database: DatabaseRest,
    connect: Callable[[str], RealtimeConnection],
) -> None:
    database.delete("status/alice", "owner").raise_for_status()
    laptop, phone = connect("alice"), connect("alice")
    _open_session(laptop, "alice", "s2")
    _open_session(phone, "alice", "s3")
    watcher = connect("bob")  # any signed-in user may watch presence
    assert watcher.listen("status/alice") == "ok"

    laptop.drop()
    assert wait_until(lambda: database.read("status/alice/connections/s2") is None)
    assert database.read("status/alice/connections/s3") is not None

    phone.drop()
    assert wait_until(lambda: database.read("status/alice/connections") is None)
    last_seen = database.read("status/alice/lastSeen")
    assert isinstance(last_seen, int) and last_seen >= rtdb_world
    watcher.wait_for_push(
        lambda p: p["b"].get("d") is None and p["b"]["p"].strip("/").startswith("status/alice")
    )


def test_heartbeat_refreshes_last_active(
    rtdb_world: int,
    database: DatabaseRest,
    connect: Callable[[str], RealtimeConnection],
) -> None:
    alice = connect("alice")
    _open_session(alice, "alice", "s4")
    first = database.read("status/alice/connections/s4/lastActive")
    time.sleep(0.02)

    assert alice.merge("status/alice/connections/s4", {"lastActive": SV}) == "ok"

    assert database.read("status/alice/connections/s4/lastActive") > first
    assert alice.merge("status/alice/connections/s4", {"lastActive": rtdb_world + 10**9}) == (
        "permission_denied"
    )


def test_session_whose_token_expired_before_it_dropped_stays(
    rtdb_world: int,
    database: DatabaseRest,
    database_emulator: str,
) -> None:
    """The failure the scheduled clean-up exists for: the session outlives its socket."""
    alice = RealtimeConnection(database_emulator, database.namespace)
    assert alice.sign_in("alice", lifetime_seconds=1)["s"] == "ok"
    _open_session(alice, "alice", "s5")
    time.sleep(2.5)  # the token expires while the socket is still open

    alice.drop()

    time.sleep(0.5)
    assert database.read("status/alice/connections/s5") is not None
