"""The syntax tree of one rule expression (the JavaScript-like rules language)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Node:
    """Base class of expression nodes."""


@dataclass(frozen=True)
class Literal(Node):
    value: Any  # None, bool, int, float or str


@dataclass(frozen=True)
class RegexLiteral(Node):
    pattern: str
    flags: str


@dataclass(frozen=True)
class Variable(Node):
    name: str


@dataclass(frozen=True)
class Member(Node):
    target: Node
    name: str


@dataclass(frozen=True)
class Index(Node):
    """``target[key]`` with a computed key (a literal string key becomes a Member)."""

    target: Node
    key: Node


@dataclass(frozen=True)
class Call(Node):
    target: Member
    args: tuple[Node, ...]


@dataclass(frozen=True)
class ArrayLiteral(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "!" or "-"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str  # arithmetic, comparison or equality operator
    left: Node
    right: Node


@dataclass(frozen=True)
class Logical(Node):
    op: str  # "&&" or "||"
    left: Node
    right: Node


@dataclass(frozen=True)
class Conditional(Node):
    test: Node
    then: Node
    otherwise: Node
