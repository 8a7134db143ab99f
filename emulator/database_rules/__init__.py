"""Realtime Database security rules engine for database.rules.json (see README.md)."""

from .api import DatabaseRules, ReadQuery, RulesDecision, RulesLoadError
from .auth import auth_from_claims
from .engine import RulesEngine
from .loader import load_rules

__all__ = [
    "DatabaseRules",
    "ReadQuery",
    "RulesDecision",
    "RulesEngine",
    "RulesLoadError",
    "auth_from_claims",
    "load_rules",
]
