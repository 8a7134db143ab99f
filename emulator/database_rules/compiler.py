"""Compile a checked syntax tree into a Python closure evaluated against a RuleContext."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.coverage import Coverage, typed

from . import operators
from .errors import RuleEvalError
from .members import QueryView, get_member, invoke, require_key
from .regex import RuleRegex
from .snapshot import RuleDataSnapshot
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


@dataclass
class RuleContext:
    """The variables one rule evaluation sees."""

    auth: Any
    now: int
    root: RuleDataSnapshot
    data: RuleDataSnapshot
    new_data: RuleDataSnapshot | None = None
    query: QueryView | None = None
    wildcards: dict[str, str] = field(default_factory=dict)


Evaluator = Callable[[RuleContext], Any]

_NAMED_VARIABLES: dict[str, Evaluator] = {
    "auth": lambda ctx: ctx.auth,
    "now": lambda ctx: ctx.now,
    "root": lambda ctx: ctx.root,
    "data": lambda ctx: ctx.data,
    "newData": lambda ctx: ctx.new_data,
    "query": lambda ctx: ctx.query,
}


def compile_node(node: Node) -> Evaluator:
    """A closure computing ``node``; it raises RuleEvalError on a run-time error."""
    if isinstance(node, Literal):
        value = node.value
        return lambda ctx: value
    if isinstance(node, RegexLiteral):
        regex = RuleRegex(node.pattern, node.flags)
        return lambda ctx: regex
    if isinstance(node, Variable):
        return _variable(node.name)
    if isinstance(node, Member):
        target, name = compile_node(node.target), node.name
        return lambda ctx: get_member(target(ctx), name)
    if isinstance(node, Index):
        target, key = compile_node(node.target), compile_node(node.key)
        return lambda ctx: get_member(target(ctx), require_key(key(ctx)))
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, ArrayLiteral):
        items = [compile_node(item) for item in node.items]
        return lambda ctx: [item(ctx) for item in items]
    if isinstance(node, Unary):
        return _unary(node)
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, Logical):
        return _logical(node)
    if isinstance(node, Conditional):
        return _conditional(node)
    raise TypeError(f"unexpected node {node!r}")


def _variable(name: str) -> Evaluator:
    if name in _NAMED_VARIABLES:
        return _NAMED_VARIABLES[name]
    return lambda ctx: ctx.wildcards[name]


def _call(node: Call) -> Evaluator:
    target, name = compile_node(node.target.target), node.target.name
    args = [compile_node(arg) for arg in node.args]
    return lambda ctx: invoke(target(ctx), name, [arg(ctx) for arg in args])


def _unary(node: Unary) -> Evaluator:
    operand = compile_node(node.operand)
    if node.op == "!":
        return lambda ctx: not operators.require_boolean(operand(ctx), "!")
    return lambda ctx: operators.negate(operand(ctx))


def _binary(node: Binary) -> Evaluator:
    left, right, op = compile_node(node.left), compile_node(node.right), node.op
    if op == "==":
        return lambda ctx: operators.equals(left(ctx), right(ctx))
    if op == "!=":
        return lambda ctx: not operators.equals(left(ctx), right(ctx))
    if op == "+":
        return lambda ctx: operators.add(left(ctx), right(ctx))
    if op in ("<", "<=", ">", ">="):
        return lambda ctx: operators.compare(op, left(ctx), right(ctx))
    return lambda ctx: operators.arithmetic(op, left(ctx), right(ctx))


def _logical(node: Logical) -> Evaluator:
    left, right = compile_node(node.left), compile_node(node.right)
    check = operators.require_boolean
    if node.op == "&&":
        return lambda ctx: check(left(ctx), "&&") and check(right(ctx), "&&")
    return lambda ctx: check(left(ctx), "||") or check(right(ctx), "||")


def _conditional(node: Conditional) -> Evaluator:
    test, then, otherwise = (compile_node(n) for n in (node.test, node.then, node.otherwise))
    return lambda ctx: then(ctx) if operators.require_boolean(test(ctx), "?:") else otherwise(ctx)


@dataclass(frozen=True)
class CompiledRule:
    """One .read / .write / .validate rule, ready to evaluate."""

    source: str
    evaluator: Evaluator
    # Notes what the rule evaluated to (the /.inspect/coverage report).
    coverage: Coverage | None = field(default=None, compare=False)

    def allows(self, ctx: RuleContext) -> bool:
        """True only when the expression evaluates to exactly true; errors count as false."""
        try:
            value = self.evaluator(ctx)
        except (RuleEvalError, RecursionError) as error:
            if self.coverage is not None:
                self.coverage.record(id(self), "errorValue", str(error) or type(error).__name__)
            return False
        if self.coverage is not None:
            self.coverage.record(id(self), *typed(value))
        return value is True
