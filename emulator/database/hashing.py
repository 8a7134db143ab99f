"""Value hashes: the SDK's transaction hash (base64 SHA-1 of its value string) and ETags."""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any

from emulator.database.ordering import key_order, value_order
from emulator.database.tree import children_of, has_children, priority_of, value_of

NULL_ETAG = "null_etag"


def _sha1_base64(text: str) -> str:
    return base64.b64encode(hashlib.sha1(text.encode()).digest()).decode()


def _leaf_text(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean:" + ("true" if value else "false")
    if isinstance(value, int | float):
        return "number:" + _number_hex(value)
    return "string:" + str(value)


def _priority_text(priority: Any) -> str:
    if priority is None:
        return ""
    kind = (
        "number:" + _number_hex(priority)
        if isinstance(priority, int | float)
        else ("string:" + str(priority))
    )
    return "priority:" + kind + ":"


def _number_hex(number: float) -> str:
    # The SDK hashes numbers as the hex of their big-endian IEEE 754 double.
    return struct.pack(">d", float(number)).hex()


def _child_order(item: tuple[str, Any]) -> tuple[Any, ...]:
    key, child = item
    return (value_order(priority_of(child)), key_order(key))


def value_hash(value: Any) -> str:
    """The hash the JS SDK sends as ``h`` with a transaction's put ("" for null)."""
    if value is None:
        return ""
    priority = _priority_text(priority_of(value))
    if not has_children(value):
        return _sha1_base64(priority + _leaf_text(value_of(value)))
    text = priority
    # Children in the SDK's default (priority) order: by priority, then by key.
    for key, child in sorted(children_of(value).items(), key=_child_order):
        child_hash = value_hash(child)
        if child_hash:
            text += ":" + key + ":" + child_hash
    return _sha1_base64(text) if text else ""


def etag(value: Any) -> str:
    """The REST ETag of a value: its hash, or a fixed tag for null."""
    return value_hash(value) or NULL_ETAG
