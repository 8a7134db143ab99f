"""send_message: the rules' message document, written once per idempotency key."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import pytest

from tests.support.firestore_rest import SERVER_TIME, FirestoreRest

ROOM_ID = "{room_id}"  # filled in per room by attach()
CLOUD = f"https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/rooms/{ROOM_ID}/cat.png"
IMAGE = {"kind": "image", "url": CLOUD, "name": "cat.png", "contentType": "image/png", "size": 1234}


def in_room(data: Any, room_id: str) -> Any:
    """The test data with the room's id in its attachment URLs."""
    return json.loads(json.dumps(data).replace(ROOM_ID, room_id))


@pytest.fixture
def room(call, new_user) -> dict[str, Any]:
    """A group room of owner and member, plus an outsider."""
    owner, member, outsider = new_user(prefix="own"), new_user(prefix="mem"), new_user(prefix="out")
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Chat", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    return {"id": room_id, "owner": owner, "member": member, "outsider": outsider}


def key() -> str:
    return uuid.uuid4().hex


def messages_of(firestore, room_id: str) -> dict[str, dict[str, Any]]:
    return {d.id: d.to_dict() for d in firestore.collection(f"rooms/{room_id}/messages").stream()}


def test_send_writes_the_rules_document(call, firestore, room) -> None:
    out = call(
        "send_message",
        {"roomId": room["id"], "text": "hello", "idempotencyKey": key()},
        uid=room["member"]["uid"],
    )
    assert out.result["created"] is True and out.result["roomId"] == room["id"]
    doc = messages_of(firestore, room["id"])[out.result["messageId"]]
    assert set(doc) == {"authorId", "kind", "text", "attachments", "createdAt", "parentId"}
    assert doc["parentId"] is None  # explicit on top-level messages
    assert (doc["authorId"], doc["kind"], doc["text"], doc["attachments"]) == (
        room["member"]["uid"],
        "text",
        "hello",
        [],
    )
    stamp = firestore.document(f"rooms/{room['id']}/rateLimits/{room['member']['uid']}").get()
    assert stamp.get("lastMessageAt") == doc["createdAt"] == stamp.get("slot0")
    assert stamp.get("lastMessageId") == out.result["messageId"]


def test_retry_with_the_same_key_does_not_duplicate(call, firestore, room) -> None:
    data = {"roomId": room["id"], "text": "once", "idempotencyKey": key()}
    first = call("send_message", data, uid=room["owner"]["uid"])
    again = call("send_message", data, uid=room["owner"]["uid"])
    assert first.result["messageId"] == again.result["messageId"]
    assert (first.result["created"], again.result["created"]) == (True, False)
    assert len(messages_of(firestore, room["id"])) == 1


def test_same_key_different_message_is_refused(call, firestore, room) -> None:
    k = key()
    assert call(
        "send_message",
        {"roomId": room["id"], "text": "a", "idempotencyKey": k},
        uid=room["owner"]["uid"],
    ).ok
    out = call(
        "send_message",
        {"roomId": room["id"], "text": "b", "idempotencyKey": k},
        uid=room["owner"]["uid"],
    )
    assert out.status == "ALREADY_EXISTS"
    assert [m["text"] for m in messages_of(firestore, room["id"]).values()] == ["a"]


def test_same_key_from_another_sender_is_another_message(call, firestore, room) -> None:
    k = key()
    a = call(
        "send_message",
        {"roomId": room["id"], "text": "x", "idempotencyKey": k},
        uid=room["owner"]["uid"],
    )
    b = call(
        "send_message",
        {"roomId": room["id"], "text": "x", "idempotencyKey": k},
        uid=room["member"]["uid"],
    )
    assert a.result["messageId"] != b.result["messageId"]
    assert len(messages_of(firestore, room["id"])) == 2


