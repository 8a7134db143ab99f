"""The schema of docs/data-model.md as plain Python: which client documents are valid.

Written from the documented schema, independently of the rules files, so that the
property tests can compare what the emulator accepts with what should be accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.support.database_rest import SERVER_TIMESTAMP
from tests.support.firestore_rest import SERVER_TIME

# A file directly in the room's folder, bare or in one of FlowChat's two thumbnail
# transformations; {room} is the room id.
ROOM_FILE_URL = (
    r"https://res\.cloudinary\.com/demo-flowchat/(image|video|raw)/upload/"
    r"(c_fill,g_auto,h_320,w_320/|c_thumb,g_face,h_128,w_128/)?(v[0-9]+/)?"
    r"flowchat/rooms/{room}/[A-Za-z0-9_-]{{1,128}}"
    r"(\.[A-Za-z0-9]{{1,10}})?"
)
CONTENT_TYPE = re.compile(r"[a-z]+/[A-Za-z0-9.+-]+")
MESSAGE_KEYS = {"authorId", "kind", "text", "attachments", "createdAt"}
ATTACHMENT_KEYS = {"kind", "url", "name", "contentType", "size"}
OPTIONAL_ATTACHMENT_KEYS = {"thumbUrl", "width", "height"}
ATTACHMENT_KINDS = {"image", "video", "document", "other"}
REACTIONS = {"👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "👀"}
MAX_BYTES = 100 * 1024 * 1024
FRESH_MS = 60_000


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str(value: Any, low: int, high: int) -> bool:
    return isinstance(value, str) and low <= len(value) <= high


def _only_dots(segment: str) -> bool:
    """A path segment a browser would resolve as '.' or '..' (dots, maybe %2e-encoded)."""
    decoded = segment.replace("%2e", ".").replace("%2E", ".")
    return decoded != "" and set(decoded) == {"."}


def is_room_file_url(url: Any, room: str) -> bool:
    return (
        _is_str(url, 0, 2048)
        and re.fullmatch(ROOM_FILE_URL.format(room=re.escape(room)), url) is not None
        and not any(_only_dots(part) for part in url.split("/")[3:])
    )


def _is_dimension(item: dict[str, Any], key: str) -> bool:
    return key not in item or (_is_int(item[key]) and 1 <= item[key] <= 100_000)


def is_valid_attachment(kind: str, item: Any, room: str = "r1") -> bool:
    return (
        isinstance(item, dict)
        and ATTACHMENT_KEYS <= set(item) <= ATTACHMENT_KEYS | OPTIONAL_ATTACHMENT_KEYS
        and isinstance(item["kind"], str)
        and item["kind"] in ATTACHMENT_KINDS
        and (kind != "image" or item["kind"] == "image")
        and is_room_file_url(item["url"], room)
        and ("thumbUrl" not in item or is_room_file_url(item["thumbUrl"], room))
        and _is_str(item["name"], 1, 255)
        and _is_str(item["contentType"], 0, 127)
        and CONTENT_TYPE.fullmatch(item["contentType"]) is not None
        and (item["kind"] != "image" or item["contentType"].startswith("image/"))
        and _is_int(item["size"])
        and 0 <= item["size"] <= MAX_BYTES
        and _is_dimension(item, "width")
        and _is_dimension(item, "height")
    )


MAX_MENTIONS = 10
ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def is_valid_mentions(value: Any) -> bool:
    """At most ten distinct uids of the id alphabet (membership is the trigger's job)."""
    return (
        isinstance(value, list)
        and len(value) <= MAX_MENTIONS
        and all(isinstance(m, str) and ID.fullmatch(m) for m in value)
        and len(set(value)) == len(value)
    )


def is_valid_new_message(doc: dict[str, Any], author: str, thread_parents: set[str]) -> bool:
    """A message create by ``author``; ``thread_parents`` are the ids a reply may point at."""
    keys = set(doc)
    if not (MESSAGE_KEYS | {"parentId"} <= keys <= MESSAGE_KEYS | {"parentId", "mentions"}):
        return False
    if "mentions" in doc and not is_valid_mentions(doc["mentions"]):
        return False
    kind, text, attachments = doc["kind"], doc["text"], doc["attachments"]
    if doc["authorId"] != author or kind not in ("text", "image", "file"):
        return False
    if not _is_str(text, 1 if kind == "text" else 0, 4000):
        return False
    if not isinstance(attachments, list) or len(attachments) > 4:
        return False
    if (kind == "text") != (len(attachments) == 0):
        return False
    if not all(is_valid_attachment(kind, item) for item in attachments):
        return False
    return doc["createdAt"] is SERVER_TIME and (
        doc["parentId"] is None
        or (isinstance(doc["parentId"], str) and doc["parentId"] in thread_parents)
    )


def is_valid_reaction(doc: dict[str, Any]) -> bool:
    return (
        set(doc) == {"emoji", "createdAt"}
        and isinstance(doc["emoji"], str)
        and doc["emoji"] in REACTIONS
        and doc["createdAt"] is SERVER_TIME
    )


def is_valid_receipt(
    doc: dict[str, Any],
    created: dict[str, dt.datetime],
    current: dt.datetime,
) -> bool:
    """A receipt write; ``created`` maps the room's message ids to their createdAt."""
    if (
        not {"lastReadAt", "lastReadMessageId"}
        <= set(doc)
        <= {"lastReadAt", "lastReadMessageId", "lastReadSeq"}
    ):
        return False
    seq = doc.get("lastReadSeq", 0)
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        return False
    message_id, at = doc["lastReadMessageId"], doc["lastReadAt"]
    return (
        isinstance(at, dt.datetime)
        and isinstance(message_id, str)
        and message_id in created
        and created[message_id] == at
        and at >= current
    )


# ---- Realtime Database ----


def normalized(value: Any) -> Any:
    """What the RTDB stores for a JSON value: no nulls, no empty maps, lists as maps."""
    if isinstance(value, list):
        value = {str(index): item for index, item in enumerate(value)}
    if isinstance(value, dict):
        if value == SERVER_TIMESTAMP:
            return value
        kept = {key: normalized(item) for key, item in value.items()}
        kept = {key: item for key, item in kept.items() if item is not None}
        return kept or None
    return value


def js_length(text: str) -> int:
    """String length as JavaScript (and the RTDB rules) count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def is_fresh_server_time(value: Any, now_ms: int, fresh_ms: int | None = FRESH_MS) -> bool:
    """A server timestamp, or a number not in the future (and, if bounded, not stale)."""
    if value == SERVER_TIMESTAMP:
        return True
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value <= now_ms and (fresh_ms is None or value > now_ms - fresh_ms)


def is_valid_typing(value: Any, now_ms: int) -> bool:
    stored = normalized(value)
    return stored is None or is_fresh_server_time(stored, now_ms)


SESSION_ID = re.compile(r"s[0-9]")  # at most ten sessions per user: s0 ... s9


def is_allowed_session_write(
    session_id: str,
    value: Any,
    existing: dict[str, Any] | None,
    now_ms: int,
) -> bool:
    """A put of a whole session: a valid value, under one of the ten ids, not taking over
    another session (an existing one keeps its startedAt). Removing one's own is allowed."""
    stored = normalized(value)
    if stored is None:
        return True
    if not is_valid_session(value, now_ms) or not SESSION_ID.fullmatch(session_id):
        return False
    return existing is None or stored.get("startedAt") == existing.get("startedAt")


def is_valid_session(value: Any, now_ms: int) -> bool:
    stored = normalized(value)
    if stored is None:
        return True  # writing nothing deletes one's own session
    if not isinstance(stored, dict) or stored == SERVER_TIMESTAMP:
        return False
    if not {"startedAt", "lastActive"} <= set(stored) <= {"startedAt", "lastActive", "device"}:
        return False
    device = stored.get("device", "x")
    return (
        is_fresh_server_time(stored["startedAt"], now_ms)
        and is_fresh_server_time(stored["lastActive"], now_ms)
        and isinstance(device, str)
        and 1 <= js_length(device) <= 64
    )


# ---- rate-limit stamp (a sliding window of slots) ----

SLOTS = ("slot0", "slot1", "slot2", "slot3", "slot4")
WINDOW_SECONDS = 5
STAMP_KEYS = {"lastMessageAt", "lastMessageId", *SLOTS}


def is_valid_stamp_write(
    before: dict[str, Any],
    doc: dict[str, Any],
    merge: bool,
    ages: dict[str, float],
) -> bool:
    """A stamp write (merged into or replacing ``before``); ``ages`` are the seconds since
    each slot of ``before`` was taken (negative: stamped ahead, so still in use)."""
    after = {**before, **doc} if merge else dict(doc)
    if not ({"lastMessageAt", "lastMessageId"} <= set(after) <= STAMP_KEYS):
        return False
    if after["lastMessageAt"] is not SERVER_TIME or not (
        isinstance(after["lastMessageId"], str)
        and re.fullmatch(r"[A-Za-z0-9_-]{1,128}", after["lastMessageId"])
    ):
        return False
    changed = [key for key in SLOTS if key in doc and doc[key] is SERVER_TIME]
    # Kept means untouched: a slot absent before stays absent (not added as null).
    kept = all(
        after.get(key) == before.get(key) and (key in after) == (key in before)
        for key in SLOTS
        if key not in changed
    )
    return (
        kept
        and len(changed) == 1
        and (changed[0] not in before or ages[changed[0]] >= WINDOW_SECONDS)
    )


# ---- access: blocks in direct rooms, invitations, hidden rooms ----


def may_read_room(member_doc: dict[str, Any] | None) -> bool:
    """A member document exists and does not say the other member blocked this one."""
    return member_doc is not None and member_doc.get("block") != "blocked"


def may_add_to_room(member_doc: dict[str, Any] | None) -> bool:
    """Reading, and no block either way in the room (mutes aside): messages, edits, reactions.
    Any non-null ``block`` value marks a blocked room (the backend writes only the two)."""
    return may_read_room(member_doc) and member_doc is not None and member_doc.get("block") is None


def may_read_own_document(owner: str, actor: str | None) -> bool:
    """Invitations and sidebar entries (hidden or not): their owner reads, nobody writes."""
    return actor is not None and actor == owner
