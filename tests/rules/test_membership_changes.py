"""Membership changes reach the rules at once: the backend's projection grants and revokes.

The owner writes stand for the outbox projection (rooms/{roomId}/members/{uid} in
Firestore, roomMembers/{roomId}/{uid} in the RTDB).
"""

from __future__ import annotations

import datetime as dt

from tests.rules.assertions import assert_allowed, assert_denied, assert_rtdb_denied
from tests.support.chat_writes import message_batch
from tests.support.database_rest import SERVER_TIMESTAMP, DatabaseRest
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest, Write
from tests.support.id_tokens import OWNER


def _send(fs: FirestoreRest, uid: str, message_id: str) -> list[Write]:
    return message_batch(fs, "r1", uid, message_id)


def test_removal_revokes_every_direct_access(firestore: FirestoreRest, world: dt.datetime) -> None:
    assert_allowed(firestore.get("rooms/r1/messages/m-mia", "mia"))

    firestore.commit([firestore.delete_write("rooms/r1/members/mia")], OWNER).raise_for_status()

    assert_denied(firestore.get("rooms/r1/messages/m-mia", "mia"))
    assert_denied(firestore.query("rooms/r1/messages", "mia"))
    assert_denied(firestore.commit(_send(firestore, "mia", "after-removal"), "mia"))
    edit = {"text": "changed my mind", "editedAt": SERVER_TIME}
    assert_denied(
        firestore.commit([firestore.update_write("rooms/r1/messages/m-mia", edit)], "mia")
    )
    assert_denied(
        firestore.commit([firestore.delete_write("rooms/r1/messages/m-alice/reactions/mia")], "mia")
    )


def test_addition_grants_access(firestore: FirestoreRest, world: dt.datetime) -> None:
    assert_denied(firestore.get("rooms/r1", "sam"))

    firestore.seed({"rooms/r1/members/sam": {"role": "member", "joinedAt": world}})

    assert_allowed(firestore.get("rooms/r1", "sam"))
    assert_allowed(firestore.commit(_send(firestore, "sam", "hello-all"), "sam"))
    assert firestore.read("rooms/r1/messages/hello-all") is not None


def test_rtdb_removal_stops_typing_but_not_its_clean_up(
    database: DatabaseRest,
    rtdb_world: int,
) -> None:
    assert_allowed(database.put("typing/r1/mia", SERVER_TIMESTAMP, "mia"))

    database.delete("roomMembers/r1/mia", OWNER).raise_for_status()

    assert_rtdb_denied(database.put("typing/r1/mia", SERVER_TIMESTAMP, "mia"))
    assert_rtdb_denied(database.get("typing/r1", "mia"))
    assert_allowed(database.delete("typing/r1/mia", "mia"))
    assert database.read("typing/r1/mia") is None