def test_image_message_and_thread_reply(call, firestore, room) -> None:
    parent = call(
        "send_message",
        {
            "roomId": room["id"],
            "kind": "image",
            "text": "",
            "attachments": in_room([IMAGE], room["id"]),
            "idempotencyKey": key(),
        },
        uid=room["owner"]["uid"],
    ).result["messageId"]
    reply = call(
        "send_message",
        {"roomId": room["id"], "text": "nice", "parentId": parent, "idempotencyKey": key()},
        uid=room["member"]["uid"],
    )
    docs = messages_of(firestore, room["id"])
    assert docs[parent]["attachments"] == in_room([IMAGE], room["id"])
    assert docs[reply.result["messageId"]]["parentId"] == parent


def test_rate_limit_allows_a_burst_of_five_then_refuses(call, firestore, room) -> None:
    """The rules' policy: "ok" then "thanks" pass; the sixth message within 5 s waits."""
    sender = room["member"]["uid"]
    for text in ("ok", "thanks", "3", "4", "5"):
        data = {"roomId": room["id"], "text": text, "idempotencyKey": key()}
        assert call("send_message", data, uid=sender).ok, text
    out = call(
        "send_message", {"roomId": room["id"], "text": "6", "idempotencyKey": key()}, uid=sender
    )
    assert out.status == "RESOURCE_EXHAUSTED" and 1 <= out.details["retryAfterSeconds"] <= 5
    assert len(messages_of(firestore, room["id"])) == 5
    stamp = firestore.document(f"rooms/{room['id']}/rateLimits/{sender}").get().to_dict()
    assert {f"slot{i}" for i in range(5)} <= set(stamp)


def test_a_client_batch_and_the_callable_share_the_window(
    call, firestore, firestore_emulator, room
) -> None:
    """Slots taken by direct client sends count for send_message, and the other way round."""
    sender = room["member"]["uid"]
    for _ in range(3):
        assert client_send(firestore_emulator, sender, room["id"], TEXT_FIELDS) == 200
    for text in ("4", "5"):
        data = {"roomId": room["id"], "text": text, "idempotencyKey": key()}
        assert call("send_message", data, uid=sender).ok
    out = call(
        "send_message", {"roomId": room["id"], "text": "6", "idempotencyKey": key()}, uid=sender
    )
    assert out.status == "RESOURCE_EXHAUSTED"
    assert client_send(firestore_emulator, sender, room["id"], TEXT_FIELDS) == 403


@pytest.mark.parametrize(
    ("actor", "status"), [("outsider", "PERMISSION_DENIED"), (None, "UNAUTHENTICATED")]
)
def test_non_members_cannot_send(call, firestore, room, actor, status) -> None:
    uid = room[actor]["uid"] if actor else None
    out = call(
        "send_message", {"roomId": room["id"], "text": "hi", "idempotencyKey": key()}, uid=uid
    )
    assert out.status == status
    assert messages_of(firestore, room["id"]) == {}


def test_unknown_room_answers_like_a_room_of_others(call, room) -> None:
    out = call(
        "send_message",
        {"roomId": str(uuid.uuid4()), "text": "hi", "idempotencyKey": key()},
        uid=room["owner"]["uid"],
    )
    assert out.status == "PERMISSION_DENIED"


