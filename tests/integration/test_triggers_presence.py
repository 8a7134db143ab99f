"""Presence through the emulator's event delivery: the status/{uid} mirror into users/{uid}
and the scheduled clean-up of sessions and typing entries that lost their onDisconnect."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.database.node_process import NodeScript, requires_node

PROJECT = "demo-flowchat"
RTDB_URL = f"https://{PROJECT}-default-rtdb.firebaseio.com"


@pytest.fixture(scope="module")
def rtdb(database_emulator) -> Any:
    """The RTDB root as an admin (rules bypassed), like the backend sees it."""
    import firebase_admin
    from firebase_admin import db

    try:
        app = firebase_admin.get_app("presence-tests")
    except ValueError:
        app = firebase_admin.initialize_app(options={"projectId": PROJECT}, name="presence-tests")
    return db.reference("/", app=app, url=RTDB_URL)


def now_ms() -> int:
    return int(time.time() * 1000)


def profile(firestore, uid: str) -> dict[str, Any]:
    return firestore.document(f"users/{uid}").get().to_dict()


def test_sessions_mirror_online_and_last_seen(committed, firestore, rtdb, settled) -> None:
    user = committed.user("pres")
    uid = user["uid"]
    started = now_ms()
    session = {"startedAt": started, "lastActive": started}
    rtdb.child(f"status/{uid}/connections/tab1").set(session)
    rtdb.child(f"status/{uid}/connections/tab2").set(session)
    settled()
    doc = profile(firestore, uid)
    assert doc["online"] is True and doc["username"] == user["username"]
    rtdb.child(f"status/{uid}/connections/tab1").delete()
    settled()
    assert profile(firestore, uid)["online"] is True  # tab2 is still open
    left = now_ms()
    rtdb.update({f"status/{uid}/connections/tab2": None, f"status/{uid}/lastSeen": left})
    settled()
    doc = profile(firestore, uid)
    assert doc["online"] is False
    assert doc["lastSeen"] == datetime.fromtimestamp(left / 1000, UTC)
    assert doc["username"] == user["username"] and doc["displayName"] == user["username"]


def test_a_late_old_event_does_not_bring_a_user_back_online(
    committed, firestore, rtdb, settled, triggers
) -> None:
    uid = committed.user("late")["uid"]
    rtdb.child(f"status/{uid}/connections/s").set({"startedAt": now_ms(), "lastActive": now_ms()})
    settled()
    [went_online] = [
        d
        for d in triggers.dispatcher.deliveries
        if d.trigger.name == "on_status_written" and d.event["ref"] == f"/status/{uid}"
    ]
    rtdb.update({f"status/{uid}/connections": None, f"status/{uid}/lastSeen": now_ms()})
    settled()
    triggers.dispatcher.redeliver(went_online)
    settled()
    assert profile(firestore, uid)["online"] is False


def test_status_of_a_uid_without_profile_creates_nothing(firestore, rtdb, settled) -> None:
    uid = str(uuid.uuid4())
    rtdb.child(f"status/{uid}/connections/s").set({"startedAt": now_ms(), "lastActive": now_ms()})
    settled()
    assert not firestore.document(f"users/{uid}").get().exists


def test_clean_up_drops_stale_sessions_and_typing(
    committed, firestore, rtdb, settled, triggers, monkeypatch
) -> None:
    gone, staying = committed.user("gone"), committed.user("stay")
    now = now_ms()
    old = now - 10 * 60 * 1000
    room = str(uuid.uuid4())
    rtdb.update(
        {
            f"status/{gone['uid']}/connections/lost": {"startedAt": old, "lastActive": old},
            f"status/{gone['uid']}/connections/lost2": {"startedAt": old, "lastActive": old - 5},
            f"status/{staying['uid']}/connections/fresh": {"startedAt": old, "lastActive": now},
            f"status/{staying['uid']}/connections/lost": {"startedAt": old, "lastActive": old},
            f"typing/{room}/{gone['uid']}": now - 60_000,
            f"typing/{room}/{staying['uid']}": now,
        }
    )
    settled()
    assert profile(firestore, gone["uid"])["online"] is True
    monkeypatch.setenv("RTDB_URL", RTDB_URL)
    monkeypatch.setenv("PRESENCE_STALE_SECONDS", "300")
    monkeypatch.setenv("TYPING_STALE_SECONDS", "30")
    assert triggers.run_schedule("clean_up_presence") == 200
    settled()
    assert rtdb.child(f"status/{gone['uid']}").get() == {"lastSeen": old}
    assert rtdb.child(f"status/{staying['uid']}/connections").get() == {
        "fresh": {"startedAt": old, "lastActive": now}
    }
    assert rtdb.child(f"typing/{room}").get() == {staying["uid"]: now}
    gone_profile = profile(firestore, gone["uid"])
    assert gone_profile["online"] is False
    assert gone_profile["lastSeen"] == datetime.fromtimestamp(old / 1000, UTC)
    assert profile(firestore, staying["uid"])["online"] is True


def test_clean_up_keeps_a_typing_entry_refreshed_while_it_ran(rtdb, triggers, monkeypatch) -> None:
    """The entry is stale when read, then its user types again before the removal lands."""
    from flowchat.services import presence

    room, typer = str(uuid.uuid4()), str(uuid.uuid4())
    rtdb.child(f"typing/{room}").set({typer: now_ms() - 60_000})
    read_stale = presence.stale_typing_updates

    def refreshed_after_the_read(*args: Any) -> dict[str, Any]:
        stale = read_stale(*args)
        rtdb.child(f"typing/{room}/{typer}").set(now_ms())  # the client's next keystroke
        return stale

    monkeypatch.setattr(presence, "stale_typing_updates", refreshed_after_the_read)
    monkeypatch.setenv("RTDB_URL", RTDB_URL)
    monkeypatch.setenv("TYPING_STALE_SECONDS", "30")
    assert triggers.run_schedule("clean_up_presence") == 200
    assert rtdb.child(f"typing/{room}/{typer}").get() is not None


def test_clean_up_without_rtdb_url_still_succeeds(triggers, monkeypatch) -> None:
    monkeypatch.delenv("RTDB_URL", raising=False)
    assert triggers.run_schedule("clean_up_presence") == 200


def test_profile_update_keeps_presence(committed, firestore, rtdb, settled) -> None:
    user = committed.user("keep")
    rtdb.child(f"status/{user['uid']}/connections/s").set(
        {"startedAt": now_ms(), "lastActive": now_ms()}
    )
    settled()
    assert committed.call("update_profile", {"displayName": "Renamed"}, uid=user["uid"]).ok
    doc = profile(firestore, user["uid"])
    assert doc["displayName"] == "Renamed" and doc.get("online") is True


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, None),
        ({"lastSeen": 5}, {"lastSeen": 5}),
        ({"connections": {"a": {"lastActive": 100}}}, {"connections": {"a": {"lastActive": 100}}}),
        ({"connections": {"a": {"lastActive": 10}}}, {"lastSeen": 10}),
        ({"connections": {"a": {"lastActive": 10}}, "lastSeen": 20}, {"lastSeen": 20}),
        (
            {"connections": {"a": {"startedAt": 10}, "b": {"lastActive": 100}}},
            {"connections": {"b": {"lastActive": 100}}},
        ),
        ({"connections": {"a": "garbage"}}, None),
    ],
)
def test_stale_connections_are_dropped_per_user(status, expected) -> None:
    from flowchat.services.presence import without_stale_connections

    assert without_stale_connections(status, cutoff_ms=50) == expected


@pytest.mark.node
@requires_node
def test_clean_up_ends_a_js_session_whose_token_expired_before_it_dropped(
    committed, firestore, rtdb, settled, triggers, monkeypatch, database_emulator
) -> None:
    """The whole story: the SDK's onDisconnect is lost with the token; the schedule ends it."""
    uid, room = committed.user("expired")["uid"], str(uuid.uuid4())
    rtdb.child(f"roomMembers/{room}/{uid}").set(True)
    client_js = Path(__file__).resolve().parents[1] / "rules" / "js" / "chat_client.mjs"
    host, port = database_emulator.split(":")
    client = NodeScript(str(client_js), host, port, f"{PROJECT}-default-rtdb", uid, room, "s0", "2")
    try:
        assert client.expect(lambda line: isinstance(line, dict), 20.0) == {"ready": True}
        settled()
        assert profile(firestore, uid)["online"] is True
        time.sleep(3)  # the token expires while the socket is still open
    finally:
        client.kill()
    time.sleep(1)
    session = rtdb.child(f"status/{uid}/connections/s0").get()
    assert session is not None  # its onDisconnect was refused: nobody else would remove it
    assert rtdb.child(f"typing/{room}/{uid}").get() is not None

    monkeypatch.setenv("RTDB_URL", RTDB_URL)
    monkeypatch.setenv("PRESENCE_STALE_SECONDS", "2")
    monkeypatch.setenv("TYPING_STALE_SECONDS", "2")
    assert triggers.run_schedule("clean_up_presence") == 200
    settled()

    assert rtdb.child(f"status/{uid}").get() == {"lastSeen": session["lastActive"]}
    assert rtdb.child(f"typing/{room}/{uid}").get() is None
    doc = profile(firestore, uid)
    assert doc["online"] is False
    assert doc["lastSeen"] == datetime.fromtimestamp(session["lastActive"] / 1000, UTC)


