"""The contract between the Realtime Database store (emulator.database) and its rules engine.

``emulator.database_rules.load_rules(source)`` parses a ``database.rules.json`` text
(comments allowed) and returns a ``DatabaseRules``; it raises ``RulesLoadError`` for
anything it cannot parse or does not support. Data is plain JSON-like Python
(dict / list-free trees: RTDB stores arrays as maps, None = absent). Paths are
slash-separated without leading or trailing slashes ("" is the root).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class ReadQuery:
    """The query parameters of a read, as rules see them in ``query.*``."""

    order_by_key: bool = False
    order_by_value: bool = False
    order_by_priority: bool = False
    order_by_child: str | None = None
    start_at: Any = None
    end_at: Any = None
    equal_to: Any = None
    limit_to_first: int | None = None
    limit_to_last: int | None = None


@dataclass(frozen=True)
class RulesDecision:
    allowed: bool
    reason: str = ""  # which rule denied, for logs and error bodies


class DatabaseRules(Protocol):
    def can_read(
        self,
        path: str,
        auth: dict[str, Any] | None,
        root: Any,
        now_ms: int,
        query: ReadQuery | None = None,
    ) -> RulesDecision:
        """``.read`` cascades: granted when any rule on the path or an ancestor grants."""
        ...

    def can_write(
        self,
        updates: dict[str, Any],
        auth: dict[str, Any] | None,
        root_before: Any,
        root_after: Any,
        now_ms: int,
    ) -> RulesDecision:
        """One atomic write: ``updates`` maps each written path to its new value (a PUT
        is one entry, a multi-location PATCH several). ``root_after`` is the whole tree
        after applying all of them. ``.write`` cascades per written path; ``.validate``
        runs on every node under a written path whose new data is not null."""
        ...


class RulesLoadError(ValueError):
    """A rules text that cannot be parsed or uses an unsupported construct."""
