"""Load-time checks of a rule expression: known variables, known members, sane types."""

from __future__ import annotations

from collections.abc import Collection

from .errors import RulesLoadError
from .members import METHOD_ARITY, QUERY_FIELDS, STRING_METHODS, STRING_PROPERTIES
from .snapshot import SNAPSHOT_METHODS
from .syntax import (
    ArrayLiteral,
    Binary,
    Call,
    Conditional,
    Literal,
    Logical,
    Member,
    Node,
    RegexLiteral,
    Unary,
    Variable,
)

# Coarse static types; "any" is whatever a value or a claim turns out to be at run time.
SNAPSHOT, STRING, NUMBER, BOOLEAN, NULL, QUERY, LIST, ANY = (
    "snapshot", "string", "number", "boolean", "null", "query", "list", "any",
)
_RETURNS = {"child": SNAPSHOT, "parent": SNAPSHOT, "val": ANY, "getPriority": ANY,
            "replace": STRING, "toLowerCase": STRING, "toUpperCase": STRING}
_LITERAL_TYPES = {bool: BOOLEAN, int: NUMBER, float: NUMBER, str: STRING, type(None): NULL}


def check_rule(node: Node, kind: str, wildcards: Collection[str]) -> None:
    """Raise RulesLoadError unless ``node`` is a valid ``kind`` (.read/.write/.validate) rule."""
    result = _Checker(kind, wildcards).visit(node)
    if result not in (BOOLEAN, ANY):
        raise RulesLoadError(f"{kind} rule must evaluate to a boolean, not a {result}")


class _Checker:
    """Walks a syntax tree, inferring coarse types and rejecting what Firebase rejects."""

    def __init__(self, kind: str, wildcards: Collection[str]) -> None:
        self.kind = kind
        self.wildcards = wildcards

    def visit(self, node: Node) -> str:
        """The static type of ``node``; raises RulesLoadError on invalid constructs."""
        if isinstance(node, Literal):
            return _LITERAL_TYPES[type(node.value)]
        if isinstance(node, Variable):
            return self._variable(node.name)
        if isinstance(node, Member):
            return self._member(node)
        if isinstance(node, Call):
            return self._call(node)
        if isinstance(node, ArrayLiteral):
            for item in node.items:
                self.visit(item)
            return LIST
        if isinstance(node, RegexLiteral):
            raise RulesLoadError("a regular expression literal is only allowed in matches()")
        if isinstance(node, Unary):
            self.visit(node.operand)
            return BOOLEAN if node.op == "!" else NUMBER
        if isinstance(node, Binary):
            return self._binary(node)
        if isinstance(node, Logical):
            self.visit(node.left)
            self.visit(node.right)
            return BOOLEAN
        if isinstance(node, Conditional):
            self.visit(node.test)
            then, otherwise = self.visit(node.then), self.visit(node.otherwise)
            return then if then == otherwise else ANY
        raise RulesLoadError(f"unsupported expression {node!r}")

    def _variable(self, name: str) -> str:
        if name in ("root", "data"):
            return SNAPSHOT
        if name == "newData":
            if self.kind == ".read":
                raise RulesLoadError("newData is not available in .read rules")
            return SNAPSHOT
        if name == "query":
            if self.kind != ".read":
                raise RulesLoadError("query is only available in .read rules")
            return QUERY
        if name == "now":
            return NUMBER
        if name == "auth":
            return ANY
        if name.startswith("$"):
            if name not in self.wildcards:
                raise RulesLoadError(f"unknown variable {name} (no such $wildcard above)")
            return STRING
        raise RulesLoadError(f"unknown variable {name}")

    def _member(self, node: Member) -> str:
        target = self.visit(node.target)
        if target == SNAPSHOT:
            raise RulesLoadError(f"snapshot member {node.name} must be a method call")
        if target == STRING:
            if node.name not in STRING_PROPERTIES:
                raise RulesLoadError(f"strings have no property {node.name}")
            return NUMBER
        if target == QUERY:
            if node.name not in QUERY_FIELDS:
                raise RulesLoadError(f"query has no member {node.name}")
            return ANY
        if target in (NUMBER, BOOLEAN, NULL, LIST):
            raise RulesLoadError(f"a {target} has no member {node.name}")
        return ANY

    def _call(self, node: Call) -> str:
        name = node.target.name
        target = self.visit(node.target.target)
        allowed = {SNAPSHOT: SNAPSHOT_METHODS, STRING: STRING_METHODS}.get(
            target, SNAPSHOT_METHODS | STRING_METHODS if target == ANY else frozenset()
        )
        if name not in allowed:
            raise RulesLoadError(f"unknown method {name}() on a {target}")
        low, high = METHOD_ARITY[name]
        if not low <= len(node.args) <= high:
            raise RulesLoadError(f"{name}() takes {low}..{high} arguments")
        if name == "matches":
            if not isinstance(node.args[0], RegexLiteral):
                raise RulesLoadError("matches() needs a regular expression literal")
        else:
            for arg in node.args:
                self.visit(arg)
        return _RETURNS.get(name, BOOLEAN)

    def _binary(self, node: Binary) -> str:
        left, right = self.visit(node.left), self.visit(node.right)
        if node.op in ("==", "!=", "<", "<=", ">", ">="):
            return BOOLEAN
        if node.op == "+":
            return STRING if STRING in (left, right) else ANY if ANY in (left, right) else NUMBER
        return NUMBER
