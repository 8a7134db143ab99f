"""load_rules: database.rules.json text -> a RulesEngine."""

from __future__ import annotations

import json
from typing import Any

from emulator.coverage import Coverage

from .engine import RulesEngine
from .errors import RulesLoadError
from .jsonc import strip_comments
from .ruletree import build_rule_tree


def load_rules(source: str, file_name: str = "database.rules.json") -> RulesEngine:
    """Parse and check a rules file; RulesLoadError for bad JSON or unsupported constructs."""
    try:
        # strict=False: expressions may span lines, as in Firebase's own examples.
        document = json.loads(
            strip_comments(source), strict=False, object_pairs_hook=_no_duplicates
        )
    except ValueError as exc:
        if isinstance(exc, RulesLoadError):
            raise
        raise RulesLoadError(f"Parse error: rules are not valid JSON: {exc}") from None
    if not isinstance(document, dict) or set(document) != {"rules"}:
        raise RulesLoadError('rules must be an object with exactly one key, "rules"')
    coverage = Coverage(file_name, source, {})
    return RulesEngine(build_rule_tree(document["rules"], coverage), coverage)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object hook that rejects repeated keys instead of keeping the last one."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise RulesLoadError(f"duplicate key {key!r} in rules")
        result[key] = value
    return result