BAD_INPUT = [
    {"text": "no key"},
    {"text": "short key", "idempotencyKey": "abc"},
    {"text": "bad key", "idempotencyKey": "has spaces in it"},
    {"text": "", "idempotencyKey": "k" * 16},
    {"text": "x" * 4001, "idempotencyKey": "k" * 16},
    {"text": 5, "idempotencyKey": "k" * 16},
    {"kind": "video", "text": "x", "idempotencyKey": "k" * 16},
    {"kind": "text", "text": "x", "attachments": [IMAGE], "idempotencyKey": "k" * 16},
    {"kind": "image", "text": "", "attachments": [], "idempotencyKey": "k" * 16},
    {"kind": "image", "text": "", "attachments": [IMAGE] * 5, "idempotencyKey": "k" * 16},
    {
        "kind": "image",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "url": "https://evil.example/x.png"}],
    },
    {
        "kind": "image",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "url": CLOUD.replace("demo-flowchat", "other-cloud")}],
    },
    {
        "kind": "image",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [
            {**IMAGE, "url": CLOUD.rsplit("/", 1)[0] + "/../../../other-cloud/image/upload/x.png"}
        ],
    },
    {
        "kind": "image",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "url": CLOUD.rsplit("/", 1)[0] + "/%2e%2e/x.png"}],
    },
    {
        "kind": "image",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "contentType": "application/pdf"}],
    },
    {
        "kind": "file",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "size": 104_857_601}],
    },
    {
        "kind": "file",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "size": True}],
    },
    {
        "kind": "file",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "extra": 1}],
    },
    {
        "kind": "file",
        "text": "",
        "idempotencyKey": "k" * 16,
        "attachments": [{**IMAGE, "name": ""}],
    },
    *(
        {"kind": "image", "text": "", "idempotencyKey": "k" * 16, "attachments": [attachment]}
        for attachment in [
            {**IMAGE, "url": CLOUD.replace(ROOM_ID, str(uuid.UUID(int=7)))},
            {**IMAGE, "url": CLOUD.replace(f"/flowchat/rooms/{ROOM_ID}", "")},
            {**IMAGE, "url": CLOUD.replace("cat.png", "../cat.png")},
            {**IMAGE, "url": CLOUD.replace("cat.png", "%2E%2e/cat.png")},
            {**IMAGE, "url": CLOUD.replace("/v1/", "/v1/./")},
            {**IMAGE, "url": CLOUD + "?x=1"},
            {**IMAGE, "url": CLOUD.replace("https://", "https://user@")},
            {**IMAGE, "thumbUrl": CLOUD.replace("demo-flowchat", "other-cloud")},
            {**IMAGE, "thumbUrl": CLOUD.replace("cat.png", "..%2fx/cat.png")},
            {**IMAGE, "kind": "video"},
            {**IMAGE, "kind": "executable"},
            {**IMAGE, "width": 0},
            {**IMAGE, "height": 1.5},
            {k: v for k, v in IMAGE.items() if k != "kind"},
        ]
    ),
    {"text": "x", "parentId": "a/b", "idempotencyKey": "k" * 16},
    {"text": "x", "parentId": "", "idempotencyKey": "k" * 16},
    {"text": "x", "parentId": "a.b", "idempotencyKey": "k" * 16},
    {"text": "x", "parentId": "p" * 129, "idempotencyKey": "k" * 16},
]


@pytest.mark.parametrize("data", BAD_INPUT)
def test_bad_input_is_invalid_argument(call, firestore, room, data) -> None:
    data = in_room(data, room["id"])
    out = call("send_message", {"roomId": room["id"], **data}, uid=room["owner"]["uid"])
    assert out.status == "INVALID_ARGUMENT", out.body
    assert messages_of(firestore, room["id"]) == {}


def test_reply_to_missing_or_nested_parent(call, firestore, room) -> None:
    owner = room["owner"]["uid"]
    missing = call(
        "send_message",
        {"roomId": room["id"], "text": "r", "parentId": "nope", "idempotencyKey": key()},
        uid=owner,
    )
    assert missing.status == "NOT_FOUND"
    parent = call(
        "send_message", {"roomId": room["id"], "text": "p", "idempotencyKey": key()}, uid=owner
    ).result["messageId"]
    reply = call(
        "send_message",
        {"roomId": room["id"], "text": "r", "parentId": parent, "idempotencyKey": key()},
        uid=room["member"]["uid"],
    )
    nested = call(
        "send_message",
        {
            "roomId": room["id"],
            "text": "n",
            "parentId": reply.result["messageId"],
            "idempotencyKey": key(),
        },
        uid=room["member"]["uid"],
    )
    assert nested.status == "INVALID_ARGUMENT"
    assert len(messages_of(firestore, room["id"])) == 2


