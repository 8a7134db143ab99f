"""Load-time checks: what the engine cannot judge must fail loudly, never allow.

Rejected when loading: another service than cloud.firestore, an unknown
rules_version, unknown allow methods, unknown variables, functions, methods or
``is`` types, wrong arities of user functions, recursion, ``let`` before rules_version
2 and more than 10 lets in a function ("Functions may call other functions but may not
recurse ... In rules version v2, functions can define variables using the let keyword.
Functions can have up to 10 let bindings",
https://firebase.google.com/docs/firestore/security/rules-conditions#custom_functions).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from emulator.firestore_rules import builtins
from emulator.firestore_rules import syntax as s
from emulator.firestore_rules.api import RulesLoadError
from emulator.firestore_rules.methods import method_names
from emulator.firestore_rules.values import TYPE_NAMES

METHODS = {"get", "list", "create", "update", "delete", "read", "write"}
_GLOBAL_NAMES = {"request", "resource", *builtins.NAMESPACES}
_CALLABLE = {*builtins.ACCESS_FUNCTIONS, *builtins.GLOBAL_FUNCTIONS}
MAX_LETS = 10


def check_service(service: s.Service) -> None:
    """Raises RulesLoadError for anything the engine would not judge faithfully."""
    if service.name != "cloud.firestore":
        raise RulesLoadError(f"unsupported service {service.name!r}; expected cloud.firestore")
    if service.version not in ("1", "2"):
        raise RulesLoadError(f"unsupported rules_version {service.version!r}")
    calls: dict[int, set[int]] = {}
    functions = _declare(service.functions, {}, set(), calls, service.version)
    for block in service.matches:
        _check_block(block, set(), functions, calls, service.version)
    _reject_recursion(calls)


def _declare(
    declared: list[s.Function],
    outer: dict[str, s.Function],
    wildcards: set[str],
    calls: dict[int, set[int]],
    version: str,
) -> dict[str, s.Function]:
    scope = dict(outer)
    scope.update({function.name: function for function in declared})
    for function in declared:
        _check_lets(function, version)
        names = wildcards | set(function.params)
        callees: set[int] = set()
        for name, expr in function.lets:  # a let sees the parameters and earlier lets
            _check_expr(expr, names, scope, callees)
            names = names | {name}
        _check_expr(function.body, names, scope, callees)
        calls[id(function)] = callees
    return scope


def _check_block(
    block: s.Match,
    outer_wildcards: set[str],
    outer: dict[str, s.Function],
    calls: dict[int, set[int]],
    version: str,
) -> None:
    wildcards = outer_wildcards | {seg.text for seg in block.pattern if seg.variable}
    _check_pattern(block, version)
    scope = _declare(block.functions, outer, wildcards, calls, version)
    for allow in block.allows:
        unknown = set(allow.methods) - METHODS
        if unknown:
            raise RulesLoadError(f"L{allow.line}: unknown method {sorted(unknown)[0]!r}")
        if allow.condition is not None:
            _check_expr(allow.condition, wildcards, scope, set())
    for child in block.matches:
        _check_block(child, wildcards, scope, calls, version)


def _check_lets(function: s.Function, version: str) -> None:
    if function.lets and version != "2":
        raise RulesLoadError(f"L{function.line}: let bindings need rules_version '2'")
    if len(function.lets) > MAX_LETS:
        raise RulesLoadError(
            f"L{function.line}: more than {MAX_LETS} let bindings in {function.name}"
        )


def _check_pattern(block: s.Match, version: str) -> None:
    recursive = [i for i, seg in enumerate(block.pattern) if seg.recursive]
    if len(recursive) > 1:
        raise RulesLoadError(f"L{block.line}: at most one recursive wildcard per match")
    if recursive and recursive[0] != len(block.pattern) - 1 and version != "2":
        raise RulesLoadError(f"L{block.line}: a recursive wildcard must be last before v2")
    if recursive and block.matches:
        raise RulesLoadError(f"L{block.line}: no nested match under a recursive wildcard")


def _check_expr(
    expr: s.Expr, names: set[str], scope: dict[str, s.Function], callees: set[int]
) -> None:
    """Checks one expression tree; ``callees`` collects the user functions it calls."""
    for node in _walk(expr):
        if isinstance(node, s.Variable) and node.name not in names | _GLOBAL_NAMES:
            raise RulesLoadError(f"L{node.line}: unknown variable {node.name!r}")
        if isinstance(node, s.Call):
            _check_call(node, scope, callees)
        if isinstance(node, s.MethodCall):
            _check_method(node, names)
        if isinstance(node, s.Member) and _namespace(node.target, names):
            raise RulesLoadError(f"L{node.line}: unknown property {node.name!r} of a namespace")
        if isinstance(node, s.IsType) and node.type_name not in TYPE_NAMES:
            raise RulesLoadError(f"L{node.line}: unknown type {node.type_name!r}")


def _check_call(node: s.Call, scope: dict[str, s.Function], callees: set[int]) -> None:
    if node.name in _CALLABLE:
        return
    function = scope.get(node.name)
    if function is None:
        raise RulesLoadError(f"L{node.line}: unknown function {node.name!r}")
    if len(node.args) != len(function.params):
        raise RulesLoadError(
            f"L{node.line}: {node.name}() takes {len(function.params)} arguments, "
            f"got {len(node.args)}"
        )
    callees.add(id(function))


def _check_method(node: s.MethodCall, names: set[str]) -> None:
    namespace = _namespace(node.target, names)
    if namespace is not None:
        if node.name not in builtins.NAMESPACE_FUNCTIONS[namespace]:
            raise RulesLoadError(f"L{node.line}: unknown function {namespace}.{node.name}()")
    elif node.name not in method_names():
        raise RulesLoadError(f"L{node.line}: unknown method {node.name}()")


def _namespace(expr: s.Expr, names: set[str]) -> str | None:
    if isinstance(expr, s.Variable) and expr.name in builtins.NAMESPACES:
        return None if expr.name in names else expr.name
    return None


def _walk(expr: Any) -> Iterator[s.Expr]:
    """Every expression node under ``expr``, itself included."""
    if isinstance(expr, s.Expr):
        yield expr
        for item in dataclasses.fields(expr):  # type: ignore[arg-type]
            yield from _walk(getattr(expr, item.name))
    elif isinstance(expr, tuple):
        for item in expr:
            yield from _walk(item)


def _reject_recursion(calls: dict[int, set[int]]) -> None:
    done: set[int] = set()

    def visit(node: int, stack: set[int]) -> None:
        if node in stack:
            raise RulesLoadError("functions may not call themselves (recursion)")
        if node in done:
            return
        for callee in calls.get(node, ()):
            visit(callee, stack | {node})
        done.add(node)

    for node in calls:
        visit(node, set())
