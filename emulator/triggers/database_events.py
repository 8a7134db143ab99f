"""CloudEvents for Realtime Database changes, as Cloud Functions (2nd gen) receives them:
JSON data {"data": value before, "delta": what changed}, with instance and ref attributes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cloudevents.http import CloudEvent

from emulator.database import paths, tree
from emulator.triggers import patterns
from emulator.triggers.cloud_events import base_attributes

LOCATION = "us-central1"
DATABASE_HOST = "firebaseio.com"


def affected_refs(pattern: str, written: list[str], before: Any, after: Any) -> list[str]:
    """Paths matching ``pattern`` at, above or below any written path, in first-seen order."""
    depth = patterns.fixed_depth(pattern)
    found: dict[str, None] = {}
    for target in written:
        for candidate in _candidates(target, depth, before, after):
            if patterns.match(pattern, candidate) is not None:
                found[candidate] = None
    return list(found)


def _candidates(target: str, depth: int | None, before: Any, after: Any) -> list[str]:
    keys = paths.split(target)
    if depth is None:  # a "**" pattern: every ancestor of the written path can match
        return ["/".join(keys[:i]) for i in range(len(keys) + 1)]
    if len(keys) >= depth:
        return ["/".join(keys[:depth])]
    return _descendants(target, depth - len(keys), before, after)


def _descendants(base: str, levels: int, before: Any, after: Any) -> list[str]:
    """Paths ``levels`` below ``base`` that hold data before or after the write."""
    found = [base]
    for _ in range(levels):
        found = [
            paths.join(path, key)
            for path in found
            for key in _keys(tree.get(before, path)) | _keys(tree.get(after, path))
        ]
    return found


def _keys(node: Any) -> set[str]:
    return set(node) if isinstance(node, dict) else set()


def delta(before: Any, after: Any) -> Any:
    """What the SDK deep-merges into ``before`` to get ``after`` (removed keys as None)."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return after
    changes: dict[str, Any] = {}
    for key in set(before) | set(after):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = delta(old, new)
    return changes


def event_for(event_type: str, instance: str, ref: str, before: Any, after: Any) -> CloudEvent:
    """The CloudEvent of one change at ``ref`` in database ``instance``."""
    attributes = base_attributes(
        event_type,
        f"//firebasedatabase.googleapis.com/projects/_/locations/{LOCATION}/instances/{instance}",
        f"refs/{ref}",
        datetime.now(UTC),
    )
    attributes.update(
        datacontenttype="application/json",
        instance=instance,
        ref=f"/{ref}",
        location=LOCATION,
        firebasedatabasehost=DATABASE_HOST,
        authtype="unknown",
    )
    return CloudEvent(attributes, {"data": before, "delta": delta(before, after)})
