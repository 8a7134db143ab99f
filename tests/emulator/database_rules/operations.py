"""Turn a case's operation into what the engine takes: written paths, trees, ReadQuery."""

from __future__ import annotations

import copy
import json
from typing import Any

from emulator.database_rules import ReadQuery

from .case_types import Operation, Set, Update


def join(base: str, relative: str) -> str:
    """Join two slash paths without leading or trailing slashes."""
    return "/".join(part for part in (base.strip("/"), relative.strip("/")) if part)


def written_paths(op: Operation) -> dict[str, Any]:
    """Path -> new value for a set (one entry) or a multi-location update (several)."""
    if isinstance(op, Set):
        return {op.path: op.value}
    if isinstance(op, Update):
        return {join(op.path, key): value for key, value in op.values.items()}
    raise TypeError(f"not a write: {op!r}")


def apply_writes(tree: Any, updates: dict[str, Any]) -> Any:
    """The tree after every update, with empty objects pruned as the database does."""
    root = {"": copy.deepcopy(tree)}
    for path, value in updates.items():
        node = root
        segments = ["", *(part for part in path.split("/") if part)]
        for segment in segments[:-1]:
            if not isinstance(node.get(segment), dict):
                node[segment] = {}
            node = node[segment]
        node[segments[-1]] = copy.deepcopy(value)
    return _prune(root[""])


def _prune(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    pruned = {key: _prune(value) for key, value in node.items()}
    pruned = {key: value for key, value in pruned.items() if value is not None}
    return pruned if any(not key.startswith(".") for key in pruned) or ".value" in pruned else None


def read_query(params: dict[str, str]) -> ReadQuery | None:
    """The ReadQuery rules see for REST query parameters (JSON-encoded values)."""
    if not params:
        return None
    values = {key: json.loads(value) for key, value in params.items()}
    order = values.get("orderBy")
    return ReadQuery(
        order_by_key=order == "$key",
        order_by_value=order == "$value",
        order_by_priority=order == "$priority",
        order_by_child=None if order in (None, "$key", "$value", "$priority") else order,
        start_at=values.get("startAt"),
        end_at=values.get("endAt"),
        equal_to=values.get("equalTo"),
        limit_to_first=values.get("limitToFirst"),
        limit_to_last=values.get("limitToLast"),
    )
