"""The per-member message rate limit: a stamp written in the same batch, checked with getAfter."""

from __future__ import annotations

import datetime as dt

from tests.rules.assertions import assert_allowed, assert_denied
from tests.rules.firestore_rest import SERVER_TIME, FirestoreRest, Write
from tests.rules.id_tokens import OWNER


def _send(fs: FirestoreRest, message_id: str, stamp_room: str = "r1") -> list[Write]:
    message = {"authorId": "mia", "kind": "text", "text": message_id, "attachments": [],
               "createdAt": SERVER_TIME}
    return [fs.create_write(f"rooms/r1/messages/{message_id}", message),
            fs.set_write(f"rooms/{stamp_room}/rateLimits/mia",
                         {"lastMessageAt": SERVER_TIME, "lastMessageId": message_id})]


def test_second_message_within_the_interval_is_denied(
    firestore: FirestoreRest, world: dt.datetime,
) -> None:
    assert_allowed(firestore.commit(_send(firestore, "first"), "mia"))
    assert_denied(firestore.commit(_send(firestore, "second"), "mia"))
    assert firestore.read("rooms/r1/messages/second") is None


def test_message_after_the_interval_is_allowed(
    firestore: FirestoreRest, world: dt.datetime,
) -> None:
    just_over = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1, milliseconds=100)
    firestore.seed({"rooms/r1/rateLimits/mia": {"lastMessageAt": just_over}})
    assert_allowed(firestore.commit(_send(firestore, "later"), "mia"))


def test_first_message_creates_the_stamp(firestore: FirestoreRest, world: dt.datetime) -> None:
    firestore.commit([firestore.delete_write("rooms/r1/rateLimits/mia")], OWNER)
    assert_allowed(firestore.commit(_send(firestore, "first"), "mia"))
    stamp = firestore.read("rooms/r1/rateLimits/mia")
    message = firestore.read("rooms/r1/messages/first")
    assert stamp is not None and message is not None
    assert stamp["lastMessageAt"] == message["createdAt"]


def test_stamp_of_another_room_does_not_count(
    firestore: FirestoreRest, world: dt.datetime,
) -> None:
    assert_denied(firestore.commit(_send(firestore, "sneaky", stamp_room="r2"), "mia"))


def test_stamp_cannot_be_pushed_back_to_make_room(
    firestore: FirestoreRest, world: dt.datetime,
) -> None:
    assert_allowed(firestore.commit(_send(firestore, "first"), "mia"))
    old = {"lastMessageAt": dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
           "lastMessageId": "first"}
    assert_denied(firestore.commit(
        [firestore.set_write("rooms/r1/rateLimits/mia", old)], "mia"))


def test_two_messages_in_one_batch_with_one_stamp_are_denied(
    firestore: FirestoreRest, world: dt.datetime,
) -> None:
    """One stamp vouches for one message: a batch cannot carry a burst past the limit."""
    first, second = _send(firestore, "burst-1"), _send(firestore, "burst-2")
    assert_denied(firestore.commit([first[0], second[0], first[1]], "mia"))
    assert firestore.read("rooms/r1/messages/burst-1") is None
    assert firestore.read("rooms/r1/messages/burst-2") is None
