"""The data of every namespace, with rules checks, listeners and the trigger hook.

All methods are called from the server's event loop thread, so no locking is needed;
roots are never mutated in place, which lets listeners keep old snapshots cheaply.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.database import paths, rules, server_values, tree
from emulator.database.auth import Caller
from emulator.database.push_ids import PushIdGenerator
from emulator.database_rules.api import DatabaseRules, ReadQuery

log = logging.getLogger(__name__)

TriggerCallback = Callable[[str, str, Any, Any], None]


class PermissionDeniedError(Exception):
    """A read or write the rules refuse."""


class PreconditionFailedError(Exception):
    """A conditional write whose expected value no longer matches."""

    def __init__(self, current: Any) -> None:
        super().__init__("The data has changed")
        self.current = current


class InvalidUpdateError(ValueError):
    """A multi-location update Firebase would refuse (overlapping paths)."""


@dataclass(frozen=True)
class Change:
    """One committed write (each written absolute path with its new value), or a rules
    change (no updates, ``rules_changed``) after which listeners re-check their access."""

    namespace: str
    base_path: str
    updates: dict[str, Any]
    is_merge: bool
    before: Any
    after: Any
    rules_changed: bool = False


ChangeCallback = Callable[[Change], None]


@dataclass
class Namespace:
    """One database instance: its tree, its rules and who watches it."""

    name: str
    rules: DatabaseRules
    rules_text: str
    root: Any = None
    watchers: list[ChangeCallback] = field(default_factory=list)


def now_ms() -> int:
    """The server clock in milliseconds."""
    return int(time.time() * 1000)


class Store:
    """Every namespace of one emulator."""

    def __init__(self, rules_text: str | None = None) -> None:
        self._rules_text = rules_text
        self._rules = rules.load(rules_text)
        self._namespaces: dict[str, Namespace] = {}
        self._triggers: list[TriggerCallback] = []
        self.push_ids = PushIdGenerator()

    def namespace_names(self) -> list[str]:
        """Every namespace used so far."""
        return sorted(self._namespaces)

    def namespace(self, name: str) -> Namespace:
        """The namespace called ``name``, created empty on first use."""
        if name not in self._namespaces:
            text = self._rules_text if self._rules_text is not None else rules.OPEN_RULES_TEXT
            self._namespaces[name] = Namespace(name, self._rules, text)
        return self._namespaces[name]

    def coverages(self, content: str) -> list[Any]:
        """The coverage of the start-up rules and of every namespace's, for this source."""
        loaded = [self._rules, *(n.rules for n in self._namespaces.values())]
        found = {id(c): c for c in (getattr(r, "coverage", None) for r in loaded) if c}
        return [c for c in found.values() if c.content == content]

    def set_rules(self, name: str, text: str) -> None:
        """Replaces a namespace's rules (RulesLoadError leaves the old ones in place)."""
        loaded = rules.load(text)
        namespace = self.namespace(name)
        namespace.rules, namespace.rules_text = loaded, text
        change = Change(name, "", {}, False, namespace.root, namespace.root, rules_changed=True)
        for watcher in list(namespace.watchers):
            _call_logged(watcher, change)

    def subscribe(self, callback: TriggerCallback) -> Callable[[], None]:
        """Hook for triggers: ``callback(namespace, path, before, after)`` after each write."""
        self._triggers.append(callback)
        return lambda: self._triggers.remove(callback)

    def watch(self, name: str, callback: ChangeCallback) -> Callable[[], None]:
        """Calls ``callback(change)`` after every committed write to the namespace."""
        watchers = self.namespace(name).watchers
        watchers.append(callback)
        return lambda: watchers.remove(callback)

    def check_read(
        self, name: str, path: str, caller: Caller, query: ReadQuery | None = None
    ) -> None:
        """Raises PermissionDeniedError unless the caller may read ``path``."""
        if caller.admin:
            return
        namespace = self.namespace(name)
        decision = namespace.rules.can_read(path, caller.auth, namespace.root, now_ms(), query)
        if not decision.allowed:
            raise PermissionDeniedError(decision.reason or "Permission denied")

    def get(self, name: str, path: str) -> Any:
        """The value at ``path`` (no rules check)."""
        return tree.get(self.namespace(name).root, path)

    def set(
        self,
        name: str,
        path: str,
        value: Any,
        caller: Caller,
        precondition: Callable[[Any], bool] | None = None,
    ) -> Change:
        """Writes ``value`` at ``path`` (a PUT); ``precondition(current)`` guards it."""
        now = now_ms()
        updates = self._resolve(name, {path: value}, now)
        if precondition is not None and not precondition(self.get(name, path)):
            # A caller who may not write learns nothing about the current value.
            self._authorize(self.namespace(name), updates, caller, now)
            raise PreconditionFailedError(self.get(name, path))
        return self._commit(name, path, updates, caller, now, is_merge=False)

    def update(self, name: str, path: str, children: dict[str, Any], caller: Caller) -> Change:
        """A multi-location update (a PATCH): relative paths under ``path`` to new values."""
        targets = merge_targets(path, children)
        now = now_ms()
        return self._commit(
            name, path, self._resolve(name, targets, now), caller, now, is_merge=True
        )

    def push(self, name: str, path: str, value: Any, caller: Caller) -> tuple[str, Change]:
        """Writes ``value`` under a new push id (a POST); returns the id."""
        key = self.push_ids.next_id(now_ms())
        return key, self.set(name, paths.join(path, key), value, caller)

    def check_write(self, name: str, updates: dict[str, Any], caller: Caller) -> None:
        """Raises PermissionDeniedError unless the caller may write ``updates`` now (dry run)."""
        now = now_ms()
        self._authorize(self.namespace(name), self._resolve(name, updates, now), caller, now)

    def _resolve(self, name: str, updates: dict[str, Any], now: int) -> dict[str, Any]:
        """Server values resolved (with the same clock reading the rules get as ``now``)."""
        resolved = {}
        for target, value in updates.items():
            keys = [key for key in paths.split(target) if key != tree.PRIORITY]
            depth_left = tree.MAX_DEPTH - len(keys)
            if depth_left < 0:
                raise tree.InvalidDataError(f"Path is deeper than {tree.MAX_DEPTH} levels")
            raw = server_values.resolve(value, self.get(name, target), now)
            resolved[target] = tree.normalize(raw, depth_left)
        _reject_overlaps(list(resolved))
        return resolved

    def _authorize(
        self, namespace: Namespace, updates: dict[str, Any], caller: Caller, now: int
    ) -> Any:
        """The root after ``updates``, once the rules allow them (admin skips the rules)."""
        after = tree.apply_updates(namespace.root, updates)
        if caller.admin:
            return after
        decision = namespace.rules.can_write(
            _by_node(updates, after), caller.auth, namespace.root, after, now
        )
        if not decision.allowed:
            raise PermissionDeniedError(decision.reason or "Permission denied")
        return after

    def _commit(
        self,
        name: str,
        base_path: str,
        updates: dict[str, Any],
        caller: Caller,
        now: int,
        is_merge: bool,
    ) -> Change:
        namespace = self.namespace(name)
        before = namespace.root
        after = self._authorize(namespace, updates, caller, now)
        namespace.root = after
        change = Change(name, base_path, _by_node(updates, after), is_merge, before, after)
        self._notify(namespace, change)
        return change

    def _notify(self, namespace: Namespace, change: Change) -> None:
        # The write is committed: a failing listener is logged, never the writer's error.
        for watcher in list(namespace.watchers):
            _call_logged(watcher, change)
        triggers = list(self._triggers)
        if not triggers:
            return
        for path in change.updates:
            before = tree.strip(tree.get(change.before, path))
            after = tree.strip(tree.get(change.after, path))
            for trigger in triggers:
                _call_logged(trigger, namespace.name, path, before, after)


