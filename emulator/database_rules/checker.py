"""Load-time checks of a rule expression: known variables, known members, sane types.

Static types are coarse: ``any`` is an auth value (a claim of any shape, null when signed
out), ``primitive`` a value read from data or a query (string, number, boolean or null).
Only what is certainly wrong is rejected here; the rest is checked during evaluation.
"""

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
    Index,
    Literal,
    Logical,
    Member,
    Node,
    RegexLiteral,
    Unary,
    Variable,
)

SNAPSHOT, STRING, NUMBER, BOOLEAN, NULL, QUERY, LIST, REGEX, PRIMITIVE, ANY, MIXED = (
    "snapshot",
    "string",
    "number",
    "boolean",
    "null",
    "query",
    "list",
    "regex",
    "primitive",
    "any",
    "mixed",
)
_UNKNOWN = (PRIMITIVE, ANY, MIXED)  # could be anything at run time: checked then
_RESULT_TYPES = (BOOLEAN, PRIMITIVE, ANY)  # operands of ! && || ?: (checked again when run)
_RULE_TYPES = (BOOLEAN, ANY)  # a whole rule: data.val() or c ? 7 : true are refused
_STRING_LIKE = (STRING, *_UNKNOWN)
_NUMBER_LIKE = (NUMBER, *_UNKNOWN)
_RETURNS = {
    "child": SNAPSHOT,
    "parent": SNAPSHOT,
    "val": PRIMITIVE,
    "getPriority": PRIMITIVE,
    "replace": STRING,
    "toLowerCase": STRING,
    "toUpperCase": STRING,
}
_LITERAL_TYPES = {bool: BOOLEAN, int: NUMBER, float: NUMBER, str: STRING, type(None): NULL}


def check_rule(node: Node, kind: str, wildcards: Collection[str]) -> None:
    """Raise RulesLoadError unless ``node`` is a valid ``kind`` (.read/.write/.validate) rule."""
    result = _Checker(kind, wildcards).visit(node)
    if result not in _RULE_TYPES:
        raise RulesLoadError(f"{kind} rule must evaluate to a boolean, not a {result}")


def _expect(actual: str, allowed: tuple[str, ...], what: str) -> None:
    if actual not in allowed:
        raise RulesLoadError(f"{what} cannot be a {actual}")


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
        if isinstance(node, Index):
            return self._index(node)
        if isinstance(node, Call):
            return self._call(node)
        if isinstance(node, ArrayLiteral):
            raise RulesLoadError("a list is only allowed as the argument of hasChildren()")
        if isinstance(node, RegexLiteral):
            raise RulesLoadError("a regular expression literal is only allowed in matches()")
        if isinstance(node, Unary):
            return self._unary(node)
        if isinstance(node, Binary):
            return self._binary(node)
        if isinstance(node, Logical):
            _expect(self.visit(node.left), _RESULT_TYPES, f"an operand of {node.op}")
            _expect(self.visit(node.right), _RESULT_TYPES, f"an operand of {node.op}")
            return BOOLEAN
        if isinstance(node, Conditional):
            return self._conditional(node)
        raise RulesLoadError(f"unsupported expression {node!r}")

    def _variable(self, name: str) -> str:
        if name in ("root", "data"):
            return SNAPSHOT
        if name == "newData":
            if self.kind == ".read":
                raise RulesLoadError("newData is not available in .read rules")
            return SNAPSHOT
        if name == "query":
            return QUERY  # meaningful in .read; a write has no query, so its fields are unset
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
        if target == ANY:
            return ANY  # a claim of the auth token: any name, null when absent
        if target == QUERY:
            if node.name not in QUERY_FIELDS:
                raise RulesLoadError(f"query has no member {node.name}")
            return (
                BOOLEAN
                if node.name.startswith("orderBy") and node.name != "orderByChild"
                else PRIMITIVE
            )
        if target in (STRING, PRIMITIVE, MIXED) and node.name in STRING_PROPERTIES:
            return NUMBER
        raise RulesLoadError(f"a {target} has no property {node.name} (methods need a call)")

    def _index(self, node: Index) -> str:
        target = self.visit(node.target)
        if target != ANY:
            raise RulesLoadError(f"a {target} cannot be indexed with a computed name")
        _expect(self.visit(node.key), (NUMBER, *_STRING_LIKE), "a member name")
        return ANY

    def _call(self, node: Call) -> str:
        name = node.target.name
        target = self.visit(node.target.target)
        allowed = (
            SNAPSHOT_METHODS
            if target == SNAPSHOT
            else (STRING_METHODS if target in _STRING_LIKE else frozenset())
        )
        if name not in allowed:
            raise RulesLoadError(f"unknown method {name}() on a {target}")
        low, high = METHOD_ARITY[name]
        if not low <= len(node.args) <= high:
            raise RulesLoadError(f"{name}() takes {low}..{high} arguments")
        self._arguments(name, node.args)
        return _RETURNS.get(name, BOOLEAN)

    def _arguments(self, name: str, args: tuple[Node, ...]) -> None:
        if name == "matches":
            if not isinstance(args[0], RegexLiteral):
                raise RulesLoadError("matches() needs a regular expression literal")
            return
        if name == "hasChildren" and args:
            if not isinstance(args[0], ArrayLiteral):
                raise RulesLoadError("hasChildren() needs a list of child names")
            args = args[0].items
        for arg in args:
            _expect(self.visit(arg), _STRING_LIKE, f"an argument of {name}()")

    def _unary(self, node: Unary) -> str:
        operand = self.visit(node.operand)
        if node.op == "!":
            _expect(operand, _RESULT_TYPES, "the operand of !")
            return BOOLEAN
        _expect(operand, _NUMBER_LIKE, "the operand of unary -")
        return NUMBER

    def _binary(self, node: Binary) -> str:
        left, right = self.visit(node.left), self.visit(node.right)
        if node.op in ("==", "!="):
            for side in (left, right):
                _expect(side, (STRING, NUMBER, BOOLEAN, NULL, *_UNKNOWN), "an operand of ==")
            return BOOLEAN
        if node.op in ("<", "<=", ">", ">="):
            # null passes here (x > null is an error only when evaluated), booleans do not.
            for side in (left, right):
                _expect(side, (STRING, NUMBER, NULL, *_UNKNOWN), f"an operand of {node.op}")
            if {left, right} == {STRING, NUMBER}:
                raise RulesLoadError(f"{node.op} compares a string with a number")
            return BOOLEAN
        if node.op == "+":
            for side in (left, right):
                _expect(side, (STRING, NUMBER, *_UNKNOWN), "an operand of +")
            return STRING if STRING in (left, right) else NUMBER if left == right else PRIMITIVE
        for side in (left, right):
            _expect(side, _NUMBER_LIKE, f"an operand of {node.op}")
        return NUMBER

    def _conditional(self, node: Conditional) -> str:
        _expect(self.visit(node.test), _RESULT_TYPES, "the condition of ?:")
        then, otherwise = self.visit(node.then), self.visit(node.otherwise)
        if then == otherwise:
            return then
        if ANY in (then, otherwise):
            return ANY
        return MIXED
