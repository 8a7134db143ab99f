"""Property-based tests: random messages, reactions and receipts sent by a member.

Hypothesis builds documents around the schema (valid ones, near misses and junk); the
pure-Python oracle of schema_oracle.py says which are valid; the emulator running the
real firestore.rules must accept exactly those. Nothing outside the schema gets in.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.schema_oracle import (
    is_valid_new_message,
    is_valid_reaction,
    is_valid_receipt,
    is_valid_stamp_write,
)
from tests.rules.world import CLOUD_URL, MESSAGE_AGES, OWN_MESSAGE_AGE, USERS
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest
from tests.support.id_tokens import OWNER

ALICE = "alice"
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Any Firestore value, small (no array directly inside an array: Firestore refuses those).
plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.just(dt.UTC),
    ),
)
maps = st.dictionaries(
    st.text("abcxyz", min_size=1, max_size=6),
    st.one_of(plain, st.lists(plain, max_size=3)),
    max_size=3,
)
nested_value = st.one_of(plain, maps, st.lists(st.one_of(plain, maps), max_size=3))
field_value = st.one_of(nested_value, st.just(SERVER_TIME))  # top-level fields only


EXTRA_KEYS = ["extra", "editedAt", "deletedAt", "replyCount", "pinned"]


def mutated(
    valid: st.SearchStrategy[dict[str, Any]],
    near_misses: dict[str, st.SearchStrategy[Any]],
    junk: st.SearchStrategy[Any] = field_value,
) -> st.SearchStrategy[dict[str, Any]]:
    """A valid document, or one with a field set to a near miss or junk, dropped, or added."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        doc = dict(draw(valid))
        change = draw(st.sampled_from(["none", "replace", "replace", "drop", "add"]))
        key = draw(st.sampled_from(sorted(near_misses)))
        if change == "replace":
            doc[key] = draw(st.one_of(near_misses[key], near_misses[key], junk))
        elif change == "drop":
            doc.pop(key, None)
        elif change == "add":
            doc[draw(st.sampled_from(EXTRA_KEYS))] = draw(junk)
        return doc

    return build()


MAX_BYTES = 104857600
OTHER_URLS = [
    "https://res.cloudinary.com/demo-flowchat/audio/upload/v1/f.mp3",
    "https://res.cloudinary.com/demo-flowchat-x/image/upload/v1/f.jpg",
    "https://res.cloudinary.com/other/image/upload/v1/f.jpg",
    "http://res.cloudinary.com/demo-flowchat/image/upload/v1/f.jpg",
    CLOUD_URL + "?x=1",
    CLOUD_URL + " ",
    "",
    "https://res.cloudinary.com/demo-flowchat/image/upload/../../other/image/upload/f.jpg",
    "https://res.cloudinary.com/demo-flowchat/raw/upload/%2E%2e/x",
    CLOUD_URL + "/..",
    CLOUD_URL.replace("/r1/", "/r2/"),
    CLOUD_URL.replace("/r1/", "/r1/%2e%2e/r2/"),
    CLOUD_URL.replace("/flowchat/rooms/r1", ""),
    CLOUD_URL.replace("/upload/", "/upload/c_scale,w_9000/"),
    CLOUD_URL.replace("/upload/", "/upload/c_fill,h_320,w_320/"),
]


