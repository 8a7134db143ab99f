"""Rooms and membership through the callables, then what each user may see in Firestore."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from scripts.dev.seed import DemoUser
from tests.support.firestore_rest import FirestoreRest
from tests.support.functions_client import CallableError, FunctionsClient

# The first test also waits for the CLI to start (its session fixture): minutes on a busy machine.
pytestmark = pytest.mark.timeout(900)

SignUp = Callable[[str], DemoUser]


NOT_A_MEMBER = {"isMember": False, "role": None, "blocked": False, "canPost": False}


def create_group(functions: FunctionsClient, owner: DemoUser, name: str, *members: DemoUser) -> str:
    """A group room created by owner with these members; returns its id."""
    created = functions.call(
        "create_room",
        {"kind": "group", "name": name, "memberIds": [m.uid for m in members]},
        owner.id_token,
    )
    assert created["created"] is True
    return str(created["roomId"])


def membership(functions: FunctionsClient, user: DemoUser, room_id: str) -> dict[str, Any]:
    """check_membership as that user."""
    return dict(functions.call("check_membership", {"roomId": room_id}, user.id_token))


def listed_room_ids(firestore: FirestoreRest, user: DemoUser) -> set[str]:
    """The room ids of the user's sidebar collection, read as that user."""
    response = firestore.list_documents(f"users/{user.uid}/rooms", user.id_token)
    assert response.status_code == 200, response.text
    return {doc["name"].rsplit("/", 1)[1] for doc in response.json().get("documents", [])}


def test_group_room_reaches_members_and_not_strangers(
    sign_up: SignUp, functions: FunctionsClient, firestore_rest: FirestoreRest
) -> None:
    alice, bob, carol, dave = (sign_up(n) for n in ("alice", "bob", "carol", "dave"))
    room_id = create_group(functions, alice, "Book club", bob)
    added = functions.call(
        "add_members", {"roomId": room_id, "memberIds": [carol.uid]}, alice.id_token
    )
    assert added["added"] == [carol.uid]

    member = {"isMember": True, "blocked": False, "canPost": True}
    assert membership(functions, alice, room_id) == {**member, "role": "owner"}
    assert membership(functions, carol, room_id) == {**member, "role": "member"}
    assert membership(functions, dave, room_id) == NOT_A_MEMBER
    # The sidebar entry appearing is the "you were added" notification.
    assert room_id in listed_room_ids(firestore_rest, carol)
    assert room_id not in listed_room_ids(firestore_rest, dave)

    room = firestore_rest.get(f"rooms/{room_id}", bob.id_token)
    assert room.status_code == 200, room.text
    assert room.json()["fields"]["name"] == {"stringValue": "Book club"}
    assert room.json()["fields"]["memberCount"] == {"integerValue": "3"}
    assert firestore_rest.get(f"rooms/{room_id}", dave.id_token).status_code == 403
    assert (
        firestore_rest.list_documents(f"rooms/{room_id}/members", dave.id_token).status_code == 403
    )
    assert (
        firestore_rest.list_documents(f"users/{carol.uid}/rooms", dave.id_token).status_code == 403
    )


def test_plain_member_cannot_add_members(
    sign_up: SignUp, functions: FunctionsClient, firestore_rest: FirestoreRest
) -> None:
    alice, bob, eve = sign_up("alice"), sign_up("bob"), sign_up("eve")
    room_id = create_group(functions, alice, "Owners only", bob)
    with pytest.raises(CallableError) as denied:
        functions.call("add_members", {"roomId": room_id, "memberIds": [eve.uid]}, bob.id_token)
    assert (denied.value.status, denied.value.http_status) == ("PERMISSION_DENIED", 403)
    assert membership(functions, eve, room_id)["isMember"] is False
    assert firestore_rest.get(f"rooms/{room_id}", eve.id_token).status_code == 403


def test_removed_member_loses_firestore_access(
    sign_up: SignUp, functions: FunctionsClient, firestore_rest: FirestoreRest
) -> None:
    alice, bob = sign_up("alice"), sign_up("bob")
    room_id = create_group(functions, alice, "Short stay", bob)
    assert firestore_rest.get(f"rooms/{room_id}", bob.id_token).status_code == 200
    functions.call("remove_member", {"roomId": room_id, "userId": bob.uid}, alice.id_token)
    assert membership(functions, bob, room_id)["isMember"] is False
    assert firestore_rest.get(f"rooms/{room_id}", bob.id_token).status_code == 403
    assert firestore_rest.get(f"users/{bob.uid}/rooms/{room_id}", bob.id_token).status_code == 404


def test_direct_room_is_one_per_pair(sign_up: SignUp, functions: FunctionsClient) -> None:
    alice, bob = sign_up("alice"), sign_up("bob")
    first = functions.call(
        "create_room", {"kind": "direct", "memberIds": [bob.uid]}, alice.id_token
    )
    again = functions.call(
        "create_room", {"kind": "direct", "memberIds": [bob.uid]}, alice.id_token
    )
    reverse = functions.call(
        "create_room", {"kind": "direct", "memberIds": [alice.uid]}, bob.id_token
    )
    assert first["created"] is True and again["created"] is False
    assert first["roomId"] == again["roomId"] == reverse["roomId"]


