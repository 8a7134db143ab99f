"""Opaque pagination cursors: base64url JSON the client passes back unchanged."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from flowchat.errors import InvalidInput


def encode(values: list[Any]) -> str:
    """A cursor pointing after a row with these sort-key values."""
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, arity: int) -> list[Any]:
    """The sort-key values inside a cursor; InvalidInput if it was not made by encode."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not valid") from exc
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidInput("cursor is not valid")
    return values
