"""Rules for a namespace: open by default (as the official emulator), else the rules engine."""

from __future__ import annotations

from typing import Any

from emulator.database_rules.api import DatabaseRules, ReadQuery, RulesDecision

OPEN_RULES_TEXT = '{\n  "rules": {\n    ".read": true,\n    ".write": true\n  }\n}\n'
_ALLOWED = RulesDecision(allowed=True)


class OpenRules:
    """Everything allowed: the emulator's behaviour when no rules file is given."""

    def can_read(
        self,
        path: str,
        auth: dict[str, Any] | None,
        root: Any,
        now_ms: int,
        query: ReadQuery | None = None,
    ) -> RulesDecision:
        """Always allowed."""
        return _ALLOWED

    def can_write(
        self,
        updates: dict[str, Any],
        auth: dict[str, Any] | None,
        root_before: Any,
        root_after: Any,
        now_ms: int,
    ) -> RulesDecision:
        """Always allowed."""
        return _ALLOWED


def load(text: str | None) -> DatabaseRules:
    """Parses a database.rules.json text (RulesLoadError if unsupported); None means open."""
    if text is None:
        return OpenRules()
    from emulator.database_rules import load_rules  # the engine is a sibling package

    return load_rules(text)
