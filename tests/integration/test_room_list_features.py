"""Item 9 of issue 11 through the real rules, callables and triggers: unread counts and
previews from the room summary, top-level messages queryable by parentId == null (with the
backfill of older messages), validated @mentions and reactionCounts kept by the trigger."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from google.cloud import firestore as gcf

from tests.support.chat_writes import message_batch
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest


@pytest.fixture
def world(group_world: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """Committed users: owner and member of a group room, and an outsider."""
    return group_world("Features")


def send(w: dict[str, Any], uid: str, text: str, **extra: Any) -> Any:
    data = {"roomId": w["room"], "text": text, "idempotencyKey": uuid.uuid4().hex, **extra}
    return w["call"]("send_message", data, uid=uid)


def room_doc(w: dict[str, Any]) -> dict[str, Any]:
    return w["db"].document(f"rooms/{w['room']}").get().to_dict()


def message(w: dict[str, Any], message_id: str) -> dict[str, Any]:
    return w["db"].document(f"rooms/{w['room']}/messages/{message_id}").get().to_dict()


def client_send(rest: FirestoreRest, w: dict[str, Any], uid: str, slot: int, **extra: Any) -> str:
    message_id = uuid.uuid4().hex[:20]
    writes = message_batch(rest, w["room"], uid, message_id, slot=f"slot{slot}", **extra)
    response = rest.commit(writes, uid)
    assert response.status_code == 200, response.text
    return message_id


def unread(w: dict[str, Any], uid: str) -> int:
    """What the client guide's badge shows: messageSeq - lastReadSeq."""
    receipt = w["db"].document(f"rooms/{w['room']}/receipts/{uid}").get().to_dict() or {}
    return int(room_doc(w).get("messageSeq", 0)) - int(receipt.get("lastReadSeq", 0))


def test_unread_count_and_preview_come_from_the_room_summary(
    world, rest, settled, triggers
) -> None:
    w = world
    ids = [send(w, w["owner"], f"news {i}").result["messageId"] for i in range(3)]
    settled()
    room = room_doc(w)
    assert room["messageSeq"] == 3 and unread(w, w["member"]) == 3
    assert room["lastMessage"]["messageId"] == ids[-1]
    assert room["lastMessage"]["text"] == "news 2"

    created = w["db"].document(f"rooms/{w['room']}/messages/{ids[-1]}").get().get("createdAt")
    receipt = {"lastReadMessageId": ids[-1], "lastReadAt": created, "lastReadSeq": 3}
    path = f"rooms/{w['room']}/receipts/{w['member']}"
    assert rest.commit([rest.set_write(path, receipt)], w["member"]).status_code == 200
    assert unread(w, w["member"]) == 0

    reply = send(w, w["member"], "a thread reply", parentId=ids[0]).result["messageId"]
    send(w, w["owner"], "one more")
    settled()
    assert unread(w, w["member"]) == 1  # the reply is in a thread, not the timeline
    assert message(w, ids[0])["replyCount"] == 1 and message(w, reply)["parentId"] == ids[0]

    creations = [
        d
        for d in triggers.dispatcher.deliveries
        if d.trigger.name == "on_message_written" and d.event["document"].endswith(ids[1])
    ]
    triggers.dispatcher.redeliver(creations[0])
    settled()
    assert room_doc(w)["messageSeq"] == 4  # a redelivered creation is not counted again


def test_top_level_messages_are_queryable_and_older_ones_are_backfilled(world, settled) -> None:
    from flowchat.services import parent_id_backfill

    w = world
    top = send(w, w["owner"], "top").result["messageId"]
    reply = send(w, w["member"], "reply", parentId=top).result["messageId"]
    legacy = w["db"].document(f"rooms/{w['room']}/messages/legacy-{uuid.uuid4().hex[:8]}")
    legacy.set(
        {
            "authorId": w["owner"],
            "kind": "text",
            "text": "old",
            "attachments": [],
            "createdAt": gcf.SERVER_TIMESTAMP,
        }
    )  # written before parentId was required
    settled()
    messages = w["db"].collection(f"rooms/{w['room']}/messages")

    def timeline() -> set[str]:
        return {
            d.id for d in messages.where(filter=gcf.FieldFilter("parentId", "==", None)).stream()
        }

    assert timeline() == {top}
    assert parent_id_backfill.backfill(w["db"], page_size=2) >= 1
    assert timeline() == {top, legacy.id} and reply not in timeline()
    assert parent_id_backfill.backfill(w["db"]) == 0  # idempotent


def test_mentions_keep_only_members(world, rest, settled) -> None:
    w = world
    mixed = [w["member"], w["outsider"], "not-a-user"]
    direct = client_send(rest, w, w["owner"], 0, mentions=mixed)
    settled()
    assert message(w, direct)["mentions"] == [w["member"]]
    kept = client_send(rest, w, w["owner"], 1, mentions=[w["member"]])
    settled()
    assert message(w, kept)["mentions"] == [w["member"]]

    refused = send(w, w["owner"], "hey", mentions=[w["member"], w["outsider"]])
    assert refused.status == "INVALID_ARGUMENT"
    sent = send(w, w["owner"], "hey", mentions=[w["member"]]).result["messageId"]
    assert message(w, sent)["mentions"] == [w["member"]]
    assert send(w, w["owner"], "x", mentions=["a"] * 11).status == "INVALID_ARGUMENT"


def test_reaction_counts_are_kept_on_the_message_once_per_event(
    world, rest, settled, triggers
) -> None:
    w = world
    target = send(w, w["owner"], "react to me").result["messageId"]
    base = f"rooms/{w['room']}/messages/{target}/reactions"

    def react(uid: str, emoji: str | None) -> None:
        path = f"{base}/{uid}"
        write = (
            rest.delete_write(path)
            if emoji is None
            else rest.set_write(path, {"emoji": emoji, "createdAt": SERVER_TIME})
        )
        assert rest.commit([write], uid).status_code == 200
        settled()

    react(w["member"], "👍")
    react(w["owner"], "👍")
    assert message(w, target)["reactionCounts"] == {"👍": 2}
    react(w["member"], "🎉")
    react(w["owner"], None)
    assert message(w, target)["reactionCounts"] == {"👍": 0, "🎉": 1}

    handled = [
        d
        for d in triggers.dispatcher.deliveries
        if d.trigger.name == "on_reaction_written" and d.event["document"].startswith(base)
    ]
    assert len(handled) == 4
    for delivery in handled:
        triggers.dispatcher.redeliver(delivery)
    settled()
    assert message(w, target)["reactionCounts"] == {"👍": 0, "🎉": 1}
    assert room_doc(w)["messageSeq"] == 1  # the count updates are not new messages
