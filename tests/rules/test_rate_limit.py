"""The per-member message rate limit: a sliding window kept in slots of the rate-limit stamp.

A send takes one free slot of rooms/{roomId}/rateLimits/{uid} (never used, or used at least
a window ago) in the same batch as the message; the message checks the stamp with getAfter.
Five slots and a five-second window: bursts of up to five pass, a steady pace of about one
a second is never refused, the sixth message of a burst is.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from flowchat.services import rate_limit

from tests.rules.assertions import assert_allowed, assert_denied
from tests.support.chat_writes import message_batch
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest, Write
from tests.support.id_tokens import OWNER

STAMP = "rooms/r1/rateLimits/mia"


@pytest.fixture(autouse=True)
def fresh_stamp(firestore: FirestoreRest, world: dt.datetime) -> None:
    """mia starts without a stamp (the seeded one has its slots in use)."""
    firestore.commit([firestore.delete_write(STAMP)], OWNER)


def _send(
    fs: FirestoreRest,
    message_id: str,
    slot: str = "slot0",
    stamp_room: str = "r1",
) -> list[Write]:
    return message_batch(
        fs, "r1", "mia", message_id, text=message_id, slot=slot, stamp_room=stamp_room
    )


def _ago(seconds: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)


def test_ok_then_thanks_both_pass(firestore: FirestoreRest, world: dt.datetime) -> None:
    """Two messages back to back: refused by the old one-a-second stamp, allowed now."""
    assert_allowed(firestore.commit(_send(firestore, "ok", "slot0"), "mia"))
    assert_allowed(firestore.commit(_send(firestore, "thanks", "slot1"), "mia"))
    assert firestore.read("rooms/r1/messages/thanks") is not None


def test_a_burst_beyond_the_budget_is_refused(
    firestore: FirestoreRest,
    world: dt.datetime,
) -> None:
    for i, slot in enumerate(rate_limit.SLOTS):
        assert_allowed(firestore.commit(_send(firestore, f"burst-{i}", slot), "mia"))
    for slot in rate_limit.SLOTS:  # every slot was taken less than a window ago
        assert_denied(firestore.commit(_send(firestore, f"sixth-{slot}", slot), "mia"))
        assert firestore.read(f"rooms/r1/messages/sixth-{slot}") is None


def test_a_slot_is_free_again_after_the_window(
    firestore: FirestoreRest,
    world: dt.datetime,
) -> None:
    window = rate_limit.WINDOW_SECONDS
    firestore.seed(
        {
            STAMP: {
                "lastMessageAt": _ago(1),
                "lastMessageId": "x",
                "slot0": _ago(window + 0.1),
                "slot1": _ago(window - 0.5),
            }
        }
    )
    assert_denied(firestore.commit(_send(firestore, "too-early", "slot1"), "mia"))
    assert_allowed(firestore.commit(_send(firestore, "in-time", "slot0"), "mia"))


def test_sends_paced_at_1_05_seconds_are_never_refused(
    firestore: FirestoreRest,
    world: dt.datetime,
) -> None:
    """Seven sends, one every 1.05 s, taking the slots in turn (the guide's client)."""
    slots = rate_limit.SLOTS
    for i in range(7):
        started = time.monotonic()
        assert_allowed(firestore.commit(_send(firestore, f"paced-{i}", slots[i % 5]), "mia"))
        time.sleep(max(0.0, 1.05 - (time.monotonic() - started)))


def test_first_message_creates_the_stamp(firestore: FirestoreRest, world: dt.datetime) -> None:
    assert_allowed(firestore.commit(_send(firestore, "first", "slot3"), "mia"))
    stamp = firestore.read(STAMP)
    message = firestore.read("rooms/r1/messages/first")
    assert stamp is not None and message is not None
    assert stamp["lastMessageAt"] == message["createdAt"] == stamp["slot3"]


def test_stamp_of_another_room_does_not_count(
    firestore: FirestoreRest,
    world: dt.datetime,
) -> None:
    assert_denied(firestore.commit(_send(firestore, "sneaky", stamp_room="r2"), "mia"))


def test_a_send_takes_exactly_one_slot(firestore: FirestoreRest, world: dt.datetime) -> None:
    two = {
        "lastMessageAt": SERVER_TIME,
        "lastMessageId": "two",
        "slot0": SERVER_TIME,
        "slot1": SERVER_TIME,
    }
    none = {"lastMessageAt": SERVER_TIME, "lastMessageId": "none"}
    for stamp in (two, none):
        assert_denied(firestore.commit([firestore.merge_write(STAMP, stamp)], "mia"))


def test_slots_cannot_be_cleared_or_pushed_back(
    firestore: FirestoreRest,
    world: dt.datetime,
) -> None:
    for i, slot in enumerate(rate_limit.SLOTS):
        assert_allowed(firestore.commit(_send(firestore, f"burst-{i}", slot), "mia"))
    # setDoc without merge would drop the four other slots: refused.
    replace = {"lastMessageAt": SERVER_TIME, "lastMessageId": "fresh", "slot0": SERVER_TIME}
    assert_denied(firestore.commit([firestore.set_write(STAMP, replace)], "mia"))
    old = {"lastMessageAt": SERVER_TIME, "lastMessageId": "burst-0", "slot0": _ago(3600)}
    assert_denied(firestore.commit([firestore.merge_write(STAMP, old)], "mia"))
    wrong = {"lastMessageAt": SERVER_TIME, "lastMessageId": "x", "slot9": SERVER_TIME}
    assert_denied(firestore.commit([firestore.merge_write(STAMP, wrong)], "mia"))


def test_two_messages_in_one_batch_with_one_stamp_are_denied(
    firestore: FirestoreRest,
    world: dt.datetime,
) -> None:
    """One stamp vouches for one message: a batch cannot carry a burst past the limit."""
    first, second = _send(firestore, "burst-1"), _send(firestore, "burst-2")
    assert_denied(firestore.commit([first[0], second[0], first[1]], "mia"))
    assert firestore.read("rooms/r1/messages/burst-1") is None
    assert firestore.read("rooms/r1/messages/burst-2") is None


def test_adding_an_unused_slot_as_null_takes_no_slot(
    firestore: FirestoreRest, world: dt.datetime
) -> None:
    """A stamp that only adds an absent slot as null would let a message through without
    taking a slot; the rules count it as touching that slot, not keeping it."""
    assert_allowed(firestore.commit(_send(firestore, "first", "slot0"), "mia"))
    message = {
        "authorId": "mia",
        "kind": "text",
        "text": "free ride",
        "attachments": [],
        "createdAt": SERVER_TIME,
        "parentId": None,
    }
    stamp = {"lastMessageAt": SERVER_TIME, "lastMessageId": "free", "slot1": None}
    sneaky = [
        firestore.create_write("rooms/r1/messages/free", message),
        firestore.merge_write(STAMP, stamp),
    ]
    assert_denied(firestore.commit(sneaky, "mia"))
    assert firestore.read("rooms/r1/messages/free") is None
