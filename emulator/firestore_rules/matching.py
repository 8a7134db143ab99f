"""Matching request paths against match-block patterns.

Every nested match is flattened into one ``Rule``: its full pattern from the root and
the allows written directly inside it. A path is judged by every rule whose full
pattern matches it; their allows are OR-ed
(https://firebase.google.com/docs/firestore/security/rules-structure#overlapping_match_statements).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.firestore_rules import syntax as s
from emulator.firestore_rules.evaluator import FunctionDef
from emulator.firestore_rules.values import RulesPath, Unknown


@dataclass(frozen=True)
class Rule:
    pattern: tuple[s.Segment, ...]
    allows: tuple[s.Allow, ...]
    functions: dict[str, FunctionDef]


def match_path(
    pattern: tuple[s.Segment, ...], path: tuple[str | Unknown, ...], version: str
) -> dict[str, Any] | None:
    """The wildcard bindings when ``pattern`` matches all of ``path``, else None.

    A recursive wildcard matches zero or more segments in rules_version 2 and one or
    more in version 1; it binds a path. Unknown segments (the document id of a list
    query) only match wildcards.
    """
    return _match(pattern, 0, path, 0, {}, 0 if version == "2" else 1)


def _match(
    pattern: tuple[s.Segment, ...],
    p: int,
    path: tuple[str | Unknown, ...],
    i: int,
    bound: dict[str, Any],
    min_recursive: int,
) -> dict[str, Any] | None:
    if p == len(pattern):
        return bound if i == len(path) else None
    segment = pattern[p]
    if segment.recursive:
        for end in range(len(path), i + min_recursive - 1, -1):
            value = _recursive_value(path[i:end], segment.text)
            found = _match(pattern, p + 1, path, end, {**bound, segment.text: value}, 0)
            if found is not None:
                return found
        return None
    if i == len(path):
        return None
    if segment.variable:
        return _match(pattern, p + 1, path, i + 1, {**bound, segment.text: path[i]}, min_recursive)
    if isinstance(path[i], Unknown) or path[i] != segment.text:
        return None
    return _match(pattern, p + 1, path, i + 1, bound, min_recursive)


def _recursive_value(segments: tuple[str | Unknown, ...], name: str) -> Any:
    if any(isinstance(part, Unknown) for part in segments):
        return Unknown(name)
    return RulesPath(tuple(str(part) for part in segments))


def matches_collection_group(pattern: tuple[s.Segment, ...], collection_id: str) -> bool:
    """Whether a rule applies to every document of a collection group.

    Only a pattern that can match any parent path does: after the database root, a
    recursive wildcard alone, or one followed by ``collection_id/{doc}``.
    """
    relative = pattern[3:]
    if not relative or not relative[0].recursive:
        return False
    if len(relative) == 1:
        return True
    return (
        len(relative) == 3
        and not relative[1].variable
        and relative[1].text == collection_id
        and relative[2].variable
        and not relative[2].recursive
    )


def collection_group_bindings(pattern: tuple[s.Segment, ...], database: str) -> dict[str, Any]:
    """Bindings of a collection-group rule: the database, everything else unknown."""
    bound: dict[str, Any] = {}
    for index, segment in enumerate(pattern):
        if segment.variable:
            bound[segment.text] = database if index == 1 else Unknown(segment.text)
    return bound


def flatten(service: s.Service) -> list[Rule]:
    """Every match block as a Rule with its full pattern and visible functions."""
    rules: list[Rule] = []
    top = _scope(service.functions, {})
    for block in service.matches:
        _flatten(block, (), top, rules)
    return rules


def _flatten(
    block: s.Match,
    prefix: tuple[s.Segment, ...],
    outer: dict[str, FunctionDef],
    rules: list[Rule],
) -> None:
    pattern = prefix + block.pattern
    scope = _scope(block.functions, outer)
    rules.append(Rule(pattern, tuple(block.allows), scope))
    for child in block.matches:
        _flatten(child, pattern, scope, rules)


def _scope(functions: list[s.Function], outer: dict[str, FunctionDef]) -> dict[str, FunctionDef]:
    """Functions visible in a block: the outer ones, shadowed by the block's own."""
    scope = dict(outer)
    for function in functions:
        scope[function.name] = FunctionDef(function, scope)
    return scope
