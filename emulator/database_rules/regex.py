"""Regular expression literals of ``matches()``, run with RE2 (linear time, no backtracking)."""

from __future__ import annotations

import re2

from .errors import RulesLoadError

SUPPORTED_FLAGS = frozenset("i")


class RuleRegex:
    """A compiled /pattern/flags literal."""

    __slots__ = ("source", "_compiled")

    def __init__(self, pattern: str, flags: str) -> None:
        unsupported = set(flags) - SUPPORTED_FLAGS
        if unsupported or len(set(flags)) != len(flags):
            raise RulesLoadError(f"unsupported regular expression flags {flags!r}")
        self.source = f"/{pattern}/{flags}"
        options = re2.Options()
        options.log_errors = False  # a bad pattern is reported as RulesLoadError instead
        options.case_sensitive = "i" not in flags
        try:
            self._compiled = re2.compile(pattern, options)
        except re2.error as exc:
            raise RulesLoadError(
                f"Parse error: invalid regular expression {self.source}: {exc}"
            ) from None

    def search(self, text: str) -> bool:
        """True when the pattern matches anywhere in ``text`` (anchors with ^ $)."""
        return self._compiled.search(text) is not None
