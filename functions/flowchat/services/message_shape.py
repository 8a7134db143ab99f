"""The message document shape firestore.rules accepts, checked for server-side writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flowchat.errors import InvalidInput
from flowchat.services.message_params import cloudinary_cloud_name

KINDS = ("text", "image", "file")
MAX_TEXT = 4000
MAX_ATTACHMENTS = 4
MAX_ATTACHMENT_BYTES = 104_857_600
MAX_URL = 2048
MAX_NAME = 255
MAX_CONTENT_TYPE = 127
# Mirrors isMessageId() in firestore.rules: one path segment of a safe alphabet.
MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
ATTACHMENT_KEYS = frozenset({"url", "name", "contentType", "bytes"})
CONTENT_TYPE = re.compile(r"[a-z]+/[A-Za-z0-9.+-]+")
URL_PATH = r"/(image|video|raw)/upload/[A-Za-z0-9_.,~%/-]+"
# A segment of dots, plain or percent-encoded: browsers resolve it, leaving the cloud.
DOT_SEGMENT = re.compile(r".*/([.]|%2[eE])+(/.*)?")


@dataclass(frozen=True)
class Draft:
    """What a sender chooses: everything of a message except author and time."""

    kind: str
    text: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
    parent_id: str | None = None


def draft_from(data: dict[str, Any]) -> Draft:
    """A checked Draft from callable data (kind, text, attachments, parentId)."""
    kind = data.get("kind", "text")
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of: {', '.join(KINDS)}")
    text = _text(kind, data.get("text", ""))
    attachments = _attachments(kind, data.get("attachments", []))
    return Draft(kind, text, attachments, _parent_id(data.get("parentId")))


def _text(kind: str, text: Any) -> str:
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise InvalidInput(f"text must be a string of at most {MAX_TEXT} characters")
    if kind == "text" and not text:
        raise InvalidInput("a text message needs text")
    return text


def _attachments(kind: str, items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list) or len(items) > MAX_ATTACHMENTS:
        raise InvalidInput(f"attachments must be a list of at most {MAX_ATTACHMENTS} items")
    if kind == "text" and items:
        raise InvalidInput("a text message carries no attachments")
    if kind != "text" and not items:
        raise InvalidInput(f"an {kind} message needs at least one attachment")
    return [_attachment(kind, item, i) for i, item in enumerate(items)]


def _attachment(kind: str, item: Any, index: int) -> dict[str, Any]:
    where = f"attachments[{index}]"
    if not isinstance(item, dict) or set(item) != ATTACHMENT_KEYS:
        raise InvalidInput(f"{where} must have exactly url, name, contentType and bytes")
    if not is_cloudinary_url(item["url"]):
        raise InvalidInput(f"{where}.url must be a URL of this project's Cloudinary cloud")
    name = item["name"]
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME:
        raise InvalidInput(f"{where}.name must be 1-{MAX_NAME} characters")
    content_type = item["contentType"]
    if not _is_content_type(content_type) or (
        kind == "image" and not content_type.startswith("image/")
    ):
        raise InvalidInput(f"{where}.contentType is not an accepted media type")
    size = item["bytes"]
    if isinstance(size, bool) or not isinstance(size, int):
        raise InvalidInput(f"{where}.bytes must be an integer")
    if not 0 <= size <= MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"{where}.bytes must be 0-{MAX_ATTACHMENT_BYTES}")
    return {"url": item["url"], "name": name, "contentType": content_type, "bytes": size}


def is_cloudinary_url(url: Any) -> bool:
    """True for an https URL of the configured Cloudinary cloud, as the rules check it."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        return False
    prefix = re.escape(f"https://res.cloudinary.com/{cloudinary_cloud_name()}")
    return re.fullmatch(prefix + URL_PATH, url) is not None and not DOT_SEGMENT.fullmatch(url)


def _is_content_type(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= MAX_CONTENT_TYPE
        and CONTENT_TYPE.fullmatch(value) is not None
    )


def _parent_id(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not MESSAGE_ID.fullmatch(value):
        raise InvalidInput("parentId must be a message id: 1-128 letters, digits, '_' or '-'")
    return value
