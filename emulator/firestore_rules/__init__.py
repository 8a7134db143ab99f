"""Firestore security rules engine: ``load_ruleset(source)`` parses, checks and returns
a ``Ruleset`` (see ``api.py``) that the emulator asks for every non-admin request."""

from __future__ import annotations

from emulator.coverage import Coverage
from emulator.firestore_rules.api import (
    AccessRequest,
    Decision,
    DocumentReader,
    FieldFilter,
    QueryConstraints,
    Ruleset,
    RulesLoadError,
    StoredDocument,
)
from emulator.firestore_rules.checks import check_service
from emulator.firestore_rules.matching import flatten
from emulator.firestore_rules.parser import parse_rules
from emulator.firestore_rules.ruleset import FirestoreRuleset


def load_ruleset(source: str, file_name: str = "firestore.rules") -> Ruleset:
    """Parses and checks rules source; raises RulesLoadError for what it cannot judge."""
    service = parse_rules(source)
    check_service(service)
    coverage = Coverage(file_name, source, service.positions)
    return FirestoreRuleset(flatten(service), service.version, coverage)


__all__ = [
    "AccessRequest",
    "Decision",
    "DocumentReader",
    "FieldFilter",
    "QueryConstraints",
    "RulesLoadError",
    "Ruleset",
    "StoredDocument",
    "load_ruleset",
]
