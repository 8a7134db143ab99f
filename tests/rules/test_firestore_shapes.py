"""Shape tables for each client-written Firestore document type.

Every row is a document (or an edit of one) sent by alice, a member of r1, as the client
guide sends it; only the schema of docs/data-model.md may pass: every missing, extra,
wrong-typed or out-of-range field is denied, and a denied write leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.rules.assertions import assert_allowed, assert_denied
from tests.rules.world import CLOUD_URL, REACTION_AGE, created_at, image_attachment
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest

ALICE = "alice"
MESSAGE_PATH = "rooms/r1/messages/shape-test"
CLIENT_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # any time the client picks itself
OTHER_CLOUD = "https://res.cloudinary.com/someone-else/image/upload/v1/flowchat/rooms/r1/cat.jpg"
THUMB_URL = CLOUD_URL.replace("/v1700000000/", "/c_fill,g_auto,h_320,w_320/v1700000000/")


MISSING: Any = object()  # as a changed value: the field is removed


def stamp_for(message_path: str) -> dict[str, Any]:
    """The rate-limit stamp sent in the same batch as the message at ``message_path``."""
    return {
        "lastMessageAt": SERVER_TIME,
        "lastMessageId": message_path.rpartition("/")[2],
        "slot0": SERVER_TIME,
    }


def message(**changes: Any) -> dict[str, Any]:
    """A valid text message by alice with some fields changed (MISSING: field removed)."""
    doc = {
        "authorId": ALICE,
        "kind": "text",
        "text": "hello",
        "attachments": [],
        "createdAt": SERVER_TIME,
        "parentId": None,
    }
    return _changed(doc, changes)


def image_message(**changes: Any) -> dict[str, Any]:
    return message(**{"kind": "image", "text": "", "attachments": [image_attachment()], **changes})


def attachment(**changes: Any) -> dict[str, Any]:
    return _changed(image_attachment(), changes)


def _changed(doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    result = {**doc, **changes}
    return {key: value for key, value in result.items() if value is not MISSING}


NEW_MESSAGES = [
    ("valid text", message(), True),
    ("one character", message(text="x"), True),
    ("4000 characters", message(text="é" * 4000), True),
    ("4000 emoji (astral characters)", message(text="😀" * 4000), True),
    ("4001 emoji", message(text="😀" * 4001), False),
    ("4001 accented", message(text="é" * 4001), False),
    ("image with caption", image_message(text="look"), True),
    ("image without caption", image_message(), True),
    (
        "file",
        message(
            kind="file",
            text="",
            attachments=[attachment(kind="document", name="a.pdf", contentType="application/pdf")],
        ),
        True,
    ),
    (
        "video in a file message",
        message(
            kind="file", text="", attachments=[attachment(kind="video", contentType="video/mp4")]
        ),
        True,
    ),
    (
        "image with thumbnail and size",
        image_message(attachments=[attachment(thumbUrl=THUMB_URL, width=640, height=480)]),
        True,
    ),
    ("four attachments", image_message(attachments=[attachment()] * 4), True),
    ("thread reply", message(parentId="m-alice"), True),
    (
        "video url",
        image_message(
            attachments=[
                attachment(
                    url="https://res.cloudinary.com/demo-flowchat/video/upload/v1/flowchat/rooms/r1/clip.mp4"
                )
            ]
        ),
        True,
    ),
    ("no authorId", message(authorId=MISSING), False),
    ("no kind", message(kind=MISSING), False),
    ("no text", message(text=MISSING), False),
    ("no attachments", message(attachments=MISSING), False),
    ("no createdAt", message(createdAt=MISSING), False),
    ("createdAt null", message(createdAt=None), False),
    ("extra field", message(pinned=True), False),
    ("preset editedAt", message(editedAt=SERVER_TIME), False),
    ("preset deletedAt", message(deletedAt=SERVER_TIME), False),
    ("preset replyCount", message(replyCount=0), False),
    ("authorId not a string", message(authorId=1), False),
    ("someone else's authorId", message(authorId="mia"), False),
    ("kind not a string", message(kind=1), False),
    ("unknown kind", message(kind="video"), False),
    ("kind in capitals", message(kind="TEXT"), False),
    ("text not a string", message(text=5), False),
    ("text null", message(text=None), False),
    ("text a list", message(text=["hello"]), False),
    ("empty text", message(text=""), False),
    ("4001 characters", message(text="x" * 4001), False),
    ("caption of 4001", image_message(text="x" * 4001), False),
    ("attachments a map", message(attachments={"0": attachment()}), False),
    ("attachments a string", message(attachments=CLOUD_URL), False),
    ("text with attachment", message(attachments=[attachment()]), False),
    ("image without attachment", image_message(attachments=[]), False),
    ("five attachments", image_message(attachments=[attachment()] * 5), False),
    ("createdAt from client", message(createdAt=CLIENT_TIME), False),
    ("createdAt a string", message(createdAt="now"), False),
    ("parentId not a string", message(parentId=5), False),
    ("parentId empty", message(parentId=""), False),
    # Top-level messages say so: parentId null is required (timeline queries need it).
    ("parentId missing", message(parentId=MISSING), False),
    ("mentions of members", message(mentions=["mia", "adam"]), True),
    ("no mentions", message(mentions=[]), True),
    ("ten mentions", message(mentions=[f"u{i}" for i in range(10)]), True),
    ("eleven mentions", message(mentions=[f"u{i}" for i in range(11)]), False),
    ("a mention twice", message(mentions=["mia", "mia"]), False),
    ("a mention not a string", message(mentions=["mia", 5]), False),
    ("a mention with a space", message(mentions=["mia adam"]), False),
    ("a mention empty", message(mentions=[""]), False),
    ("mentions a string", message(mentions="mia"), False),
    ("mentions null", message(mentions=None), False),
    ("parentId a nested path", message(parentId="m-alice/reactions/mia"), False),
    ("parentId of dots", message(parentId=".."), False),
    ("parentId missing message", message(parentId="nope"), False),
    ("parentId a reply", message(parentId="m-reply"), False),
    ("parentId deleted", message(parentId="m-deleted"), False),
    ("attachment not a map", image_message(attachments=[CLOUD_URL]), False),
    ("attachment without url", image_message(attachments=[attachment(url=MISSING)]), False),
    ("attachment without name", image_message(attachments=[attachment(name=MISSING)]), False),
    (
        "attachment without type",
        image_message(attachments=[attachment(contentType=MISSING)]),
        False,
    ),
    ("attachment without size", image_message(attachments=[attachment(size=MISSING)]), False),
    ("attachment without kind", image_message(attachments=[attachment(kind=MISSING)]), False),
    ("attachment extra key", image_message(attachments=[attachment(bytes=10)]), False),
    (
        "unknown attachment kind",
        message(kind="file", text="", attachments=[attachment(kind="executable")]),
        False,
    ),
    ("video in an image message", image_message(attachments=[attachment(kind="video")]), False),
    ("width zero", image_message(attachments=[attachment(width=0)]), False),
    ("height not an int", image_message(attachments=[attachment(height=1.5)]), False),
    (
        "url of another room's folder",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("/rooms/r1/", "/rooms/r2/"))]),
        False,
    ),
    (
        "url outside the room folders",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("/flowchat/rooms/r1/", "/"))]),
        False,
    ),
    (
        "url in a sub-folder",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("/r1/", "/r1/sub/"))]),
        False,
    ),
    (
        "url with a user part",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("https://", "https://demo@"))]),
        False,
    ),
    (
        "url dot segment after the folder",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("/r1/", "/r1/../r2/"))]),
        False,
    ),
    (
        "url encoded dot segment after the folder",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("/r1/", "/r1/%2e%2E/r2/"))]),
        False,
    ),
    (
        "thumbnail of another cloud",
        image_message(attachments=[attachment(thumbUrl=OTHER_CLOUD)]),
        False,
    ),
    (
        "thumbnail climbing out",
        image_message(
            attachments=[
                attachment(
                    thumbUrl=THUMB_URL.replace("/r1/", "/r1/../../../../../../x/image/upload/")
                )
            ]
        ),
        False,
    ),
    (
        "thumbnail encoded climb",
        image_message(
            attachments=[attachment(thumbUrl=THUMB_URL.replace("/v1700000000/", "/%2e%2e/%2E%2E/"))]
        ),
        False,
    ),
    (
        "thumbnail of a transformation FlowChat never makes",
        image_message(
            attachments=[attachment(thumbUrl=THUMB_URL.replace("w_320/", "w_320,e_blur:2000/"))]
        ),
        False,
    ),
    (
        "avatar-sized thumbnail (a transformation FlowChat makes)",
        image_message(
            attachments=[
                attachment(
                    thumbUrl=THUMB_URL.replace(
                        "c_fill,g_auto,h_320,w_320", "c_thumb,g_face,h_128,w_128"
                    )
                )
            ]
        ),
        True,
    ),
    ("url of another cloud", image_message(attachments=[attachment(url=OTHER_CLOUD)]), False),
    (
        "url over http",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("https:", "http:"))]),
        False,
    ),
    (
        "url on a look-alike host",
        image_message(
            attachments=[
                attachment(url=CLOUD_URL.replace("cloudinary.com", "cloudinary.com.evil.example"))
            ]
        ),
        False,
    ),
    (
        "url of a look-alike cloud",
        image_message(
            attachments=[attachment(url=CLOUD_URL.replace("demo-flowchat", "demo-flowchat-evil"))]
        ),
        False,
    ),
    (
        "url of an unknown resource type",
        image_message(
            attachments=[attachment(url=CLOUD_URL.replace("/image/upload/", "/audio/upload/"))]
        ),
        False,
    ),
    (
        "url without upload",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("/upload/", "/fetch/"))]),
        False,
    ),
    (
        "url climbing to another cloud",
        image_message(
            attachments=[
                attachment(
                    url=CLOUD_URL.replace("/v1700000000/", "/../../../someone-else/image/upload/")
                )
            ]
        ),
        False,
    ),
    (
        "url climbing, percent-encoded",
        image_message(
            attachments=[
                attachment(
                    url=CLOUD_URL.replace("/v1700000000/", "/%2e%2E/%2E./.%2e/other/image/upload/")
                )
            ]
        ),
        False,
    ),
    (
        "url with a dot segment",
        image_message(attachments=[attachment(url=CLOUD_URL.replace("/v1700000000/", "/./"))]),
        False,
    ),
    ("url with a query", image_message(attachments=[attachment(url=CLOUD_URL + "?x=1")]), False),
    ("url too long", image_message(attachments=[attachment(url=CLOUD_URL + "a" * 2048)]), False),
    ("url not a string", image_message(attachments=[attachment(url=1)]), False),
    ("empty name", image_message(attachments=[attachment(name="")]), False),
    ("name of 256", image_message(attachments=[attachment(name="n" * 256)]), False),
    (
        "pdf in image message",
        image_message(attachments=[attachment(contentType="application/pdf")]),
        False,
    ),
    ("bogus content type", image_message(attachments=[attachment(contentType="jpeg")]), False),
    ("negative size", image_message(attachments=[attachment(size=-1)]), False),
    ("fractional size", image_message(attachments=[attachment(size=1.5)]), False),
    ("too large", image_message(attachments=[attachment(size=104857601)]), False),
    (
        "one bad attachment of two",
        image_message(attachments=[attachment(), attachment(size=-1)]),
        False,
    ),
    (
        "fourth attachment bad",
        image_message(attachments=[attachment()] * 3 + [attachment(url=OTHER_CLOUD)]),
        False,
    ),
]


@pytest.mark.parametrize(
    ("doc", "allowed"), [pytest.param(doc, allowed, id=name) for name, doc, allowed in NEW_MESSAGES]
)
def test_new_message_shape(
    firestore: FirestoreRest,
    world: dt.datetime,
    doc: dict[str, Any],
    allowed: bool,
) -> None:
    writes = [
        firestore.create_write(MESSAGE_PATH, doc),
        firestore.merge_write(f"rooms/r1/rateLimits/{ALICE}", stamp_for(MESSAGE_PATH)),
    ]
    response = firestore.commit(writes, ALICE)
    if allowed:
        assert_allowed(response)
        assert firestore.read(MESSAGE_PATH) is not None
    else:
        assert_denied(response)
        assert firestore.read(MESSAGE_PATH) is None


@pytest.mark.parametrize(
    ("message_id", "allowed"),
    [
        ("Xy09_-ab", True),
        ("a" * 128, True),
        ("a" * 129, False),
        ("has.dot", False),
        ("with space", False),
        ("é", False),
    ],
)
def test_new_message_id_alphabet(
    firestore: FirestoreRest,
    world: dt.datetime,
    message_id: str,
    allowed: bool,
) -> None:
    path = f"rooms/r1/messages/{message_id}"
    writes = [
        firestore.create_write(path, message()),
        firestore.merge_write(f"rooms/r1/rateLimits/{ALICE}", stamp_for(path)),
    ]
    response = firestore.commit(writes, ALICE)
    if allowed:
        assert_allowed(response)
    else:
        assert_denied(response)
        assert firestore.read(path) is None


EDIT = {"text": "edited", "editedAt": SERVER_TIME}
SOFT_DELETE = {"text": "", "attachments": [], "deletedAt": SERVER_TIME}

# (message, changed fields, allowed): updateDoc() by alice, the author.
MESSAGE_UPDATES = [
    ("edit", "m-alice", EDIT, True),
    ("edit to 4000 characters", "m-alice", {**EDIT, "text": "x" * 4000}, True),
    ("edit caption to empty", "m-image", {**EDIT, "text": ""}, True),
    ("edit without editedAt", "m-alice", {"text": "edited"}, False),
    ("editedAt from client", "m-alice", {**EDIT, "editedAt": CLIENT_TIME}, False),
    ("edit to empty text", "m-alice", {**EDIT, "text": ""}, False),
    ("edit to 4001 characters", "m-alice", {**EDIT, "text": "x" * 4001}, False),
    ("edit text to a number", "m-alice", {**EDIT, "text": 5}, False),
    ("edit kind", "m-alice", {**EDIT, "kind": "file"}, False),
    ("edit authorId", "m-alice", {**EDIT, "authorId": "mia"}, False),
    ("edit createdAt", "m-alice", {**EDIT, "createdAt": SERVER_TIME}, False),
    ("edit adds attachment", "m-alice", {**EDIT, "attachments": [image_attachment()]}, False),
    (
        "edit attachment url",
        "m-image",
        {**EDIT, "attachments": [attachment(url=OTHER_CLOUD)]},
        False,
    ),
    ("edit adds parentId", "m-alice", {**EDIT, "parentId": "m-first"}, False),
    ("edit adds a field", "m-alice", {**EDIT, "pinned": True}, False),
    ("edit sets deletedAt", "m-alice", {**EDIT, "deletedAt": SERVER_TIME}, False),
    ("edit after 24 hours", "m-old", EDIT, False),
    ("soft delete", "m-alice", SOFT_DELETE, True),
    ("soft delete image", "m-image", SOFT_DELETE, True),
    ("soft delete keeps text", "m-alice", {**SOFT_DELETE, "text": "hello"}, False),
    ("soft delete keeps attachments", "m-image", {"text": "", "deletedAt": SERVER_TIME}, False),
    ("deletedAt from client", "m-alice", {**SOFT_DELETE, "deletedAt": CLIENT_TIME}, False),
    ("deletedAt a string", "m-alice", {**SOFT_DELETE, "deletedAt": "now"}, False),
    ("soft delete and edit", "m-alice", {**SOFT_DELETE, "editedAt": SERVER_TIME}, False),
    ("soft delete changes kind", "m-alice", {**SOFT_DELETE, "kind": "file"}, False),
    ("undelete", "m-deleted", {"text": "back"}, False),
    ("clear deletedAt", "m-deleted", {"deletedAt": None, "text": "back"}, False),
]


@pytest.mark.parametrize(
    ("message_id", "changes", "allowed"),
    [
        pytest.param(message_id, changes, allowed, id=name)
        for name, message_id, changes, allowed in MESSAGE_UPDATES
    ],
)
def test_message_update_shape(
    firestore: FirestoreRest,
    world: dt.datetime,
    message_id: str,
    changes: dict[str, Any],
    allowed: bool,
) -> None:
    path = f"rooms/r1/messages/{message_id}"
    before = firestore.read(path)
    response = firestore.commit([firestore.update_write(path, changes)], ALICE)
    if allowed:
        assert_allowed(response)
        assert firestore.read(path) != before
    else:
        assert_denied(response)
        assert firestore.read(path) == before


REACTION = {"emoji": "👍", "createdAt": SERVER_TIME}
REACTIONS = [
    *[
        (f"emoji {emoji}", {**REACTION, "emoji": emoji}, True)
        for emoji in ["👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "👀"]
    ],
    ("other emoji", {**REACTION, "emoji": "💩"}, False),
    ("heart without variation selector", {**REACTION, "emoji": "❤"}, False),
    ("two emoji", {**REACTION, "emoji": "👍👍"}, False),
    ("word", {**REACTION, "emoji": "like"}, False),
    ("empty emoji", {**REACTION, "emoji": ""}, False),
    ("emoji a number", {**REACTION, "emoji": 1}, False),
    ("emoji a list", {**REACTION, "emoji": ["👍"]}, False),
    ("no emoji", {"createdAt": SERVER_TIME}, False),
    ("no createdAt", {"emoji": "👍"}, False),
    ("createdAt from client", {**REACTION, "createdAt": CLIENT_TIME}, False),
    ("extra field", {**REACTION, "count": 2}, False),
]


@pytest.mark.parametrize(
    ("doc", "allowed"), [pytest.param(doc, allowed, id=name) for name, doc, allowed in REACTIONS]
)
def test_reaction_shape(
    firestore: FirestoreRest,
    world: dt.datetime,
    doc: dict[str, Any],
    allowed: bool,
) -> None:
    path = f"rooms/r1/messages/m-last/reactions/{ALICE}"
    response = firestore.commit([firestore.create_write(path, doc)], ALICE)
    if allowed:
        assert_allowed(response)
        assert firestore.read(path) is not None
    else:
        assert_denied(response)
        assert firestore.read(path) is None


def receipt(message_id: str = "m-last", **changes: Any) -> dict[str, Any]:
    return _changed({"lastReadMessageId": message_id, "lastReadAt": message_id}, changes)


RECEIPTS = [
    ("up to the last message", receipt(), True),
    ("same watermark again", receipt("m-first"), True),
    ("backwards", receipt("m-old"), False),
    ("time of another message", receipt(lastReadAt="m-first"), False),
    ("time off by a microsecond", receipt(lastReadAt="m-last+1us"), False),
    ("time from the server clock", receipt(lastReadAt=SERVER_TIME), False),
    ("message of another room", receipt("other", lastReadAt="m-last"), False),
    ("id a nested path", receipt("m-alice/reactions/alice", lastReadAt="reaction"), False),
    ("missing message", receipt("nope", lastReadAt="m-last"), False),
    ("id not a string", receipt(lastReadMessageId=7), False),
    ("empty id", receipt(lastReadMessageId="", lastReadAt="m-last"), False),
    ("time a string", receipt(lastReadAt="yesterday"), False),
    ("no id", receipt(lastReadMessageId=MISSING), False),
    ("no time", receipt(lastReadAt=MISSING), False),
    ("extra field", receipt(unread=0), False),
    ("with the room sequence seen", receipt(lastReadSeq=12), True),
    ("sequence zero", receipt(lastReadSeq=0), True),
    ("sequence negative", receipt(lastReadSeq=-1), False),
    ("sequence a float", receipt(lastReadSeq=1.5), False),
    ("sequence a string", receipt(lastReadSeq="12"), False),
]


def test_the_read_sequence_never_moves_back(firestore: FirestoreRest, world: dt.datetime) -> None:
    path = f"rooms/r1/receipts/{ALICE}"
    at = created_at("m-last", world)
    firestore.seed({path: {"lastReadMessageId": "m-last", "lastReadAt": at, "lastReadSeq": 7}})
    for seq, allowed in ((6, False), (7, True), (9, True), (8, False)):
        doc = {"lastReadMessageId": "m-last", "lastReadAt": at, "lastReadSeq": seq}
        response = firestore.commit([firestore.set_write(path, doc)], ALICE)
        (assert_allowed if allowed else assert_denied)(response)
    dropped = {"lastReadMessageId": "m-last", "lastReadAt": at}  # would reset it to 0
    assert_denied(firestore.commit([firestore.set_write(path, dropped)], ALICE))


def _resolve_receipt(doc: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Turns ``lastReadAt: "<message id>"`` into that message's createdAt."""
    value = doc.get("lastReadAt")
    if value == "reaction":  # the createdAt of a seeded reaction document
        return {**doc, "lastReadAt": now - REACTION_AGE}
    if not isinstance(value, str) or value in ("yesterday",):
        return doc
    message_id, _, shift = value.partition("+")
    at = created_at(message_id, now) + (dt.timedelta(microseconds=1) if shift else dt.timedelta())
    return {**doc, "lastReadAt": at}


