"""The lite SDK (``firebase/firestore/lite``: every call a REST request made with fetch,
cross-origin, so each one is CORS-preflighted) in real Chromium against the emulator
with the project's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.browser.chat_world import MESSAGES_BY_TIME, messages_in_order
from tests.browser.conftest import outcome_code
from tests.browser.harness import Page
from tests.support.firestore_rest import FirestoreRest


def _lite(
    open_page: Callable[..., Page], firestore_emulator: str, project_id: str, uid: str | None
) -> Page:
    host, port = firestore_emulator.rsplit(":", 1)
    page = open_page("lite.html")
    page.call("open", {"host": host, "port": int(port), "projectId": project_id, "uid": uid})
    return page


def test_lite_sdk_reads_writes_and_transacts(
    open_page: Callable[..., Page],
    firestore_emulator: str,
    project_id: str,
    world: dt.datetime,
    firestore_rest: FirestoreRest,
) -> None:
    mia = _lite(open_page, firestore_emulator, project_id, "mia")
    assert outcome_code(mia.call("sendMessage", "r1", "lite-1", "mia", "from lite")) == "ok"
    read = mia.call("getDoc", "rooms/r1/messages/lite-1")
    assert (
        read["ok"]
        and read["data"]["text"] == "from lite"
        and "$timestamp" in (read["data"]["createdAt"])
    )
    expected = [*messages_in_order(world), "lite-1"]
    paged = mia.call("pages", MESSAGES_BY_TIME, 4)
    assert paged["ok"] and [m for page in paged["pages"] for m in page] == expected
    assert mia.call("count", {"collection": "rooms/r1/messages"}) == {
        "ok": True,
        "count": len(expected),
    }
    assert outcome_code(mia.call("markRead", "r1", "lite-1", "mia")) == "ok"
    assert firestore_rest.read("rooms/r1/receipts/mia")["lastReadMessageId"] == "lite-1"
    # The requests went to the emulator's REST surface, and none over WebChannel.
    urls = [line.split(" ", 1)[1] for line in mia.requests()]
    assert any(":commit" in url for url in urls) and any(":runQuery" in url for url in urls)
    assert any(":batchGet" in url for url in urls)
    assert not [url for url in urls if "/channel" in url]


def test_lite_sdk_denials_are_permission_denied(
    open_page: Callable[..., Page],
    firestore_emulator: str,
    project_id: str,
    world: dt.datetime,
    firestore_rest: FirestoreRest,
) -> None:
    sam = _lite(open_page, firestore_emulator, project_id, "sam")
    assert outcome_code(sam.call("sendMessage", "r1", "intruder", "sam", "hi")) == (
        "permission-denied"
    )
    assert outcome_code(sam.call("getDoc", "rooms/r1")) == "permission-denied"
    assert outcome_code(sam.call("query", MESSAGES_BY_TIME)) == "permission-denied"
    assert outcome_code(sam.call("count", {"collection": "rooms/r1/messages"})) == (
        "permission-denied"
    )
    assert outcome_code(sam.call("markRead", "r1", "m-last", "sam")) == "permission-denied"
    assert firestore_rest.read("rooms/r1/messages/intruder") is None
    assert firestore_rest.read("rooms/r1/receipts/sam")["lastReadMessageId"] == "m-first"
    nobody = _lite(open_page, firestore_emulator, project_id, None)
    assert outcome_code(nobody.call("getDoc", "users/mia")) == "permission-denied"
    mia = _lite(open_page, firestore_emulator, project_id, "mia")
    assert outcome_code(mia.call("setDoc", "rooms/r1", {"name": "renamed"})) == (
        "permission-denied"
    )
    assert firestore_rest.read("rooms/r1")["name"] == "General"
