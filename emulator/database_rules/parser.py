"""Parse one rule expression string into a syntax tree (lark, LALR)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, VisitError

from .errors import RulesLoadError
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

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


@cache
def _lark() -> Lark:
    """The parser, built once (the grammar lives next to this module)."""
    grammar = (Path(__file__).parent / "grammar.lark").read_text()
    return Lark(grammar, parser="lalr", lexer="contextual")


def parse_expression(text: str) -> Node:
    """Parse ``text``; any syntax the language does not have raises RulesLoadError."""
    try:
        tree = _lark().parse(text)
    except LarkError as exc:
        raise RulesLoadError(f"Parse error: cannot parse rule expression {text!r}: {exc}") from None
    try:
        node: Node = _ToSyntax().transform(tree)
        return node
    except VisitError as exc:
        if isinstance(exc.orig_exc, RulesLoadError):
            raise exc.orig_exc from None
        raise


def unescape(body: str) -> str:
    """Decode JavaScript string escapes in the body of a quoted literal."""
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u" and len(body) >= i + 6:
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        elif nxt == "x" and len(body) >= i + 4:
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
    return "".join(out)


def _binary(op: str) -> Any:
    """A transformer method building a Binary node for ``op``."""
    return v_args(inline=True)(lambda self, left, right: Binary(op, left, right))


@v_args(inline=True)
class _ToSyntax(Transformer[Any, Any]):
    """Turns the lark parse tree into syntax.Node objects."""

    def number(self, token: Token) -> Literal:
        value = float(token)
        return Literal(int(value) if value.is_integer() and abs(value) < 2**53 else value)

    def string(self, token: Token) -> Literal:
        try:
            return Literal(unescape(token[1:-1]))
        except (ValueError, IndexError):
            raise RulesLoadError(f"Parse error: bad escape in string literal {token}") from None

    def regex(self, token: Token) -> RegexLiteral:
        end = token.rindex("/")
        return RegexLiteral(token[1:end], token[end + 1 :])

    def true(self) -> Literal:
        return Literal(True)

    def false(self) -> Literal:
        return Literal(False)

    def null(self) -> Literal:
        return Literal(None)

    def variable(self, token: Token) -> Variable:
        return Variable(str(token))

    def member(self, target: Node, name: Token) -> Member:
        return Member(target, str(name))

    def index(self, target: Node, key: Node) -> Member | Index:
        if isinstance(key, Literal) and isinstance(key.value, str):
            return Member(target, key.value)  # a["b"] is a.b, methods included
        return Index(target, key)

    def call(self, target: Node, args: list[Node] | None) -> Call:
        if not isinstance(target, Member):
            raise RulesLoadError("Parse error: only methods can be called in rules")
        return Call(target, tuple(args or ()))

    def args(self, *items: Node) -> list[Node]:
        return list(items)

    def array(self, items: list[Node] | None) -> ArrayLiteral:
        return ArrayLiteral(tuple(items or ()))

    def not_(self, operand: Node) -> Unary:
        return Unary("!", operand)

    def neg(self, operand: Node) -> Unary:
        return Unary("-", operand)

    def and_(self, left: Node, right: Node) -> Logical:
        return Logical("&&", left, right)

    def or_(self, left: Node, right: Node) -> Logical:
        return Logical("||", left, right)

    def conditional(self, test: Node, then: Node, otherwise: Node) -> Conditional:
        return Conditional(test, then, otherwise)

    # "==" behaves as "===" in rules (no type coercion), so both map to one operator.
    strict_eq = eq = _binary("==")
    strict_ne = ne = _binary("!=")
    lt = _binary("<")
    le = _binary("<=")
    gt = _binary(">")
    ge = _binary(">=")
    add = _binary("+")
    sub = _binary("-")
    mul = _binary("*")
    div = _binary("/")
    mod = _binary("%")
