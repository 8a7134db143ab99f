"""Errors raised while loading rules (re-exported) and while evaluating one expression."""

from __future__ import annotations

from .api import RulesLoadError

__all__ = ["RuleEvalError", "RulesLoadError"]


class RuleEvalError(Exception):
    """An expression failed at run time (e.g. a method called on null); the rule is false."""
