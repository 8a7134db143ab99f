"""Value hashes: the SDK's transaction hash (base64 SHA-1 of its value string) and ETags."""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any

from emulator.database.ordering import sorted_keys

NULL_ETAG = "null_etag"


def _sha1_base64(text: str) -> str:
    return base64.b64encode(hashlib.sha1(text.encode()).digest()).decode()


def _leaf_text(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean:" + ("true" if value else "false")
    if isinstance(value, int | float):
        # The SDK hashes numbers as the hex of their big-endian IEEE 754 double.
        return "number:" + struct.pack(">d", float(value)).hex()
    return "string:" + str(value)


def value_hash(value: Any) -> str:
    """The hash the JS SDK sends as ``h`` with a transaction's put ("" for null)."""
    if value is None:
        return ""
    if not isinstance(value, dict):
        return _sha1_base64(_leaf_text(value))
    text = ""
    for key in sorted_keys(value):
        child_hash = value_hash(value[key])
        if child_hash:
            text += ":" + key + ":" + child_hash
    return _sha1_base64(text) if text else ""


def etag(value: Any) -> str:
    """The REST ETag of a value: its hash, or a fixed tag for null."""
    return value_hash(value) or NULL_ETAG
