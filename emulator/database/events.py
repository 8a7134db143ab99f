"""Turns a committed change into the events one listener at a location should receive."""

from __future__ import annotations

from typing import Any

from emulator.database import paths, tree
from emulator.database.query import Query
from emulator.database.store import Change


def touches(change: Change, path: str) -> bool:
    """Whether any written path is the location, inside it, or above it."""
    return any(paths.related(target, path) for target in change.updates)


def stream_events(change: Change, path: str, spec: Query | None) -> list[tuple[str, str, Any]]:
    """(event, path relative to the listener, data) triples for a streaming listener."""
    if not touches(change, path):
        return []
    if spec is not None and not spec.loads_all_data:
        return [("put", "", spec.apply(tree.get(change.after, path)))]
    base = change.base_path
    direct_children = all("/" not in paths.relative(base, t) for t in change.updates)
    if change.is_merge and paths.is_prefix(path, base) and direct_children:
        data = {paths.relative(base, t): tree.get(change.after, t) for t in change.updates}
        return [("patch", paths.relative(path, base), data)]
    events = []
    for target in change.updates:
        if paths.is_prefix(path, target):
            events.append(("put", paths.relative(path, target), tree.get(change.after, target)))
        elif paths.is_prefix(target, path):
            events.append(("put", "", tree.get(change.after, path)))
    return events
