"""Typed access to the fields of req.data; InvalidInput names the bad field."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from firebase_functions import https_fn

from flowchat.errors import InvalidInput

MAX_TEXT = 1024
MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def data_of(req: https_fn.CallableRequest[Any], *allowed: str) -> dict[str, Any]:
    """The request's data object (empty if the client sent null); unknown keys are refused
    so that a misspelt optional field is an error rather than silently ignored."""
    if req.data is None:
        return {}
    if not isinstance(req.data, dict):
        raise InvalidInput("data must be an object")
    unknown = sorted(str(k) for k in req.data if k not in allowed)
    if unknown:
        raise InvalidInput(f"unknown fields: {', '.join(unknown)}")
    return req.data


def _checked_text(key: str, value: str) -> str:
    """InvalidInput for text PostgreSQL cannot store: NUL, or lone UTF-16 surrogates."""
    if "\x00" in value:
        raise InvalidInput(f"{key} must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{key} is not valid Unicode text") from exc
    return value


def text(data: dict[str, Any], key: str, max_len: int = MAX_TEXT) -> str:
    """A required string field."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{key} is required and must be a non-empty string")
    if len(value) > max_len:
        raise InvalidInput(f"{key} must be at most {max_len} characters")
    return _checked_text(key, value)


def optional_text(data: dict[str, Any], key: str, max_len: int = MAX_TEXT) -> str | None:
    """A string field that may be missing or null."""
    if data.get(key) is None:
        return None
    value = data[key]
    if not isinstance(value, str) or len(value) > max_len:
        raise InvalidInput(f"{key} must be a string of at most {max_len} characters")
    return _checked_text(key, value)


def user_id(data: dict[str, Any], key: str) -> str:
    """A required user or room id (a UUID)."""
    value = data.get(key)
    if not isinstance(value, str):
        raise InvalidInput(f"{key} is required and must be an id string")
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise InvalidInput(f"{key} is not a valid id") from exc


def user_ids(data: dict[str, Any], key: str, max_items: int = 50) -> list[str]:
    """A required list of distinct ids (duplicates removed, order kept)."""
    values = data.get(key)
    if not isinstance(values, list):
        raise InvalidInput(f"{key} must be a list of ids")
    if len(values) > max_items:
        raise InvalidInput(f"{key} may hold at most {max_items} ids")
    return list(dict.fromkeys(user_id({key: v}, key) for v in values))


def choice(data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    """A required string among the allowed values."""
    value = data.get(key)
    if value not in allowed:
        raise InvalidInput(f"{key} must be one of: {', '.join(allowed)}")
    return value


def page_size(data: dict[str, Any], key: str = "limit", default: int = 20, most: int = 100) -> int:
    """An optional page size between 1 and most."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise InvalidInput(f"{key} must be an integer from 1 to {most}")
    return value


def optional_timestamp(data: dict[str, Any], key: str) -> datetime | None:
    """An ISO 8601 date-time with a UTC offset (e.g. 2026-01-01T12:00:00Z), or null."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidInput(f"{key} must be an ISO 8601 date-time string or null")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{key} is not an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        raise InvalidInput(f"{key} needs a UTC offset, e.g. 'Z'")
    return parsed


def message_id(data: dict[str, Any], key: str) -> str:
    """A required Firestore message id (the alphabet firestore.rules accepts)."""
    value = data.get(key)
    if not isinstance(value, str) or not MESSAGE_ID.fullmatch(value):
        raise InvalidInput(f"{key} must be 1-128 letters, digits, '_' or '-'")
    return value


def flag(data: dict[str, Any], key: str, default: bool) -> bool:
    """An optional boolean field."""
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidInput(f"{key} must be true or false")
    return value