@pytest.mark.parametrize(
    ("doc", "allowed"), [pytest.param(doc, allowed, id=name) for name, doc, allowed in RECEIPTS]
)
def test_receipt_shape(
    firestore: FirestoreRest,
    world: dt.datetime,
    doc: dict[str, Any],
    allowed: bool,
) -> None:
    path = f"rooms/r1/receipts/{ALICE}"
    before = firestore.read(path)
    response = firestore.commit([firestore.set_write(path, _resolve_receipt(doc, world))], ALICE)
    if allowed:
        assert_allowed(response)
    else:
        assert_denied(response)
        assert firestore.read(path) == before


def test_first_receipt_is_created(firestore: FirestoreRest, world: dt.datetime) -> None:
    path = f"rooms/r1/receipts/{ALICE}"
    firestore.commit([firestore.delete_write(path)], "owner").raise_for_status()
    doc = _resolve_receipt(receipt("m-old"), world)
    assert_allowed(firestore.commit([firestore.set_write(path, doc)], ALICE))
    assert firestore.read(path) == doc


FREE = {"slot0": SERVER_TIME}  # the seeded stamp's only free slot (world.BUSY_SLOTS)
STAMPS = [
    ("server time", {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1", **FREE}, True),
    ("client time", {"lastMessageAt": CLIENT_TIME, "lastMessageId": "m1", **FREE}, False),
    ("a string", {"lastMessageAt": "now", "lastMessageId": "m1", **FREE}, False),
    (
        "extra field",
        {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1", "count": 1, **FREE},
        False,
    ),
    ("no slot", {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1"}, False),
    (
        "slot at client time",
        {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1", "slot0": CLIENT_TIME},
        False,
    ),
    ("slot a number", {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1", "slot0": 1}, False),
    (
        "busy slot",
        {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1", "slot1": SERVER_TIME},
        False,
    ),
    (
        "unknown slot",
        {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1", "slot5": SERVER_TIME},
        False,
    ),
    # Merged: the stamp keeps its old lastMessageId, which vouches for no new message.
    ("no message id", {"lastMessageAt": SERVER_TIME, **FREE}, True),
    ("message id a number", {"lastMessageAt": SERVER_TIME, "lastMessageId": 1, **FREE}, False),
    ("message id a path", {"lastMessageAt": SERVER_TIME, "lastMessageId": "m1/x/y", **FREE}, False),
    ("empty", {}, False),
]


@pytest.mark.parametrize(
    ("doc", "allowed"), [pytest.param(doc, allowed, id=name) for name, doc, allowed in STAMPS]
)
def test_rate_limit_stamp_shape(
    firestore: FirestoreRest,
    world: dt.datetime,
    doc: dict[str, Any],
    allowed: bool,
) -> None:
    path = f"rooms/r1/rateLimits/{ALICE}"
    before = firestore.read(path)
    response = firestore.commit([firestore.merge_write(path, doc)], ALICE)
    if allowed:
        assert_allowed(response)
        assert firestore.read(path) != before
    else:
        assert_denied(response)
        assert firestore.read(path) == before


def test_own_reaction_is_removable_after_the_message_was_deleted(
    firestore: FirestoreRest,
    world: dt.datetime,
) -> None:
    """Removing is always possible for a member; adding needs a live message."""
    path = f"rooms/r1/messages/m-deleted/reactions/{ALICE}"
    firestore.seed({path: {"emoji": "👍", "createdAt": world}})
    assert_denied(firestore.commit([firestore.set_write(path, REACTION)], ALICE))
    assert_allowed(firestore.commit([firestore.delete_write(path)], ALICE))
    assert firestore.read(path) is None
