"""A loaded ruleset: decides requests as Firestore does and words denials like the
official emulator ("false for 'create' @ L12", "Null value error. for 'update' @ L5")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.coverage import Coverage
from emulator.firestore_rules import syntax as s
from emulator.firestore_rules.access import (
    BATCH_LIMIT,
    SINGLE_REQUEST_LIMIT,
    AccessBudget,
    DocumentAccess,
    resource_map,
)
from emulator.firestore_rules.api import (
    AccessRequest,
    Decision,
    DocumentReader,
    QueryConstraints,
    StoredDocument,
)
from emulator.firestore_rules.evaluator import Evaluator
from emulator.firestore_rules.matching import (
    Rule,
    collection_group_bindings,
    match_path,
    matches_collection_group,
)
from emulator.firestore_rules.symbolic import SymbolicResource
from emulator.firestore_rules.values import EvalError, RulesPath, Unknown, from_store

# "read" is get + list, "write" is create + update + delete
# (https://firebase.google.com/docs/firestore/security/rules-structure#granular_operations).
_SHORTHANDS = {"read": {"get", "list"}, "write": {"create", "update", "delete"}}
NO_MATCH = "No matching allow statements"


def grants(allow: s.Allow, method: str) -> bool:
    return any(method in _SHORTHANDS.get(name, {name}) for name in allow.methods)


@dataclass
class FirestoreRuleset:
    """The Ruleset of the api contract, built by ``load_ruleset``."""

    rules: list[Rule]
    version: str
    # What each expression evaluated to so far (the emulator's :ruleCoverage report).
    coverage: Coverage | None = None

    def authorize(self, request: AccessRequest, reader: DocumentReader) -> Decision:
        budget = AccessBudget(SINGLE_REQUEST_LIMIT)
        return self._decide(request, reader, budget)

    def authorize_all(self, requests: list[AccessRequest], reader: DocumentReader) -> Decision:
        budget = AccessBudget(BATCH_LIMIT)
        for request in requests:
            decision = self._decide(request, reader, budget)
            if not decision.allowed:
                return decision
        return Decision(True)

    def _decide(
        self, request: AccessRequest, reader: DocumentReader, budget: AccessBudget
    ) -> Decision:
        access = DocumentAccess(reader, budget, request.database)
        if request.method != "list":
            return self._judge(request, access, _resource(request))
        for disjunct in (request.query or QueryConstraints()).disjuncts:
            resource = SymbolicResource.of(disjunct, request.database)
            decision = self._judge(request, access, resource)
            if not decision.allowed:
                return decision
        return Decision(True)

    def _judge(self, request: AccessRequest, access: DocumentAccess, resource: Any) -> Decision:
        """One allow granting is enough; otherwise every failure is reported."""
        failures: list[tuple[int, str]] = []
        shared = {"request": _request_map(request), "resource": resource}
        for rule, bindings in self._applicable(request):
            variables = {**bindings, **shared}
            evaluator = Evaluator(variables, access, self.coverage)
            for allow in rule.allows:
                if not grants(allow, request.method):
                    continue
                outcome = _outcome(evaluator, allow, rule)
                if outcome is None:
                    return Decision(True)
                failures.append((allow.line, f"{outcome} for '{request.method}' @ L{allow.line}"))
        if not failures:
            return Decision(False, NO_MATCH)
        return Decision(False, ", ".join(text for _, text in sorted(failures)))

    def _applicable(self, request: AccessRequest) -> list[tuple[Rule, dict[str, Any]]]:
        found = []
        for rule in self.rules:
            bindings = self._bindings(rule, request)
            if bindings is not None:
                found.append((rule, bindings))
        return found

    def _bindings(self, rule: Rule, request: AccessRequest) -> dict[str, Any] | None:
        if request.collection_group:
            if self.version != "2" or not matches_collection_group(rule.pattern, request.path):
                return None
            return collection_group_bindings(rule.pattern, request.database)
        return match_path(rule.pattern, _request_segments(request), self.version)


def _outcome(evaluator: Evaluator, allow: s.Allow, rule: Rule) -> str | None:
    """None when the allow grants, else the reason as the emulator words it."""
    if allow.condition is None:
        return None
    try:
        return None if evaluator.condition(allow.condition, rule.functions) else "false"
    except EvalError as error:
        return str(error)
    except RecursionError:
        return "Maximum function call depth exceeded."


def _request_segments(request: AccessRequest) -> tuple[str | Unknown, ...]:
    relative: tuple[str | Unknown, ...] = tuple(request.path.split("/"))
    if request.method == "list":
        relative = (*relative, Unknown("document id"))
    return ("databases", request.database, "documents", *relative)


def _full_path(request: AccessRequest) -> RulesPath | Unknown:
    if request.method == "list":
        return Unknown("request.path")
    return RulesPath(("databases", request.database, "documents", *request.path.split("/")))


def _resource(request: AccessRequest) -> dict[str, Any] | None:
    if request.resource is None:
        return None
    return resource_map(request.resource, request.database)


def _request_map(request: AccessRequest) -> dict[str, Any]:
    """``request`` as rules see it: auth, method, path, time, resource, query."""
    mapped: dict[str, Any] = {
        "auth": from_store(request.auth) if request.auth is not None else None,
        "method": request.method,
        "path": _full_path(request),
        "time": request.time,
        "resource": _post_write_resource(request),
    }
    if request.method == "list":
        query = request.query or QueryConstraints()
        mapped["query"] = {
            "limit": query.limit,
            "offset": query.offset,
            "orderBy": {
                name: "DESC" if direction == "DESCENDING" else "ASC"
                for name, direction in query.order_by
            },
        }
    return mapped


def _post_write_resource(request: AccessRequest) -> dict[str, Any] | None:
    if request.method not in ("create", "update") or request.new_data is None:
        return None
    return resource_map(StoredDocument(request.path, request.new_data), request.database)