def test_only_a_change_of_online_or_last_seen_writes_the_profile(
    committed, firestore, rtdb, settled
) -> None:
    """Heartbeats and extra sessions change nothing users/{uid} shows: no Firestore write
    (each write moves the document's update time)."""
    uid = committed.user("quiet")["uid"]
    writes: list[Any] = []

    def step(change: dict[str, Any]) -> None:
        if change:
            rtdb.update({f"status/{uid}/{path}": value for path, value in change.items()})
            settled()
        update_time = firestore.document(f"users/{uid}").get().update_time
        if not writes or writes[-1] != update_time:
            writes.append(update_time)

    step({})  # the registered profile
    started = now_ms()
    step({"connections/tab1": {"startedAt": started, "lastActive": started}})  # online
    for beat in range(3):
        step({"connections/tab1/lastActive": started + 1000 * (beat + 1)})
    step({"connections/tab2": {"startedAt": now_ms(), "lastActive": now_ms()}})
    step({"connections/tab2": None, "lastSeen": now_ms()})  # a tab closed, still online
    assert len(writes) == 2 and profile(firestore, uid)["online"] is True
    left = now_ms()
    step({"connections/tab1": None, "lastSeen": left})  # offline
    assert len(writes) == 3
    doc = profile(firestore, uid)
    assert doc["online"] is False and doc["lastSeen"] == datetime.fromtimestamp(left / 1000, UTC)
