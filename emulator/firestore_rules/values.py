"""Runtime values of the rules language that have no native Firestore counterpart.

Firestore values keep the native form of ``emulator.firestore.values`` (None, bool,
int, float, str, bytes, list, dict, Timestamp, GeoPoint); references become
``RulesPath``. This module adds path, duration, set, MapDiff, the evaluation error
and the placeholder for a wildcard whose value a list query does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.firestore_value_types import GeoPoint, Reference, Timestamp


class EvalError(Exception):
    """A rules evaluation error; it never grants access. The text is the emulator's."""


@dataclass(frozen=True)
class RulesPath:
    """An absolute path such as /databases/(default)/documents/rooms/r1."""

    segments: tuple[str, ...]

    def __str__(self) -> str:
        return "/" + "/".join(self.segments)

    def document_path(self) -> str | None:
        """The path relative to the documents root, or None when outside it."""
        if len(self.segments) >= 3 and self.segments[0] == "databases":
            if self.segments[2] == "documents":
                return "/".join(self.segments[3:])
        return None


@dataclass(frozen=True, order=True)
class Duration:
    nanos: int


class RulesSet:
    """A set value; elements may be unhashable (maps, lists), so kept as a list."""

    def __init__(self, items: list[Any]) -> None:
        unique: list[Any] = []
        for item in items:
            if not any(values_equal(item, kept) for kept in unique):
                unique.append(item)
        self.items = unique

    def contains(self, value: Any) -> bool:
        return any(values_equal(value, item) for item in self.items)

    def __repr__(self) -> str:
        return f"set({self.items!r})"


@dataclass(frozen=True)
class MapDiff:
    """The result of ``map.diff(other)``: what changed from ``other`` to ``map``."""

    after: dict[str, Any]
    before: dict[str, Any]


class Unknown:
    """A wildcard value a list query leaves open (the document id); any use errors."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<unknown {self.name}>"


@dataclass(frozen=True)
class Namespace:
    """A built-in namespace such as ``math`` or ``duration``, only usable for calls."""

    name: str


def is_number(value: Any) -> bool:
    return type(value) in (int, float)


def values_equal(left: Any, right: Any) -> bool:
    """Rules equality: ints equal floats of the same value; maps and lists deeply."""
    if is_number(left) and is_number(right):
        return bool(left == right)
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(map(values_equal, left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(values_equal(left[k], right[k]) for k in left)
    if isinstance(left, RulesSet):
        return len(left.items) == len(right.items) and all(right.contains(i) for i in left.items)
    if isinstance(left, Unknown):
        raise EvalError(f"Variable {left.name} is not bound.")
    return bool(left == right)


def from_store(value: Any, database: str = "(default)") -> Any:
    """Converts a stored Firestore value to its rules form (references become paths)."""
    if isinstance(value, Reference):
        relative = value.name.split("/documents/", 1)[-1] if "/documents/" in value.name else ""
        segments = ("databases", database, "documents", *filter(None, relative.split("/")))
        return RulesPath(segments)
    if isinstance(value, list):
        return [from_store(item, database) for item in value]
    if isinstance(value, dict):
        return {key: from_store(item, database) for key, item in value.items()}
    return value


TYPE_NAMES = {
    "bool",
    "bytes",
    "float",
    "int",
    "number",
    "list",
    "latlng",
    "map",
    "map_diff",
    "path",
    "set",
    "string",
    "timestamp",
    "duration",
}


_TYPE_NAME_OF: dict[type, str] = {
    bool: "bool",
    int: "int",
    float: "float",
    str: "string",
    bytes: "bytes",
    list: "list",
    dict: "map",
    Timestamp: "timestamp",
    Duration: "duration",
    RulesPath: "path",
    GeoPoint: "latlng",
    RulesSet: "set",
    MapDiff: "map_diff",
}


def type_name(value: Any) -> str:
    """The rules type of a value, as ``is`` checks it."""
    if value is None:
        return "null"
    return _TYPE_NAME_OF.get(type(value), type(value).__name__)