def test_bad_room_requests_get_specific_errors(sign_up: SignUp, functions: FunctionsClient) -> None:
    alice = sign_up("alice")
    with pytest.raises(CallableError) as bad_kind:
        functions.call("create_room", {"kind": "channel", "memberIds": []}, alice.id_token)
    assert bad_kind.value.status == "INVALID_ARGUMENT"
    with pytest.raises(CallableError) as bad_id:
        functions.call("check_membership", {"roomId": "not-an-id"}, alice.id_token)
    assert bad_id.value.status == "INVALID_ARGUMENT"
    # Unknown rooms answer like rooms one is not in, so room ids cannot be probed.
    unknown = str(uuid.uuid4())
    assert membership(functions, alice, unknown) == NOT_A_MEMBER
    with pytest.raises(CallableError) as probe:
        functions.call("get_room", {"roomId": unknown}, alice.id_token)
    assert probe.value.status == "PERMISSION_DENIED"


_SENDS = itertools.count()  # the rate-limit slots in turn, as the guide's sender takes them


def message_writes(
    firestore: FirestoreRest, room_id: str, author: DemoUser, fields: dict[str, Any]
) -> list[dict[str, Any]]:
    """A client's message create plus its rate-limit stamp, both stamped with server time."""
    message_id = uuid.uuid4().hex
    message = f"rooms/{room_id}/messages/{message_id}"
    return [
        {
            "update": {"name": firestore.name(message), "fields": fields},
            "currentDocument": {"exists": False},
            "updateTransforms": [{"fieldPath": "createdAt", "setToServerValue": "REQUEST_TIME"}],
        },
        {
            "update": {
                "name": firestore.name(f"rooms/{room_id}/rateLimits/{author.uid}"),
                "fields": {"lastMessageId": {"stringValue": message_id}},
            },
            "updateMask": {"fieldPaths": ["lastMessageId"]},  # a merge: other slots stay
            "updateTransforms": [
                {"fieldPath": "lastMessageAt", "setToServerValue": "REQUEST_TIME"},
                {"fieldPath": f"slot{next(_SENDS) % 5}", "setToServerValue": "REQUEST_TIME"},
            ],
        },
    ]


def text_message(author_uid: str, text: str) -> dict[str, Any]:
    """Firestore REST fields of a text message."""
    return {
        "authorId": {"stringValue": author_uid},
        "kind": {"stringValue": "text"},
        "text": {"stringValue": text},
        "attachments": {"arrayValue": {}},
        "parentId": {"nullValue": None},
    }


def test_member_writes_message_directly_and_other_member_reads_it(
    sign_up: SignUp, functions: FunctionsClient, firestore_rest: FirestoreRest
) -> None:
    alice, bob, mallory = sign_up("alice"), sign_up("bob"), sign_up("mallory")
    room_id = functions.call(
        "create_room", {"kind": "direct", "memberIds": [bob.uid]}, alice.id_token
    )["roomId"]
    writes = message_writes(firestore_rest, room_id, bob, text_message(bob.uid, "hi alice"))
    written = firestore_rest.commit(writes, bob.id_token)
    assert written.status_code == 200, written.text

    message_path = writes[0]["update"]["name"].split("/documents/", 1)[1]
    seen = firestore_rest.get(message_path, alice.id_token)
    assert seen.status_code == 200, seen.text
    assert seen.json()["fields"]["text"] == {"stringValue": "hi alice"}
    assert seen.json()["fields"]["authorId"] == {"stringValue": bob.uid}
    assert "timestampValue" in seen.json()["fields"]["createdAt"]
    assert firestore_rest.get(message_path, mallory.id_token).status_code == 403


def test_message_writes_outside_the_rules_are_denied(
    sign_up: SignUp, functions: FunctionsClient, firestore_rest: FirestoreRest
) -> None:
    alice, bob, mallory = sign_up("alice"), sign_up("bob"), sign_up("mallory")
    room_id = functions.call(
        "create_room", {"kind": "direct", "memberIds": [bob.uid]}, alice.id_token
    )["roomId"]
    as_someone_else = message_writes(
        firestore_rest, room_id, bob, text_message(alice.uid, "I am alice")
    )
    extra_field = message_writes(
        firestore_rest,
        room_id,
        bob,
        {**text_message(bob.uid, "hi"), "pinned": {"booleanValue": True}},
    )
    outsider = message_writes(
        firestore_rest, room_id, mallory, text_message(mallory.uid, "let me in")
    )
    assert firestore_rest.commit(as_someone_else, bob.id_token).status_code == 403
    assert firestore_rest.commit(extra_field, bob.id_token).status_code == 403
    assert firestore_rest.commit(outsider, mallory.id_token).status_code == 403
    assert firestore_rest.commit(outsider, None).status_code == 403
    listed = firestore_rest.list_documents(f"rooms/{room_id}/messages", alice.id_token)
    assert listed.status_code == 200, listed.text
    assert listed.json().get("documents", []) == []


def put_typing(database_emulator: str, project_id: str, room_id: str, user: DemoUser) -> int:
    """A client's typing-indicator write over RTDB REST with its ID token; the HTTP status."""
    response = httpx.put(
        f"http://{database_emulator}/typing/{room_id}/{user.uid}.json",
        params={"ns": project_id, "auth": user.id_token},
        json={".sv": "timestamp"},
        timeout=30,
    )
    return response.status_code


def test_typing_follows_the_rtdb_membership_mirror(
    sign_up: SignUp, functions: FunctionsClient, database_emulator: str, project_id: str
) -> None:
    alice, bob, mallory = sign_up("alice"), sign_up("bob"), sign_up("mallory")
    room_id = create_group(functions, alice, "Typists", bob)
    assert put_typing(database_emulator, project_id, room_id, bob) == 200
    assert put_typing(database_emulator, project_id, room_id, mallory) in (401, 403)
    functions.call("remove_member", {"roomId": room_id, "userId": bob.uid}, alice.id_token)
    assert put_typing(database_emulator, project_id, room_id, bob) in (401, 403)
