"""The JSON tree: immutable-by-convention dicts, copied along the path on write.

Stored trees hold only dicts and leaves (str, bool, int, float); arrays become maps
with index keys, null children and empty maps vanish, as in the Realtime Database.
"""

from __future__ import annotations

from typing import Any

from emulator.database import paths


class InvalidDataError(ValueError):
    """Data the Realtime Database would refuse."""


def normalize(value: Any) -> Any:
    """Converts client JSON to stored form: arrays to maps, priorities dropped, nulls pruned."""
    if isinstance(value, list):
        value = {str(i): item for i, item in enumerate(value)}
    if isinstance(value, dict):
        if ".value" in value:
            return normalize(value[".value"])
        result: dict[str, Any] = {}
        for key, child in value.items():
            if key == ".priority":
                continue  # priorities are not kept (see README)
            if not paths.is_valid_key(str(key)):
                raise InvalidDataError(f"Invalid key in data: {key!r}")
            child = normalize(child)
            if child is not None:
                result[str(key)] = child
        return result or None
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise InvalidDataError(f"Unsupported value: {value!r}")


def get(root: Any, path: str) -> Any:
    """The value at a path, None when absent."""
    node = root
    for key in paths.split(path):
        if not isinstance(node, dict):
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
    children = dict(node) if isinstance(node, dict) else {}
    child = _set_keys(children.get(keys[0]), keys[1:], value)
    if child is None:
        children.pop(keys[0], None)
    else:
        children[keys[0]] = child
    return children or None


def apply_updates(root: Any, updates: dict[str, Any]) -> Any:
    """A new root with every (absolute path → value) of a multi-location update applied."""
    for path, value in updates.items():
        root = set_at(root, path, value)
    return root


def shallow(value: Any) -> Any:
    """``shallow=true``: children replaced by ``true``, leaves returned as they are."""
    if isinstance(value, dict):
        return dict.fromkeys(value, True)
    return value


def render(value: Any) -> Any:
    """Output form: maps whose keys look like a mostly filled array are returned as arrays."""
    if not isinstance(value, dict):
        return value
    rendered = {key: render(child) for key, child in value.items()}
    indexes = [int(key) for key in rendered if key.isdigit() and (key == "0" or key[0] != "0")]
    if len(indexes) != len(rendered) or not indexes:
        return rendered
    top = max(indexes)
    if len(indexes) * 2 <= top + 1:
        return rendered
    return [rendered.get(str(i)) for i in range(top + 1)]