@st.composite
def valid_attachments(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    resource = draw(st.sampled_from(["image", "video", "raw"]))
    item_kind = "image" if kind == "image" else draw(st.sampled_from(["image", "document"]))
    types = ["image/jpeg", "image/png"] if item_kind == "image" else ["application/pdf"]
    transformation = draw(
        st.sampled_from(["", "c_fill,g_auto,h_320,w_320/", "c_thumb,g_face,h_128,w_128/"])
    )
    file_name = draw(st.text("abcEeXYZ0129_-", min_size=1, max_size=20))
    extension = draw(st.sampled_from(["", ".jpg", ".PDF"]))
    item = {
        "kind": item_kind,
        "url": f"https://res.cloudinary.com/demo-flowchat/{resource}/upload/{transformation}"
        f"v1/flowchat/rooms/r1/{file_name}{extension}",
        "name": draw(st.text(min_size=1, max_size=255)),
        "contentType": draw(st.sampled_from(types)),
        "size": draw(st.integers(0, MAX_BYTES)),
    }
    if draw(st.booleans()):
        item.update(thumbUrl=CLOUD_URL, width=draw(st.integers(1, 100_000)), height=1)
    return item


ATTACHMENT_NEAR_MISSES = {
    "url": st.sampled_from(OTHER_URLS + [CLOUD_URL]),
    "name": st.sampled_from(["", "n" * 255, "n" * 256]),
    "contentType": st.sampled_from(["application/pdf", "image", "IMAGE/PNG", "text/plain"]),
    "size": st.sampled_from([-1, 0, MAX_BYTES, MAX_BYTES + 1, 1.5]),
    "kind": st.sampled_from(["image", "video", "document", "other", "exe", ""]),
    "thumbUrl": st.sampled_from(OTHER_URLS + [CLOUD_URL]),
    "width": st.sampled_from([0, 1, 100_000, 100_001, 2.5]),
}
attachment_junk = st.one_of(plain, maps)


@st.composite
def valid_messages(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["text", "image", "file"]))
    count = 0 if kind == "text" else draw(st.integers(1, 4))
    text = draw(
        st.one_of(
            st.text(min_size=1 if kind == "text" else 0, max_size=30),
            st.integers(3990, 4000).map(lambda n: "x" * n),
        )
    )
    doc = {
        "authorId": ALICE,
        "kind": kind,
        "text": text,
        "createdAt": SERVER_TIME,
        "attachments": [draw(valid_attachments(kind)) for _ in range(count)],
    }
    doc["parentId"] = "m-alice" if draw(st.booleans()) else None
    if draw(st.booleans()):
        doc["mentions"] = draw(st.lists(st.sampled_from(USERS), max_size=4, unique=True))
    return doc


def _attachment_lists(kind: str) -> st.SearchStrategy[list[Any]]:
    one = mutated(valid_attachments(kind), ATTACHMENT_NEAR_MISSES, attachment_junk)
    return st.lists(one, min_size=0, max_size=5)


MESSAGE_NEAR_MISSES = {
    "authorId": st.sampled_from(["mia", "", "Alice"]),
    "kind": st.sampled_from(["text", "image", "file", "video", "TEXT"]),
    "text": st.sampled_from(["", "x", "x" * 4000, "x" * 4001]),
    "attachments": st.one_of(_attachment_lists("image"), _attachment_lists("file")),
    "createdAt": st.sampled_from([dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "now", None]),
    "parentId": st.sampled_from(
        ["m-alice", "m-reply", "m-deleted", "nope", "", 5, None, "m-alice/reactions/mia"]
    ),
    "mentions": st.one_of(
        st.lists(st.sampled_from(["mia", "adam", "", "a b", "x/y", 5, None]), max_size=4),
        st.lists(st.sampled_from(USERS), min_size=9, max_size=12),
        st.just("mia"),
    ),
}
messages = mutated(valid_messages(), MESSAGE_NEAR_MISSES)


@SETTINGS
@given(doc=messages)
def test_only_schema_messages_are_accepted(
    firestore: FirestoreRest,
    world: dt.datetime,
    doc: dict[str, Any],
) -> None:
    firestore.commit([firestore.delete_write(f"rooms/r1/rateLimits/{ALICE}")], OWNER)
    message_id = f"p-{uuid.uuid4().hex}"
    path = f"rooms/r1/messages/{message_id}"
    stamp = firestore.merge_write(
        f"rooms/r1/rateLimits/{ALICE}",
        {"lastMessageAt": SERVER_TIME, "lastMessageId": message_id, "slot0": SERVER_TIME},
    )
    response = firestore.commit([firestore.create_write(path, doc), stamp], ALICE)

    expected = is_valid_new_message(doc, ALICE, thread_parents={"m-alice"})
    assert response.status_code == (200 if expected else 403), (doc, response.text)
    assert (firestore.read(path) is not None) == expected


