"""RuleDataSnapshot: the ``root`` / ``data`` / ``newData`` objects seen by rule expressions."""

from __future__ import annotations

from typing import Any

from .errors import RuleEvalError
from .tree import (
    Segments,
    child_keys,
    has_value,
    is_leaf,
    node_at,
    plain_value,
    priority_of,
    split_path,
)

_UNRESOLVED = object()


class RuleDataSnapshot:
    """An immutable view of one location of a tree, resolved only when first used."""

    __slots__ = ("_root", "_segments", "_resolved")

    def __init__(self, root: Any, segments: Segments = (), node: Any = _UNRESOLVED) -> None:
        self._root = root
        self._segments = segments
        self._resolved = node

    @property
    def segments(self) -> Segments:
        """The path of this snapshot."""
        return self._segments

    @property
    def _node(self) -> Any:
        """The raw node at this location (looked up once: most snapshots are never read)."""
        if self._resolved is _UNRESOLVED:
            self._resolved = node_at(self._root, self._segments)
        return self._resolved

    def val(self) -> Any:
        """The plain value (objects as dicts), or None when nothing is stored here."""
        return plain_value(self._node)

    def child(self, path: Any) -> RuleDataSnapshot:
        """The snapshot at a relative path (may contain slashes)."""
        segments = _relative(path)
        node = node_at(self._node, segments)  # walk on from here, not from the root
        return RuleDataSnapshot(self._root, self._segments + segments, node)

    def parent(self) -> RuleDataSnapshot:
        """The snapshot one level up; the root has no parent."""
        if not self._segments:
            raise RuleEvalError("the root has no parent")
        return RuleDataSnapshot(self._root, self._segments[:-1])

    def hasChild(self, path: Any) -> bool:  # noqa: N802 - the rules language's name
        """True when the relative path holds data."""
        return self.child(path).exists()

    def hasChildren(self, names: Any = None) -> bool:  # noqa: N802
        """True when there are children (no argument) or all listed children exist."""
        if names is None:
            return bool(child_keys(self._node))
        if not isinstance(names, list):
            raise RuleEvalError("hasChildren expects a list of child names")
        return all(self.hasChild(name) for name in names)

    def exists(self) -> bool:
        """True when this location holds data."""
        return has_value(self._node)

    def getPriority(self) -> Any:  # noqa: N802
        """The priority stored at this location, or None."""
        return priority_of(self._node)

    def isNumber(self) -> bool:  # noqa: N802
        """True when the value is a number."""
        value = self._leaf_value()
        return isinstance(value, int | float) and not isinstance(value, bool)

    def isString(self) -> bool:  # noqa: N802
        """True when the value is a string."""
        return isinstance(self._leaf_value(), str)

    def isBoolean(self) -> bool:  # noqa: N802
        """True when the value is a boolean."""
        return isinstance(self._leaf_value(), bool)

    def _leaf_value(self) -> Any:
        """The primitive stored here, or None for objects (without copying them)."""
        return plain_value(self._node) if is_leaf(self._node) else None


SNAPSHOT_METHODS = frozenset(
    {
        "val",
        "child",
        "parent",
        "hasChild",
        "hasChildren",
        "exists",
        "getPriority",
        "isNumber",
        "isString",
        "isBoolean",
    }
)


def _relative(path: Any) -> Segments:
    """Validate and split a child path given to child() / hasChild()."""
    if not isinstance(path, str):
        raise RuleEvalError("child paths must be strings")
    segments = split_path(path)
    if not segments or any(_bad_key(segment) for segment in segments):
        raise RuleEvalError(f"invalid child path {path!r}")
    return segments


def _bad_key(segment: str) -> bool:
    """Keys may not contain . $ # [ ] (Firebase key rules)."""
    return any(ch in segment for ch in ".$#[]")
