"""The message trigger through the emulator's event delivery: room summary, thread
counters and the search index after creates, edits, soft deletes and redeliveries."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from google.cloud import firestore as gcf

from tests.support.chat_writes import message_batch
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest


@pytest.fixture
def world(group_world: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """Committed users: owner and member of a group room, and an outsider."""
    return group_world("Search")


def send(w: dict[str, Any], uid: str, text: str, **extra: Any) -> str:
    data = {"roomId": w["room"], "text": text, "idempotencyKey": uuid.uuid4().hex, **extra}
    return w["call"]("send_message", data, uid=uid).result["messageId"]


def message(w: dict[str, Any], message_id: str) -> Any:
    return w["db"].document(f"rooms/{w['room']}/messages/{message_id}")


def room_doc(w: dict[str, Any]) -> dict[str, Any]:
    return w["db"].document(f"rooms/{w['room']}").get().to_dict()


def search(w: dict[str, Any], uid: str, query: str, **extra: Any) -> Any:
    return w["call"]("search_messages", {"query": query, **extra}, uid=uid)


def found_ids(w: dict[str, Any], uid: str, query: str, **extra: Any) -> list[str]:
    return [m["messageId"] for m in search(w, uid, query, **extra).result["messages"]]


def edit(w: dict[str, Any], message_id: str, text: str) -> None:
    message(w, message_id).update({"text": text, "editedAt": gcf.SERVER_TIMESTAMP})


def soft_delete(w: dict[str, Any], message_id: str) -> None:
    message(w, message_id).update(
        {"text": "", "attachments": [], "deletedAt": gcf.SERVER_TIMESTAMP}
    )


def test_new_message_updates_summary_and_index(world, settled) -> None:
    w = world
    first = send(w, w["owner"], "hello quokka")
    second = send(w, w["member"], "second wombat")
    settled()
    room = room_doc(w)
    assert room["name"] == "Search" and room["memberCount"] == 2  # projection kept
    created = message(w, second).get().get("createdAt")
    assert room["lastMessageAt"] == created
    assert room["lastMessage"] == {
        "messageId": second,
        "authorId": w["member"],
        "kind": "text",
        "text": "second wombat",
        "createdAt": created,
        "deleted": False,
    }
    assert found_ids(w, w["member"], "quokka") == [first]
    assert found_ids(w, w["owner"], "wombat OR quokka") == [second, first]
    assert found_ids(w, w["owner"], "quokka", roomId=w["room"]) == [first]


def test_search_only_in_rooms_the_caller_belongs_to_now(world, settled) -> None:
    w = world
    send(w, w["owner"], "secret platypus")
    settled()
    assert found_ids(w, w["outsider"], "platypus") == []
    assert search(w, w["outsider"], "platypus", roomId=w["room"]).status == "PERMISSION_DENIED"
    assert len(found_ids(w, w["member"], "platypus")) == 1
    assert w["call"](
        "remove_member", {"roomId": w["room"], "userId": w["member"]}, uid=w["owner"]
    ).ok
    assert found_ids(w, w["member"], "platypus") == []


def test_edit_updates_index_and_summary_of_the_last_message(world, settled) -> None:
    w = world
    older = send(w, w["owner"], "older echidna")
    last = send(w, w["owner"], "typo numbat")
    settled()
    edit(w, last, "fixed numbat")
    edit(w, older, "older echidna edited")
    settled()
    assert room_doc(w)["lastMessage"]["messageId"] == last
    assert room_doc(w)["lastMessage"]["text"] == "fixed numbat"
    assert found_ids(w, w["owner"], "typo") == []
    assert found_ids(w, w["owner"], "fixed") == [last]
    [hit] = search(w, w["owner"], "edited").result["messages"]
    assert hit["messageId"] == older and hit["editedAt"] is not None


def test_soft_delete_leaves_the_index_and_marks_the_summary(world, settled) -> None:
    w = world
    doomed = send(w, w["owner"], "regret dingo")
    settled()
    soft_delete(w, doomed)
    settled()
    assert found_ids(w, w["owner"], "dingo") == []
    last = room_doc(w)["lastMessage"]
    assert (last["messageId"], last["text"], last["deleted"]) == (doomed, "", True)


def test_thread_counters_follow_replies_and_deletes(world, settled) -> None:
    w = world
    parent = send(w, w["owner"], "thread start")
    settled()
    r1 = send(w, w["member"], "reply one", parentId=parent)
    r2 = send(w, w["owner"], "reply two", parentId=parent)
    settled()
    doc = message(w, parent).get().to_dict()
    r2_at = message(w, r2).get().get("createdAt")
    assert (doc["replyCount"], doc["lastReplyAt"]) == (2, r2_at)
    assert room_doc(w)["lastMessage"]["messageId"] == parent  # replies stay in the thread
    assert doc["text"] == "thread start" and "editedAt" not in doc
    soft_delete(w, r2)
    settled()
    doc = message(w, parent).get().to_dict()
    r1_at = message(w, r1).get().get("createdAt")
    assert (doc["replyCount"], doc["lastReplyAt"]) == (1, r1_at)
    [hit] = search(w, w["owner"], "one").result["messages"]
    assert (hit["messageId"], hit["parentId"]) == (r1, parent)


def test_redelivered_events_change_nothing(world, settled, triggers, engine) -> None:
    w = world
    parent = send(w, w["owner"], "redelivery root")
    settled()
    reply = send(w, w["member"], "redelivered koala", parentId=parent)
    settled()
    creations = [
        d
        for d in triggers.dispatcher.deliveries
        if d.trigger.name == "on_message_written" and d.event["document"].endswith(reply)
    ]
    assert len(creations) == 1
    for _ in range(2):
        triggers.dispatcher.redeliver(creations[0])
    settled()
    assert message(w, parent).get().get("replyCount") == 1
    assert len(found_ids(w, w["owner"], "koala")) == 1
    with engine.connect() as conn:
        handled = conn.execute(
            sa.text("SELECT count(*) FROM processed_events WHERE event_id = :e"),
            {"e": f"message_written:{creations[0].event['id']}"},
        ).scalar_one()
    assert handled == 1


def test_a_late_event_with_older_data_changes_nothing(world, settled, triggers) -> None:
    from cloudevents.http import CloudEvent

    from emulator.triggers.dispatcher import Delivery

    w = world
    mid = send(w, w["owner"], "original walrus")
    settled()
    edit(w, mid, "edited walrus")
    settled()
    created = next(  # the first delivery for this message is its creation
        d
        for d in triggers.dispatcher.deliveries
        if d.trigger.name == "on_message_written" and d.event["document"].endswith(mid)
    )
    late = CloudEvent(
        {**created.event.get_attributes(), "id": str(uuid.uuid4())}, created.event.get_data()
    )
    triggers.dispatcher.redeliver(Delivery(created.trigger, late))
    settled()
    assert found_ids(w, w["owner"], "original") == []
    assert found_ids(w, w["owner"], "edited") == [mid]
    assert room_doc(w)["lastMessage"]["text"] == "edited walrus"


def test_an_older_message_never_takes_over_the_summary(world, settled) -> None:
    w = world
    newest = send(w, w["owner"], "newest")
    settled()
    stale_id = "older" + uuid.uuid4().hex[:8]
    message(w, stale_id).set(
        {
            "authorId": w["member"],
            "kind": "text",
            "text": "late arrival",
            "attachments": [],
            "createdAt": datetime(2020, 1, 1, tzinfo=UTC),
        }
    )
    settled()
    assert room_doc(w)["lastMessage"]["messageId"] == newest
    assert len(found_ids(w, w["owner"], "arrival")) == 1


def test_search_understands_web_search_syntax(world, settled) -> None:
    w = world
    pie = send(w, w["owner"], "red apple pie tonight")
    green = send(w, w["member"], "green apple, no pie")
    settled()
    assert found_ids(w, w["owner"], '"apple pie"') == [pie]
    assert found_ids(w, w["owner"], "apple -green") == [pie]
    assert found_ids(w, w["owner"], "APPLE") == [green, pie]
    assert found_ids(w, w["owner"], "!!!") == []


def test_search_pages_with_a_cursor(world, settled) -> None:
    w = world
    sent = [send(w, w["owner"], f"page capybara {i}") for i in range(5)]
    settled()
    seen: list[str] = []
    cursor = None
    for _ in range(4):
        data = {"query": "capybara", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = w["call"]("search_messages", data, uid=w["member"]).result
        seen += [m["messageId"] for m in page["messages"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == list(reversed(sent))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"query": ""},
        {"query": "x" * 257},
        {"query": "ok", "limit": 0},
        {"query": "ok", "limit": 51},
        {"query": "ok", "cursor": "not-a-cursor"},
        {"query": "ok", "roomId": "nope"},
    ],
)
def test_search_bad_input(world, data) -> None:
    out = world["call"]("search_messages", data, uid=world["owner"])
    assert out.status == "INVALID_ARGUMENT"


def test_search_needs_sign_in(world) -> None:
    assert world["call"]("search_messages", {"query": "x"}).status == "UNAUTHENTICATED"


_SENDS = itertools.count()


def client_send(rest: FirestoreRest, room: str, uid: str, message_id: str, **fields: Any) -> int:
    """The client guide's batch under the rules (message + stamp, the slots in turn): status."""
    slot = f"slot{next(_SENDS) % 5}"
    writes = message_batch(rest, room, uid, message_id, slot=slot, **fields)
    return rest.commit(writes, uid).status_code