EMOJI = ["👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "👀"]
NEAR_EMOJI = ["❤", "💩", "👍👍", "", "like", " 👍"]
reactions = mutated(
    st.fixed_dictionaries(
        {
            "emoji": st.one_of(st.sampled_from(EMOJI), st.sampled_from(NEAR_EMOJI), st.text()),
            "createdAt": st.just(SERVER_TIME),
        }
    ),
    {
        "emoji": st.sampled_from(EMOJI),
        "createdAt": st.sampled_from([dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "now", None]),
    },
)


@SETTINGS
@given(doc=reactions)
def test_only_schema_reactions_are_accepted(
    firestore: FirestoreRest,
    world: dt.datetime,
    doc: dict[str, Any],
) -> None:
    path = f"rooms/r1/messages/m-last/reactions/{ALICE}"
    firestore.commit([firestore.delete_write(path)], OWNER)
    response = firestore.commit([firestore.set_write(path, doc)], ALICE)

    expected = is_valid_reaction(doc)
    assert response.status_code == (200 if expected else 403), (doc, response.text)
    assert (firestore.read(path) is not None) == expected


MESSAGE_IDS = [*MESSAGE_AGES, *(f"m-{uid}" for uid in USERS)]


def _created(now: dt.datetime) -> dict[str, dt.datetime]:
    ages = {**{f"m-{uid}": OWN_MESSAGE_AGE for uid in USERS}, **MESSAGE_AGES}
    return {message_id: now - age for message_id, age in ages.items()}


receipt_ids = st.one_of(
    st.sampled_from([*MESSAGE_IDS, "other", "nope", "", "m-alice/reactions/alice"]), plain
)
receipt_times = st.one_of(
    st.sampled_from(MESSAGE_IDS),  # resolved to that message's createdAt
    st.sampled_from(MESSAGE_IDS).map(lambda message_id: (message_id, 1)),  # 1 µs later
    field_value,
)


@SETTINGS
@given(
    message_id=receipt_ids,
    at=receipt_times,
    extra=st.booleans(),
    drop=st.booleans(),
    seq=st.one_of(st.none(), st.integers(-2, 5), st.just(2**40), plain),
)
def test_only_schema_receipts_are_accepted(
    firestore: FirestoreRest,
    world: dt.datetime,
    message_id: Any,
    at: Any,
    extra: bool,
    drop: bool,
    seq: Any,
) -> None:
    created = _created(world)
    if isinstance(at, str) and at in created:
        at = created[at]
    elif isinstance(at, tuple):
        at = created[at[0]] + dt.timedelta(microseconds=at[1])
    doc: dict[str, Any] = {"lastReadMessageId": message_id, "lastReadAt": at}
    if extra:
        doc["unread"] = 0
    if drop:
        doc.pop("lastReadAt")
    if seq is not None:
        doc["lastReadSeq"] = seq
    path = f"rooms/r1/receipts/{ALICE}"
    current = created["m-first"]
    firestore.seed({path: {"lastReadAt": current, "lastReadMessageId": "m-first"}})

    response = firestore.commit([firestore.set_write(path, doc)], ALICE)

    expected = is_valid_receipt(doc, created, current)
    assert response.status_code == (200 if expected else 403), (doc, response.text)


# ---- the rate-limit stamp: the burst limit ----

SLOT_NAMES = ["slot0", "slot1", "slot2", "slot3", "slot4", "slot5", "extra"]
# Seconds since a seeded slot was taken: well inside or outside the 5 s window, or ahead.
SLOT_AGES = [0.5, 3.0, 6.0, 3600.0, -3600.0]
slot_states = st.dictionaries(
    st.sampled_from(SLOT_NAMES[:5]), st.sampled_from(SLOT_AGES), max_size=5
)
slot_values = st.one_of(st.just(SERVER_TIME), st.just(SERVER_TIME), field_value)
stamp_writes = st.dictionaries(st.sampled_from(SLOT_NAMES), slot_values, max_size=3)


@SETTINGS
@given(
    ages=slot_states,
    slots=stamp_writes,
    merge=st.booleans(),
    message_id=st.sampled_from(["m1", "m-2_x", "", "a/b", 7]),
)
def test_only_stamps_within_the_burst_are_accepted(
    firestore: FirestoreRest,
    world: dt.datetime,
    ages: dict[str, float],
    slots: dict[str, Any],
    merge: bool,
    message_id: Any,
) -> None:
    path = f"rooms/r1/rateLimits/{ALICE}"
    now = dt.datetime.now(dt.UTC)
    before: dict[str, Any] = {
        "lastMessageAt": now - dt.timedelta(hours=1),
        "lastMessageId": "m-first",
    }
    before.update({slot: now - dt.timedelta(seconds=age) for slot, age in ages.items()})
    firestore.commit([firestore.delete_write(path)], OWNER)
    firestore.seed({path: before})
    doc = {"lastMessageAt": SERVER_TIME, "lastMessageId": message_id, **slots}
    write = firestore.merge_write(path, doc) if merge else firestore.set_write(path, doc)

    response = firestore.commit([write], ALICE)

    expected = is_valid_stamp_write(before, doc, merge, ages)
    assert response.status_code == (200 if expected else 403), (ages, doc, merge, response.text)
