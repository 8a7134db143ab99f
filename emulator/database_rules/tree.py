"""Read-only helpers over an RTDB JSON tree (dicts; ".priority" / ".value" as in exports)."""

from __future__ import annotations

from typing import Any

Segments = tuple[str, ...]


def split_path(path: str) -> Segments:
    """ "a/b/c" -> ("a", "b", "c"); empty segments are dropped, "" is the root."""
    return tuple(segment for segment in path.split("/") if segment)


def node_at(root: Any, segments: Segments) -> Any:
    """The raw node at ``segments`` or None when absent."""
    node = root
    for segment in segments:
        if not isinstance(node, dict) or segment.startswith("."):
            return None
        node = node.get(segment)
        if node is None:
            return None
    return node


def child_keys(node: Any) -> list[str]:
    """The child keys of a raw node (metadata keys such as ".priority" excluded)."""
    if not isinstance(node, dict) or ".value" in node:
        return []
    return [key for key, value in node.items() if not key.startswith(".") and has_value(value)]


def plain_value(node: Any) -> Any:
    """The node's value as ``val()`` exports it: priorities dropped, empty objects -> None."""
    if not isinstance(node, dict):
        return node
    if ".value" in node:
        return node[".value"]
    result = {}
    for key, value in node.items():
        if key.startswith("."):
            continue
        converted = plain_value(value)
        if converted is not None:
            result[key] = converted
    return result or None


def priority_of(node: Any) -> Any:
    """The node's priority, or None."""
    return node.get(".priority") if isinstance(node, dict) else None


def has_value(node: Any) -> bool:
    """True when the node holds a value; stops at the first non-empty child."""
    if not isinstance(node, dict):
        return node is not None
    if ".value" in node:
        return node[".value"] is not None
    return any(has_value(child) for key, child in node.items() if not key.startswith("."))


def is_leaf(node: Any) -> bool:
    """True for a primitive value (possibly wrapped with a priority), False for objects."""
    return not isinstance(node, dict) or ".value" in node