def test_direct_client_writes_drive_summary_counters_and_index(
    world, settled, rest: FirestoreRest
) -> None:
    """Messages written under the rules (not by the callable) get the same derived data."""
    w, room = world, world["room"]
    member, owner = w["member"], w["owner"]
    assert client_send(rest, room, member, "top", text="direct wallaby") == 200
    assert client_send(rest, room, owner, "reply", text="reply kangaroo", parentId="top") == 200
    settled()
    assert room_doc(w)["lastMessage"]["messageId"] == "top"
    assert message(w, "top").get().get("replyCount") == 1
    assert found_ids(w, owner, "wallaby") == ["top"]

    messages = f"rooms/{room}/messages"
    edit_ = rest.update_write(f"{messages}/top", {"text": "edited wombat", "editedAt": SERVER_TIME})
    assert rest.commit([edit_], member).status_code == 200
    emptied = {"text": "", "attachments": [], "deletedAt": SERVER_TIME}
    assert rest.commit([rest.update_write(f"{messages}/reply", emptied)], owner).status_code == 200
    settled()
    assert room_doc(w)["lastMessage"]["text"] == "edited wombat"
    assert found_ids(w, owner, "wallaby") == [] and found_ids(w, owner, "wombat") == ["top"]
    assert found_ids(w, owner, "kangaroo") == []
    parent = message(w, "top").get().to_dict()
    assert (parent["replyCount"], parent["lastReplyAt"]) == (0, None)


def test_a_client_message_with_nul_characters_is_indexed_without_them(
    world, settled, rest: FirestoreRest
) -> None:
    """The rules accept any string, PostgreSQL text no NUL: a hostile client's "a\\0b" must
    not make the trigger fail (no summary, no index, no push) for the whole room."""
    w, room, member = world, world["room"], world["member"]
    assert client_send(rest, room, member, "nul", text="poison\x00quoll") == 200
    settled()
    assert room_doc(w)["lastMessage"]["messageId"] == "nul"
    assert found_ids(w, w["owner"], "poisonquoll") == ["nul"]
