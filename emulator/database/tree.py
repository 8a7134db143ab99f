"""The JSON tree: immutable-by-convention dicts, copied along the path on write.

Stored trees are in Firebase's export format: maps and leaves (str, bool, int, float);
a map may carry a ``".priority"`` key and a leaf with a priority is stored as
``{".value": v, ".priority": p}``. Arrays become maps with index keys; null children and
empty maps vanish, as in the Realtime Database.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

from emulator.database import paths

PRIORITY = ".priority"
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
VALUE = ".value"


class InvalidDataError(ValueError):
    """Data the Realtime Database would refuse."""


MAX_DEPTH = 32
_MAX_SAFE_INTEGER = 2**53
_MAX_DOUBLE = sys.float_info.max
MAX_STRING_BYTES = 10 * 1024 * 1024


def normalize(value: Any, depth_left: int = MAX_DEPTH) -> Any:
    """Converts client JSON to stored form: arrays to maps, nulls pruned, priorities kept.
    ``depth_left`` is how many levels the data may still nest (Firebase allows 32 in all)."""
    if isinstance(value, list):
        value = {str(i): item for i, item in enumerate(value)}
    if not isinstance(value, dict):
        return _checked_leaf(value)
    priority = _checked_priority(value.get(PRIORITY))
    if VALUE in value:
        return with_priority(normalize(value[VALUE], depth_left), priority)
    if depth_left <= 0 and any(key != PRIORITY for key in value):
        raise InvalidDataError(f"Data nests deeper than {MAX_DEPTH} levels")
    children: dict[str, Any] = {}
    for key, child in value.items():
        if key == PRIORITY:
            continue
        if not paths.is_valid_key(str(key)):
            raise InvalidDataError(f"Invalid key in data: {key!r}")
        child = normalize(child, depth_left - 1)
        if child is not None:
            children[str(key)] = child
    return with_priority(children or None, priority)


def _checked_leaf(value: Any) -> Any:
    if isinstance(value, str):
        size = paths.utf8_size(value)
        if size is None:
            raise InvalidDataError("Invalid data; strings must be valid Unicode")
        if size > MAX_STRING_BYTES:
            raise InvalidDataError("String values are limited to 10 MB")
    if isinstance(value, float):
        return _checked_number(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_DOUBLE:
        raise InvalidDataError("Invalid data; numbers must fit in a double")
    if value is None or isinstance(value, str | bool | int):
        return value
    raise InvalidDataError(f"Unsupported value: {value!r}")


def _checked_number(number: float) -> float | int:
    # Firebase numbers are doubles: NaN and infinities are refused, and a whole double
    # reads back as an integer (3.0 is returned as 3), as JSON from the server does.
    if not math.isfinite(number):
        raise InvalidDataError("Invalid data; numbers must be finite")
    if number.is_integer() and abs(number) <= _MAX_SAFE_INTEGER:
        return int(number)
    return number


def _checked_priority(priority: Any) -> Any:
    if priority is None or (
        isinstance(priority, str | int | float) and not isinstance(priority, bool)
    ):
        return _checked_leaf(priority)
    raise InvalidDataError("Priority must be a string, a number or null")


def with_priority(node: Any, priority: Any) -> Any:
    """``node`` carrying ``priority`` (None removes it); empty nodes have no priority."""
    if has_children(node):
        children = children_of(node)
        return {**children, PRIORITY: priority} if priority is not None else children
    leaf = value_of(node)
    if leaf is None or isinstance(leaf, dict):
        return None
    return {VALUE: leaf, PRIORITY: priority} if priority is not None else leaf


def value_of(node: Any) -> Any:
    """A leaf's value without its priority wrapper (maps are returned as they are)."""
    if isinstance(node, dict) and VALUE in node:
        return node[VALUE]
    return node


def priority_of(node: Any) -> Any:
    """A node's priority, None when it has none."""
    return node.get(PRIORITY) if isinstance(node, dict) else None


def has_children(node: Any) -> bool:
    """Whether ``node`` is a map with at least one child."""
    return isinstance(node, dict) and VALUE not in node and any(k != PRIORITY for k in node)


def children_of(node: Any) -> dict[str, Any]:
    """The children of a map node (no metadata keys); {} for leaves and null."""
    if not has_children(node):
        return {}
    return {key: child for key, child in node.items() if key != PRIORITY}


def get(root: Any, path: str) -> Any:
    """The node at a path (export format), None when absent; ``x/.priority`` reads a priority."""
    node = root
    for key in paths.split(path):
        if key == PRIORITY:
            return priority_of(node)
        if not has_children(node):
            return None
        node = node.get(key)
        if node is None:
            return None
    return node


def set_at(root: Any, path: str, value: Any) -> Any:
    """A new root with ``value`` at ``path``; untouched subtrees are shared, not copied."""
    return _set_keys(root, paths.split(path), value)


def _set_keys(node: Any, keys: list[str], value: Any) -> Any:
    if not keys:
        return value
    if keys == [PRIORITY]:
        return with_priority(node, value)
    children = children_of(node)
    child = _set_keys(children.get(keys[0]), keys[1:], value)
    if child is None:
        children.pop(keys[0], None)
    else:
        children[keys[0]] = child
    # A leaf that gains children becomes a map and keeps its priority, as in the SDKs.
    return with_priority(children or None, priority_of(node))


def apply_updates(root: Any, updates: dict[str, Any]) -> Any:
    """A new root with every (absolute path → value) of a multi-location update applied."""
    for path, value in updates.items():
        root = set_at(root, path, value)
    return root


def shallow(value: Any) -> Any:
    """``shallow=true``: children replaced by ``true``, leaves returned as they are."""
    if has_children(value):
        return dict.fromkeys(children_of(value), True)
    return value_of(value)


def strip(value: Any) -> Any:
    """Plain data: priorities removed."""
    if not isinstance(value, dict):
        return value
    if VALUE in value:
        return value[VALUE]
    return {key: strip(child) for key, child in value.items() if key != PRIORITY}


def render(value: Any, export: bool = False) -> Any:
    """Output form: priorities dropped (kept for ``format=export``); maps whose keys look
    like a mostly filled array are returned as arrays (not in exports)."""
    if export:
        return value
    if not isinstance(value, dict):
        return value
    if VALUE in value:
        return value[VALUE]
    rendered = {key: render(child) for key, child in value.items() if key != PRIORITY}
    indexes = [int(key) for key in rendered if _ARRAY_INDEX.fullmatch(key)]
    if len(indexes) != len(rendered) or not indexes:
        return rendered
    # The SDKs' rule: an array when the highest index is below twice the number of children.
    top = max(indexes)
    if top >= 2 * len(indexes):
        return rendered
    return [rendered.get(str(i)) for i in range(top + 1)]
