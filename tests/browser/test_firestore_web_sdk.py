"""The official firebase web SDK (12.19, bundled with esbuild) in real headless Chromium
against the emulator with the project's firestore.rules: Listen and Write over
WebChannel (streaming and long-polling), transactions, counts and cursored queries over
REST, and every denial reported to the app as ``permission-denied``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.chat_world import MESSAGES_BY_TIME, SERVER_TIME, messages_in_order
from tests.browser.conftest import outcome_code
from tests.browser.harness import Page, wait_until
from tests.support.firestore_rest import FirestoreRest

TRANSPORTS = ["streaming", "long-polling"]
BACK_CHANNEL_MODES = {"streaming": "0", "long-polling": "1"}


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    """Each test runs on WebChannel streaming and on long-polling (auto-detection, the
    SDK's default, is one test of its own)."""
    return str(request.param)


def _stored(firestore_rest: FirestoreRest, path: str) -> dict[str, Any] | None:
    return firestore_rest.read(path)


def test_member_writes_and_reads_from_the_server(
    firestore_page: Callable[..., Page],
    world: dt.datetime,
    transport: str,
    firestore_rest: FirestoreRest,
) -> None:
    mia = firestore_page("mia", transport)
    assert outcome_code(mia.call("sendMessage", "r1", "web-1", "mia", "hi from Chromium")) == "ok"
    read = mia.call("getDocFromServer", "rooms/r1/messages/web-1")
    assert read["ok"] and read["exists"]
    assert read["data"]["text"] == "hi from Chromium" and read["data"]["authorId"] == "mia"
    assert "$timestamp" in read["data"]["createdAt"]
    edit = mia.call(
        "updateDoc", "rooms/r1/messages/web-1", {"text": "edited", "editedAt": SERVER_TIME}
    )
    assert outcome_code(edit) == "ok"
    stored = _stored(firestore_rest, "rooms/r1/messages/web-1")
    assert stored is not None and stored["text"] == "edited"
    assert _stored(firestore_rest, "rooms/r1/rateLimits/mia")["lastMessageId"] == "web-1"
    assert_transport(mia, transport)


def test_denials_reach_the_app_as_permission_denied(
    firestore_page: Callable[..., Page],
    world: dt.datetime,
    transport: str,
    firestore_rest: FirestoreRest,
) -> None:
    sam = firestore_page("sam", transport)  # signed in, but not a member of r1
    assert outcome_code(sam.call("sendMessage", "r1", "intruder", "sam", "hi")) == (
        "permission-denied"
    )
    assert outcome_code(sam.call("getDocFromServer", "rooms/r1")) == "permission-denied"
    assert outcome_code(sam.call("query", MESSAGES_BY_TIME)) == "permission-denied"
    assert _stored(firestore_rest, "rooms/r1/messages/intruder") is None
    mia = firestore_page("mia", transport)
    # A member may not write as someone else, nor edit another author's message.
    assert outcome_code(mia.call("sendMessage", "r1", "forged", "alice", "hi")) == (
        "permission-denied"
    )
    edit = mia.call(
        "updateDoc", "rooms/r1/messages/m-first", {"text": "not mine", "editedAt": SERVER_TIME}
    )
    assert outcome_code(edit) == "permission-denied"
    assert _stored(firestore_rest, "rooms/r1/messages/forged") is None
    assert _stored(firestore_rest, "rooms/r1/messages/m-first")["text"] == "hello"
    # The denied writes did not wedge the stream: the next allowed write goes through.
    assert outcome_code(mia.call("sendMessage", "r1", "after", "mia", "still here")) == "ok"
    nobody = firestore_page(None, transport)
    assert outcome_code(nobody.call("getDocFromServer", "users/mia")) == "permission-denied"
    assert outcome_code(nobody.call("getDocFromServer", "rooms/r1/messages/m-first")) == (
        "permission-denied"
    )


def test_queries_page_with_cursors(
    firestore_page: Callable[..., Page], world: dt.datetime, transport: str
) -> None:
    mia = firestore_page("mia", transport)
    expected = messages_in_order(world)
    paged = mia.call("pages", MESSAGES_BY_TIME, 3)
    assert paged["ok"], paged
    assert [m for page in paged["pages"] for m in page] == expected
    assert all(len(page) == 3 for page in paged["pages"][:-1])
    # A value cursor: the first two created within the last day (all but m-old).
    day_ago = {"$timestamp": (world - dt.timedelta(hours=24)).isoformat()}
    after = mia.call("query", {**MESSAGES_BY_TIME, "startAfter": [day_ago], "limit": 2})
    assert expected[0] == "m-old"
    assert after["ok"] and after["ids"] == expected[1:3] and after["fromCache"] is False
    counted = mia.call("count", {"collection": "rooms/r1/messages"})
    assert counted == {"ok": True, "count": len(expected)}


def test_transaction_moves_a_read_receipt(
    firestore_page: Callable[..., Page],
    world: dt.datetime,
    transport: str,
    firestore_rest: FirestoreRest,
) -> None:
    mia = firestore_page("mia", transport)
    moved = mia.call("markRead", "r1", "m-last", "mia")
    assert moved["ok"], moved
    receipt = _stored(firestore_rest, "rooms/r1/receipts/mia")
    assert receipt is not None and receipt["lastReadMessageId"] == "m-last"
    # Backwards (an older message) is denied by the rules, and leaves the receipt alone.
    assert outcome_code(mia.call("markRead", "r1", "m-old", "mia")) == "permission-denied"
    assert _stored(firestore_rest, "rooms/r1/receipts/mia")["lastReadMessageId"] == "m-last"
    sam = firestore_page("sam", transport)
    assert outcome_code(sam.call("markRead", "r1", "m-last", "sam")) == "permission-denied"


def test_listener_sees_another_clients_writes(
    firestore_page: Callable[..., Page], world: dt.datetime, transport: str
) -> None:
    mia = firestore_page("mia", transport)
    alice = firestore_page("alice", transport, isolated=True)  # another browser profile
    expected = messages_in_order(world)
    mia.call("listen", "messages", MESSAGES_BY_TIME)
    first = wait_until(lambda: _server_snapshots(mia, "messages"))
    assert first[0]["ids"] == expected
    assert outcome_code(alice.call("sendMessage", "r1", "from-alice", "alice", "hello mia")) == (
        "ok"
    )
    seen = wait_until(
        lambda: [s for s in _server_snapshots(mia, "messages") if "from-alice" in s["ids"]]
    )
    assert seen[0]["ids"] == [*expected, "from-alice"]
    assert ["added", "from-alice"] in seen[0]["changes"]
    alice.call(
        "updateDoc", "rooms/r1/messages/from-alice", {"text": "edited", "editedAt": SERVER_TIME}
    )
    wait_until(
        lambda: [
            s
            for s in _server_snapshots(mia, "messages")
            if ["modified", "from-alice"] in s["changes"]
        ]
    )
    mia.call("listen", "message", {"doc": "rooms/r1/messages/from-alice"})
    doc = wait_until(lambda: [e for e in mia.call("events", "message") if not e["fromCache"]])
    assert doc[0]["exists"] and doc[0]["data"]["text"] == "edited"
    assert_transport(mia, transport)
    assert_transport(alice, transport)


def test_listener_denied_to_a_non_member(
    firestore_page: Callable[..., Page], world: dt.datetime, transport: str
) -> None:
    sam = firestore_page("sam", transport)
    sam.call("listen", "messages", MESSAGES_BY_TIME)
    sam.call("listen", "room", {"doc": "rooms/r1"})
    assert wait_until(lambda: sam.call("events", "messages")) == [{"error": "permission-denied"}]
    assert wait_until(lambda: sam.call("events", "room")) == [{"error": "permission-denied"}]
    # Its own room still streams to it on the same connection.
    sam.call("listen", "own", {"collection": "rooms/r2/messages"})
    own = wait_until(lambda: _server_snapshots(sam, "own"))
    assert own[0]["ids"] == ["other"]
    assert_transport(sam, transport)


def assert_transport(page: Page, transport: str) -> None:
    """The page's streams ran over WebChannel in the transport's back-channel mode
    (``CI=0`` streaming, ``CI=1`` long-polling) without a transport error. Auto-detection
    starts streaming and may fall back to long-polling (on a loaded machine the first
    bytes can be slower than twice the handshake's round trip)."""
    modes = [
        _back_channel_mode(url)
        for method, url in (line.split(" ", 1) for line in page.requests())
        if method == "GET" and "/channel?" in url and "RID=rpc" in url
    ]
    assert modes, "no back channel was opened"
    if transport == "auto-detect":
        assert modes[0] == "0" and set(modes) <= {"0", "1"}, modes
    else:
        assert set(modes) == {BACK_CHANNEL_MODES[transport]}, modes
    troubles = [
        line for line in page.log() if "transport errored" in line or "Could not reach" in line
    ]
    assert not troubles, troubles


def _back_channel_mode(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("CI", ["?"])[0]


def _server_snapshots(page: Page, name: str) -> list[dict[str, Any]]:
    events = page.call("events", name) or []
    errors = [event for event in events if "error" in event]
    assert not errors, errors
    return [event for event in events if not event["fromCache"]]


def test_auto_detected_transport_streams(
    firestore_page: Callable[..., Page], world: dt.datetime
) -> None:
    """The SDK's default: it streams, keeping to it if the first back-channel bytes come
    promptly (the emulator sends a noop at once) and falling back to long-polling
    otherwise; data flows either way."""
    mia = firestore_page("mia", "auto-detect")
    alice = firestore_page("alice", "auto-detect", isolated=True)
    mia.call("listen", "messages", MESSAGES_BY_TIME)
    wait_until(lambda: _server_snapshots(mia, "messages"))
    assert outcome_code(alice.call("sendMessage", "r1", "detected", "alice", "hi")) == "ok"
    wait_until(lambda: [s for s in _server_snapshots(mia, "messages") if "detected" in s["ids"]])
    assert_transport(mia, "auto-detect")
    assert_transport(alice, "auto-detect")
