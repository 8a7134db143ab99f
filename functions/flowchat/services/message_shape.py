"""The message document shape firestore.rules accepts, checked for server-side writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flowchat.errors import InvalidInput
from flowchat.services import file_urls
from flowchat.services.domain import FileKind, MessageKind, values

KINDS = values(MessageKind)
ATTACHMENT_KINDS = values(FileKind)
MAX_TEXT = 4000
MAX_ATTACHMENTS = 4
MAX_MENTIONS = 10  # mirrors maxMentions() in firestore.rules
MAX_ATTACHMENT_BYTES = 104_857_600
MAX_NAME = 255
MAX_CONTENT_TYPE = 127
MAX_DIMENSION = 100_000
# Mirrors isMessageId() in firestore.rules: one path segment of a safe alphabet.
MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
REQUIRED_KEYS = frozenset({"kind", "url", "name", "contentType", "size"})
ATTACHMENT_KEYS = REQUIRED_KEYS | {"thumbUrl", "width", "height"}
CONTENT_TYPE = re.compile(r"[a-z]+/[A-Za-z0-9.+-]+")


@dataclass(frozen=True, slots=True)
class Draft:
    """What a sender chooses: everything of a message except author and time."""

    kind: MessageKind
    text: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
    parent_id: str | None = None
    mentions: list[str] = field(default_factory=list)


def draft_from(data: dict[str, Any], room_id: str) -> Draft:
    """A checked Draft from callable data (kind, text, attachments, parentId, mentions)."""
    kind = data.get("kind", "text")
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of: {', '.join(KINDS)}")
    kind = MessageKind(kind)
    text = _text(kind, data.get("text", ""))
    attachments = _attachments(room_id, kind, data.get("attachments", []))
    parent_id = _parent_id(data.get("parentId"))
    return Draft(kind, text, attachments, parent_id, _mentions(data.get("mentions")))


def _text(kind: str, text: Any) -> str:
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise InvalidInput(f"text must be a string of at most {MAX_TEXT} characters")
    if kind == "text" and not text:
        raise InvalidInput("a text message needs text")
    if "\x00" in text:  # the search index (PostgreSQL text) cannot hold it
        raise InvalidInput("text must not contain NUL characters")
    return text


def _attachments(room_id: str, kind: str, items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list) or len(items) > MAX_ATTACHMENTS:
        raise InvalidInput(f"attachments must be a list of at most {MAX_ATTACHMENTS} items")
    if kind == "text" and items:
        raise InvalidInput("a text message carries no attachments")
    if kind != "text" and not items:
        raise InvalidInput(f"an {kind} message needs at least one attachment")
    return [_attachment(room_id, kind, item, f"attachments[{i}]") for i, item in enumerate(items)]


def _attachment(room_id: str, kind: str, item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict) or not REQUIRED_KEYS <= set(item) <= ATTACHMENT_KEYS:
        raise InvalidInput(
            f"{where} needs kind, url, name, contentType and size "
            "(and may have thumbUrl, width, height)"
        )
    if item["kind"] not in ATTACHMENT_KINDS or (kind == "image" and item["kind"] != "image"):
        raise InvalidInput(f"{where}.kind must be one of {', '.join(ATTACHMENT_KINDS)}")
    for key in ("url", "thumbUrl"):
        if key in item and not file_urls.is_room_file_url(item[key], room_id):
            raise InvalidInput(f"{where}.{key} must be a file URL of this room's Cloudinary folder")
    name = item["name"]
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME or "\x00" in name:
        raise InvalidInput(f"{where}.name must be 1-{MAX_NAME} characters, no NUL")
    content_type = item["contentType"]
    if not _is_content_type(content_type) or (
        item["kind"] == "image" and not content_type.startswith("image/")
    ):
        raise InvalidInput(f"{where}.contentType is not an accepted media type")
    _require_int(item["size"], f"{where}.size", 0, MAX_ATTACHMENT_BYTES)
    for key in ("width", "height"):
        if key in item:
            _require_int(item[key], f"{where}.{key}", 1, MAX_DIMENSION)
    return {key: item[key] for key in sorted(item)}


def _require_int(value: Any, where: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{where} must be an integer from {low} to {high}")


def _is_content_type(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= MAX_CONTENT_TYPE
        and CONTENT_TYPE.fullmatch(value) is not None
    )


def _mentions(value: Any) -> list[str]:
    """Distinct user ids, at most MAX_MENTIONS (membership is checked by the sender)."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_MENTIONS:
        raise InvalidInput(f"mentions must be a list of at most {MAX_MENTIONS} user ids")
    if not all(isinstance(uid, str) and MESSAGE_ID.fullmatch(uid) for uid in value):
        raise InvalidInput("mentions must hold user ids")
    if len(set(value)) != len(value):
        raise InvalidInput("mentions must not repeat a user")
    return list(value)


def _parent_id(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not MESSAGE_ID.fullmatch(value):
        raise InvalidInput("parentId must be a message id: 1-128 letters, digits, '_' or '-'")
    return value
