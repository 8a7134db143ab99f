"""Evaluate reads and atomic writes against a rule tree, as the Realtime Database does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from emulator.coverage import Coverage

from .api import ReadQuery, RulesDecision
from .compiler import RuleContext
from .members import QueryView
from .ruletree import RuleNode
from .snapshot import RuleDataSnapshot
from .tree import Segments, child_keys, has_value, node_at, split_path

NO_QUERY = QueryView(ReadQuery())  # what query.* shows in write rules and plain reads

Location = tuple[RuleNode, Segments, dict[str, str]]


class RulesEngine:
    """A loaded database.rules.json (implements api.DatabaseRules)."""

    def __init__(self, root: RuleNode, coverage: Coverage | None = None) -> None:
        self.root = root
        # What each rule evaluated to so far (/.inspect/coverage).
        self.coverage = coverage

    def can_read(
        self,
        path: str,
        auth: dict[str, Any] | None,
        root: Any,
        now_ms: int,
        query: ReadQuery | None = None,
    ) -> RulesDecision:
        """Allowed when a .read on the path or an ancestor is true; deeper rules never grant."""
        segments = split_path(path)
        root_snapshot = RuleDataSnapshot(root)
        query_view = QueryView(query) if query else NO_QUERY
        for node, location, wildcards in _walk(self.root, segments):
            if node.read is None:
                continue
            ctx = RuleContext(
                auth,
                now_ms,
                root_snapshot,
                RuleDataSnapshot(root, location),
                query=query_view,
                wildcards=wildcards,
            )
            if node.read.allows(ctx):
                return RulesDecision(True)
        return RulesDecision(False, f"no .read rule grants /{'/'.join(segments)}")

    def can_write(
        self,
        updates: dict[str, Any],
        auth: dict[str, Any] | None,
        root_before: Any,
        root_after: Any,
        now_ms: int,
    ) -> RulesDecision:
        """All-or-nothing: every path needs a granting .write, then every .validate must pass."""
        writer = _WriteCheck(auth, now_ms, root_before, root_after)
        paths = [split_path(path) for path in updates]
        for segments in paths:
            if not writer.write_granted(self.root, segments):
                return RulesDecision(False, f"no .write rule grants /{'/'.join(segments)}")
        failed = writer.first_failed_validation(self.root, paths)
        if failed is not None:
            return RulesDecision(False, f".validate failed at /{'/'.join(failed)}")
        return RulesDecision(True)


class _WriteCheck:
    """The variables shared by the rules of one write."""

    def __init__(self, auth: Any, now_ms: int, before: Any, after: Any) -> None:
        self.auth = auth
        self.now_ms = now_ms
        self.before = before
        self.after = after
        self.root_snapshot = RuleDataSnapshot(before)  # ``root`` is the pre-write tree

    def context(self, segments: Segments, wildcards: dict[str, str]) -> RuleContext:
        """The rule context at one location."""
        return RuleContext(
            self.auth,
            self.now_ms,
            self.root_snapshot,
            RuleDataSnapshot(self.before, segments),
            new_data=RuleDataSnapshot(self.after, segments),
            query=NO_QUERY,
            wildcards=wildcards,
        )

    def write_granted(self, rules: RuleNode, segments: Segments) -> bool:
        """True when a .write on the path or an ancestor is true (cascading grant)."""
        for node, location, wildcards in _walk(rules, segments):
            if node.write is not None and node.write.allows(self.context(location, wildcards)):
                return True
        return False

    def first_failed_validation(self, rules: RuleNode, paths: list[Segments]) -> Segments | None:
        """The first location whose .validate is false, or None when all pass."""
        seen: set[Segments] = set()
        for node, location, wildcards in self._validation_targets(rules, paths):
            if location in seen or node.validate is None:
                continue
            seen.add(location)
            if not has_value(node_at(self.after, location)):
                continue  # deletes and absent children skip .validate
            if not node.validate.allows(self.context(location, wildcards)):
                return location
        return None

    def _validation_targets(self, rules: RuleNode, paths: list[Segments]) -> Iterator[Location]:
        """Ancestors of each written path, the path itself and every new node below it."""
        for segments in paths:
            walked = list(_walk(rules, segments))
            yield from walked
            if len(walked) == len(segments) + 1:
                node, location, wildcards = walked[-1]
                yield from _descendants(node, location, wildcards, node_at(self.after, location))


def _walk(rules: RuleNode, segments: Segments) -> Iterator[Location]:
    """Rule nodes from the root down to ``segments``, stopping where no rule matches."""
    node: RuleNode | None = rules
    wildcards: dict[str, str] = {}
    for depth in range(len(segments) + 1):
        if node is None:
            return
        yield node, segments[:depth], wildcards
        if depth == len(segments):
            return
        node, bound = node.child(segments[depth])
        if bound is not None:
            wildcards = {**wildcards, bound: segments[depth]}


def _descendants(
    node: RuleNode, segments: Segments, wildcards: dict[str, str], raw: Any
) -> Iterator[Location]:
    """Rule nodes for every child present in the new data below ``segments``."""
    for key in child_keys(raw):
        child, bound = node.child(key)
        if child is None:
            continue
        scope = {**wildcards, bound: key} if bound is not None else wildcards
        location = segments + (key,)
        yield child, location, scope
        yield from _descendants(child, location, scope, raw[key])
