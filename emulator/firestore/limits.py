"""Production limits on a stored document: its size (computed as Firestore's storage size
page documents it) and the nesting depth of maps and arrays."""

from __future__ import annotations

from typing import Any

from emulator.firestore.errors import invalid
from emulator.firestore.values import GeoPoint, Reference, Timestamp

MAX_DOCUMENT_BYTES = 1_048_576  # "Maximum size for a document: 1 MiB (1,048,576 bytes)"
MAX_DEPTH = 20  # "Maximum depth of fields in a map or array: 20"


def check_document(path: str, data: dict[str, Any]) -> None:
    """INVALID_ARGUMENT when the document would exceed the size or depth limit."""
    _check_depth(data, 1)
    size = _name_size(path) + _fields_size(data) + 32
    if size > MAX_DOCUMENT_BYTES:
        raise invalid(
            f"Document {path!r} cannot be written because its size ({size:,} "
            f"bytes) exceeds the maximum allowed size of {MAX_DOCUMENT_BYTES:,} "
            "bytes."
        )


def _check_depth(value: Any, depth: int) -> None:
    children = value.values() if isinstance(value, dict) else value
    for child in children:
        if isinstance(child, dict | list):
            if depth + 1 > MAX_DEPTH:
                raise invalid(
                    f"A document cannot nest maps and arrays more than {MAX_DEPTH} levels deep."
                )
            _check_depth(child, depth + 1)


def _name_size(path: str) -> int:
    return sum(len(segment.encode("utf-8")) + 1 for segment in path.split("/")) + 16


def _string_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass")) + 1


def _fields_size(data: dict[str, Any]) -> int:
    return sum(_string_size(key) + _value_size(value) for key, value in data.items())


def _value_size(value: Any) -> int:
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int | float | Timestamp):
        return 8
    if isinstance(value, str):
        return _string_size(value)
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, GeoPoint):
        return 16
    if isinstance(value, Reference):
        return _name_size(value.name.split("/documents/", 1)[-1])
    if isinstance(value, list):
        return sum(_value_size(item) for item in value)
    return _fields_size(value)