def test_concurrent_retries_create_one_message(committed, firestore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    owner, member = committed.user("conc"), committed.user("conc")
    room_id = committed.call(
        "create_room",
        {"kind": "group", "name": "Race", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    data = {"roomId": room_id, "text": "twice at once", "idempotencyKey": key()}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda _: committed.call("send_message", data, uid=member["uid"]), range(4))
        )
    assert len({r.result["messageId"] for r in results}) == 1
    assert sorted(r.result["created"] for r in results) == [False, False, False, True]
    assert len(messages_of(firestore, room_id)) == 1


def test_concurrent_sends_with_different_keys_respect_the_rate_limit(committed, firestore) -> None:
    """A burst of distinct messages at once: the stamp's transaction lets five through."""
    from concurrent.futures import ThreadPoolExecutor

    owner, member = committed.user("burst"), committed.user("burst")
    room_id = committed.call(
        "create_room",
        {"kind": "group", "name": "Burst", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]

    def send(i: int) -> Any:
        data = {"roomId": room_id, "text": f"burst {i}", "idempotencyKey": key()}
        return committed.call("send_message", data, uid=member["uid"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(send, range(7)))
    outcomes = sorted("OK" if r.ok else r.status for r in results)
    assert outcomes == ["OK"] * 5 + ["RESOURCE_EXHAUSTED"] * 2
    assert len(messages_of(firestore, room_id)) == 5


TEXT_FIELDS = {"authorId": "{uid}", "kind": "text", "text": "direct", "attachments": []}
_SENDS = itertools.count()


def client_send(firestore_emulator: str, uid: str, room_id: str, fields: dict[str, Any]) -> int:
    """A client's message batch (message + rate stamp) over REST under the rules: status.

    Successive calls take the stamp's slots in turn, as the client guide's sender does."""
    message_id = uuid.uuid4().hex[:20]
    slot = f"slot{next(_SENDS) % 5}"
    fields = {"parentId": None, **{k: (uid if v == "{uid}" else v) for k, v in fields.items()}}
    stamp = {"lastMessageId": message_id, "lastMessageAt": SERVER_TIME, slot: SERVER_TIME}
    with FirestoreRest(firestore_emulator, "demo-flowchat") as rest:
        writes = [
            rest.create_write(
                f"rooms/{room_id}/messages/{message_id}", {**fields, "createdAt": SERVER_TIME}
            ),
            rest.merge_write(f"rooms/{room_id}/rateLimits/{uid}", stamp),  # other slots stay
        ]
        return rest.commit(writes, uid).status_code


@pytest.mark.parametrize(
    "data",
    [
        {"text": "plain"},
        {"kind": "image", "text": "caption", "attachments": [IMAGE]},
        {
            "kind": "image",
            "text": "",
            "attachments": [
                {**IMAGE, "thumbUrl": CLOUD.replace("/v1/", "/c_fill,g_auto,h_320,w_320/v1/")},
                {**IMAGE, "width": 640, "height": 480},
            ],
        },
        {
            "kind": "file",
            "text": "",
            "attachments": [{**IMAGE, "kind": "document", "contentType": "text/plain"}] * 2,
        },
    ],
)
def test_the_callable_writes_what_the_rules_accept(
    call, firestore, firestore_emulator, room, data
) -> None:
    sender = room["member"]["uid"]
    data = in_room(data, room["id"])
    out = call("send_message", {"roomId": room["id"], "idempotencyKey": key(), **data}, uid=sender)
    stored = messages_of(firestore, room["id"])[out.result["messageId"]]
    # Another member sends the same document: the sender's own stamp was just set by the
    # callable, and the rules' rate limit would refuse a second message within a second.
    other = room["owner"]["uid"]
    fields = {**{k: v for k, v in stored.items() if k != "createdAt"}, "authorId": other}
    assert client_send(firestore_emulator, other, room["id"], fields) == 200
    outsider = room["outsider"]["uid"]
    assert (
        client_send(firestore_emulator, outsider, room["id"], {**fields, "authorId": outsider})
        == 403
    )
