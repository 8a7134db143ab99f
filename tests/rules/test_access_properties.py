"""Property tests of access under blocks, invitations and hidden rooms.

Hypothesis draws the acting user's member document in a direct room (no document, plain,
or carrying any block value), invitation and sidebar owners, and the action; the oracle
in schema_oracle.py says what the rules must allow, the emulator running the real
firestore.rules must agree, and a refused write must leave nothing behind.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.schema_oracle import may_add_to_room, may_read_own_document, may_read_room
from tests.rules.world import ACTORS, text_message
from tests.support.chat_writes import message_batch
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
BLOCK_VALUES = st.one_of(
    st.sampled_from(["blocked", "blocking"]),
    st.sampled_from(["", "BLOCKED", "none", None, True, 1]),
)
member_docs = st.one_of(
    st.none(),
    st.fixed_dictionaries({"role": st.just("member")}),
    st.fixed_dictionaries({"role": st.just("member"), "block": BLOCK_VALUES}),
)
ROOM_ACTIONS = [
    "get room",
    "list messages",
    "list members",
    "send",
    "react",
    "edit own",
    "soft-delete own",
]
signed_in = st.sampled_from([uid for uid in ACTORS.values() if uid is not None])
any_actor = st.sampled_from(list(ACTORS.values()))


def _room_writes(fs: FirestoreRest, room: str, uid: str, action: str) -> list[dict[str, Any]]:
    if action == "send":
        message_id = f"n-{uuid.uuid4().hex[:10]}"
        return message_batch(fs, room, uid, message_id, merge_stamp=False)
    if action == "react":
        return [
            fs.set_write(
                f"rooms/{room}/messages/theirs/reactions/{uid}",
                {"emoji": "👍", "createdAt": SERVER_TIME},
            )
        ]
    if action == "edit own":
        return [
            fs.update_write(
                f"rooms/{room}/messages/own", {"text": "edited", "editedAt": SERVER_TIME}
            )
        ]
    return [
        fs.update_write(
            f"rooms/{room}/messages/own", {"text": "", "attachments": [], "deletedAt": SERVER_TIME}
        )
    ]


@SETTINGS
@given(member=member_docs, actor=signed_in, action=st.sampled_from(ROOM_ACTIONS))
def test_direct_room_access_follows_the_member_document(
    firestore: FirestoreRest,
    world: dt.datetime,
    member: dict[str, Any] | None,
    actor: str,
    action: str,
) -> None:
    room = f"pd-{uuid.uuid4().hex[:10]}"
    seed: dict[str, dict[str, Any]] = {
        f"rooms/{room}": {"kind": "direct", "name": None, "createdBy": actor},
        f"rooms/{room}/members/other": {"role": "member", "joinedAt": world},
        f"rooms/{room}/messages/own": text_message(actor, world - dt.timedelta(minutes=5)),
        f"rooms/{room}/messages/theirs": text_message("other", world - dt.timedelta(minutes=4)),
    }
    if member is not None:
        seed[f"rooms/{room}/members/{actor}"] = {**member, "joinedAt": world}
    firestore.seed(seed)
    stored = seed.get(f"rooms/{room}/members/{actor}")

    if action in ("get room", "list messages", "list members"):
        if action == "get room":
            response = firestore.get(f"rooms/{room}", actor)
        else:
            response = firestore.query(f"rooms/{room}/{action.split()[1]}", actor)
        expected = may_read_room(stored)
    else:
        before = firestore.read(f"rooms/{room}/messages/own")
        response = firestore.commit(_room_writes(firestore, room, actor, action), actor)
        expected = may_read_room(stored) if action == "soft-delete own" else may_add_to_room(stored)
        if not expected:
            assert firestore.read(f"rooms/{room}/messages/own") == before
    assert response.status_code == (200 if expected else 403), (stored, action, response.text)


OWN_COLLECTIONS = ["invitations", "rooms"]


@SETTINGS
@given(
    owner=signed_in,
    actor=any_actor,
    collection=st.sampled_from(OWN_COLLECTIONS),
    hidden=st.booleans(),
    verb=st.sampled_from(["get", "list", "set", "update", "delete"]),
)
def test_invitations_and_sidebar_entries_are_their_owners_to_read_only(
    firestore: FirestoreRest,
    world: dt.datetime,
    owner: str,
    actor: str | None,
    collection: str,
    hidden: bool,
    verb: str,
) -> None:
    room = f"po-{uuid.uuid4().hex[:10]}"
    path = f"users/{owner}/{collection}/{room}"
    doc: dict[str, Any] = (
        {"roomId": room, "roomName": "P", "invitedBy": "owen", "invitedAt": world}
        if collection == "invitations"
        else {"roomId": room, "kind": "direct", "name": None, "hidden": hidden}
    )
    firestore.seed({path: doc})

    if verb == "get":
        response = firestore.get(path, actor)
    elif verb == "list":
        response = firestore.query(f"users/{owner}/{collection}", actor)
    else:
        change = {"hidden": not hidden, "accepted": True}
        write = {"set": firestore.set_write, "update": firestore.update_write}.get(verb)
        response = firestore.commit(
            [write(path, change) if write else firestore.delete_write(path)], actor
        )
    expected = verb in ("get", "list") and may_read_own_document(owner, actor)
    assert response.status_code == (200 if expected else 403), (owner, actor, verb, response.text)
    assert firestore.read(path) is not None
    if verb not in ("get", "list"):
        stored = firestore.read(path)
        assert stored is not None and stored.get("hidden") == doc.get("hidden")