def _call_logged(callback: Callable[..., None], *args: Any) -> None:
    try:
        callback(*args)
    except Exception:  # a listener's bug must not fail the write that triggered it
        log.exception("Realtime Database listener failed")


def _by_node(updates: dict[str, Any], after: Any) -> dict[str, Any]:
    """Updates keyed by node: a write to ``x/.priority`` is a write of the node ``x``."""
    if not any(path.endswith(tree.PRIORITY) for path in updates):
        return updates
    nodes = {}
    for path, value in updates.items():
        if path.split("/")[-1] == tree.PRIORITY:
            node = paths.parent(path)
            nodes[node] = tree.get(after, node)
        else:
            nodes[path] = value
    return nodes


def update_key(key: str) -> str:
    """A key of a multi-location update, validated; one naming no child ("" or "/") would
    silently replace the whole location, so Firebase refuses it."""
    relative = paths.validate(key)
    if not relative:
        raise paths.InvalidPathError(f"Invalid key in update: {key!r}")
    return relative


def merge_targets(path: str, children: dict[str, Any]) -> dict[str, Any]:
    """A multi-location update's children under ``path`` as absolute paths to new values."""
    return {paths.join(path, update_key(key)): value for key, value in children.items()}


def _reject_overlaps(targets: list[str]) -> None:
    for first in targets:
        for second in targets:
            if first != second and paths.is_prefix(first, second):
                raise InvalidUpdateError(
                    f"Invalid data; path {first} is an ancestor of {second} in the same update"
                )
