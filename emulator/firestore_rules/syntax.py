"""The syntax tree of a rules file: what the parser produces and the evaluator walks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.coverage import SourcePosition


class Expr:
    """Base of every expression node; ``line`` is the 1-based source line."""

    line: int


@dataclass(frozen=True)
class Literal(Expr):
    value: Any
    line: int = 0


@dataclass(frozen=True)
class Variable(Expr):
    name: str
    line: int = 0


@dataclass(frozen=True)
class PathTemplate(Expr):
    """A path literal; each part is a literal segment (str) or an interpolated Expr."""

    parts: tuple[str | Expr, ...]
    line: int = 0


@dataclass(frozen=True)
class ListExpr(Expr):
    items: tuple[Expr, ...]
    line: int = 0


@dataclass(frozen=True)
class MapExpr(Expr):
    entries: tuple[tuple[Expr, Expr], ...]
    line: int = 0


@dataclass(frozen=True)
class Member(Expr):
    target: Expr
    name: str
    line: int = 0


@dataclass(frozen=True)
class Index(Expr):
    target: Expr
    key: Expr
    line: int = 0


@dataclass(frozen=True)
class Slice(Expr):
    target: Expr
    start: Expr | None
    end: Expr | None
    line: int = 0


@dataclass(frozen=True)
class MethodCall(Expr):
    target: Expr
    name: str
    args: tuple[Expr, ...]
    line: int = 0


@dataclass(frozen=True)
class Call(Expr):
    """A call of a user function or of a global built-in (get, exists, int, ...)."""

    name: str
    args: tuple[Expr, ...]
    line: int = 0


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "!" or "-"
    operand: Expr
    line: int = 0


@dataclass(frozen=True)
class Binary(Expr):
    op: str  # == != < <= > >= + - * / % in
    left: Expr
    right: Expr
    line: int = 0


@dataclass(frozen=True)
class Logical(Expr):
    op: str  # "&&" or "||"
    left: Expr
    right: Expr
    line: int = 0


@dataclass(frozen=True)
class IsType(Expr):
    operand: Expr
    type_name: str
    line: int = 0


@dataclass(frozen=True)
class Conditional(Expr):
    condition: Expr
    if_true: Expr
    if_false: Expr
    line: int = 0


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[str, ...]
    lets: tuple[tuple[str, Expr], ...]
    body: Expr
    line: int


@dataclass(frozen=True)
class Allow:
    methods: tuple[str, ...]  # as written: get, list, create, update, delete, read, write
    condition: Expr | None  # None: "allow read;" grants unconditionally
    line: int


@dataclass(frozen=True)
class Segment:
    """One segment of a match pattern: a literal, a {var} or a recursive {var=**}."""

    text: str
    variable: bool = False
    recursive: bool = False


@dataclass
class Match:
    pattern: tuple[Segment, ...]
    line: int
    matches: list[Match] = field(default_factory=list)
    allows: list[Allow] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)


@dataclass
class Service:
    name: str
    version: str  # "1" when no rules_version is declared
    matches: list[Match] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    # Where each expression of the source is, keyed by id(node) (rules coverage).
    positions: dict[int, SourcePosition] = field(default_factory=dict)
