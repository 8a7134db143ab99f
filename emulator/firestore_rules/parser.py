"""Parses rules source text into the syntax tree of ``syntax.py`` (lark, LALR)."""

from __future__ import annotations

import ast
import codecs
import dataclasses
import re
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, VisitError

from emulator.coverage import SourcePosition
from emulator.firestore_rules import syntax as s
from emulator.firestore_rules.api import RulesLoadError

_GRAMMAR = Path(__file__).with_name("grammar.lark")
_INTERPOLATION = re.compile(r"^\$\((.*)\)$", re.DOTALL)
_MATCH_SEGMENT = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)(=\*\*)?\}$")


@cache
def _lark() -> Lark:
    return Lark(
        _GRAMMAR.read_text(),
        parser="lalr",
        lexer="contextual",
        start=["start", "expr"],
        propagate_positions=True,
        maybe_placeholders=True,
    )


def parse_rules(source: str) -> s.Service:
    """Parses a whole rules file, noting where each expression of its tree is."""
    tree = _parse(source, "start")
    builder = _Builder(line_offset=0, positions={})
    service: s.Service = _transform(tree, line_offset=0, builder=builder)
    # Only nodes the final tree holds: the builder also makes nodes it later replaces.
    noted = builder.positions or {}
    service.positions = {
        id(node): noted[id(node)] for node in _expressions(service) if id(node) in noted
    }
    return service


def _expressions(root: Any) -> list[s.Expr]:
    """Every expression node reachable from ``root`` (a syntax tree), each once."""
    found: dict[int, s.Expr] = {}
    pending = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, list | tuple):
            pending.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            if isinstance(item, s.Expr):
                if id(item) in found:
                    continue
                found[id(item)] = item
            pending.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    return list(found.values())


def parse_expression(source: str, line: int = 1) -> s.Expr:
    """Parses one expression (used for path interpolations and tests)."""
    expr: s.Expr = _transform(_parse(source, "expr"), line_offset=line - 1)
    return expr


def _parse(source: str, start: str) -> Any:
    try:
        return _lark().parse(source, start=start)
    except LarkError as error:
        raise RulesLoadError(f"syntax error: {_first_line(error)}") from None


def _transform(tree: Any, line_offset: int, builder: _Builder | None = None) -> Any:
    try:
        return (builder or _Builder(line_offset)).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, RulesLoadError):
            raise error.orig_exc from None
        raise
    except RecursionError:
        raise RulesLoadError("expression nested too deeply") from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _string_value(token: str, line: int) -> Any:
    try:
        return ast.literal_eval(token)
    except (ValueError, SyntaxError):
        raise RulesLoadError(f"L{line}: invalid literal {token}") from None


def _bytes_value(token: str, line: int) -> bytes:
    """b'...': characters as UTF-8, plus \\xNN, three-digit octal and the usual escapes."""
    try:
        return bytes(codecs.escape_decode(token[2:-1].encode("utf-8"))[0])
    except ValueError:
        raise RulesLoadError(f"L{line}: invalid bytes literal {token}") from None


@v_args(meta=True)
class _Builder(Transformer[Any, Any]):
    """Turns lark's parse tree into ``syntax`` nodes, recording source lines."""

    def __init__(
        self,
        line_offset: int,
        positions: dict[int, SourcePosition] | None = None,
    ) -> None:
        super().__init__()
        self._offset = line_offset
        # id(node) -> where the node's text is; filled only when asked (whole files).
        self.positions = positions
        self._nodes: list[s.Expr] = []  # keeps ids unique while positions are noted

    def _call_userfunc(self, tree: Any, new_children: Any = None) -> Any:
        # lark's single hook for every rule callback: notes the span of expression nodes.
        node = super()._call_userfunc(tree, new_children)  # type: ignore[no-untyped-call]
        meta = tree.meta
        if (
            self.positions is not None
            and isinstance(node, s.Expr)
            and not getattr(meta, "empty", True)
            and id(node) not in self.positions
        ):
            self._nodes.append(node)
            self.positions[id(node)] = SourcePosition(
                meta.line, meta.column, meta.start_pos, meta.end_pos
            )
        return node

    def _line(self, meta: Any) -> int:
        return (getattr(meta, "line", 1) or 1) + self._offset

    # --- structure -------------------------------------------------------------
    def start(self, meta: Any, children: list[Any]) -> s.Service:
        version = "1"
        service = children[-1]
        if len(children) == 2:
            version = children[0]
        service.version = version
        built: s.Service = service
        return built

    def version(self, meta: Any, children: list[Any]) -> str:
        return str(_string_value(children[0], self._line(meta)))

    def service(self, meta: Any, children: list[Any]) -> s.Service:
        service = s.Service(name=children[0], version="1")
        for item in children[1:]:
            if isinstance(item, s.Allow):
                raise RulesLoadError(f"L{item.line}: allow outside of a match block")
            _add_item(service, item)
        return service

    def dotted_name(self, meta: Any, children: list[Token]) -> str:
        return ".".join(str(t) for t in children)

    def match(self, meta: Any, children: list[Any]) -> s.Match:
        line = self._line(meta)
        block = s.Match(pattern=_match_pattern(str(children[0]), line), line=line)
        for item in children[1:]:
            _add_item(block, item)
        return block

    def allow(self, meta: Any, children: list[Any]) -> s.Allow:
        methods, condition = children
        return s.Allow(methods=methods, condition=condition, line=self._line(meta))

    def method_list(self, meta: Any, children: list[Token]) -> tuple[str, ...]:
        return tuple(str(t) for t in children)

    def function(self, meta: Any, children: list[Any]) -> s.Function:
        name, params, *rest = children
        lets = tuple(item for item in rest[:-1])
        return s.Function(str(name), params or (), lets, rest[-1], self._line(meta))

    def params(self, meta: Any, children: list[Token]) -> tuple[str, ...]:
        return tuple(str(t) for t in children)

    def let_binding(self, meta: Any, children: list[Any]) -> tuple[str, s.Expr]:
        return (str(children[0]), children[1])

    # --- expressions -------------------------------------------------------------
    def conditional(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Conditional(c[0], c[1], c[2], self._line(meta))

    def or_(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Logical("||", c[0], c[1], self._line(meta))

    def and_(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Logical("&&", c[0], c[1], self._line(meta))

    def binary(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Binary(str(c[1]), c[0], c[2], self._line(meta))

    def in_(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Binary("in", c[0], c[1], self._line(meta))

    def is_(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.IsType(c[0], str(c[1]), self._line(meta))

    def not_(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Unary("!", c[0], self._line(meta))

    def neg(self, meta: Any, c: list[Any]) -> s.Expr:
        operand = c[0]
        if isinstance(operand, s.Literal) and type(operand.value) in (int, float):
            return s.Literal(-operand.value, self._line(meta))
        return s.Unary("-", operand, self._line(meta))

    def member(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Member(c[0], str(c[1]), self._line(meta))

    def method_call(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.MethodCall(c[0], str(c[1]), c[2] or (), self._line(meta))

    def index(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Index(c[0], c[1], self._line(meta))

    def slice(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Slice(c[0], c[1], c[2], self._line(meta))

    def call(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Call(str(c[0]), c[1] or (), self._line(meta))

    def args(self, meta: Any, c: list[Any]) -> tuple[s.Expr, ...]:
        return tuple(c)

    def items(self, meta: Any, c: list[Any]) -> tuple[s.Expr, ...]:
        return tuple(c)

    def variable(self, meta: Any, c: list[Token]) -> s.Expr:
        return s.Variable(str(c[0]), self._line(meta))

    def int_lit(self, meta: Any, c: list[Token]) -> s.Expr:
        return s.Literal(int(c[0]), self._line(meta))

    def float_lit(self, meta: Any, c: list[Token]) -> s.Expr:
        return s.Literal(float(c[0]), self._line(meta))

    def string_lit(self, meta: Any, c: list[Token]) -> s.Expr:
        line = self._line(meta)
        return s.Literal(str(_string_value(str(c[0]), line)), line)

    def raw_string_lit(self, meta: Any, c: list[Token]) -> s.Expr:
        return s.Literal(str(c[0])[2:-1], self._line(meta))

    def bytes_lit(self, meta: Any, c: list[Token]) -> s.Expr:
        line = self._line(meta)
        return s.Literal(_bytes_value(str(c[0]), line), line)

    def true_lit(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Literal(True, self._line(meta))

    def false_lit(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Literal(False, self._line(meta))

    def null_lit(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.Literal(None, self._line(meta))

    def list_lit(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.ListExpr(c[0] or (), self._line(meta))

    def map_lit(self, meta: Any, c: list[Any]) -> s.Expr:
        return s.MapExpr(c[0] or (), self._line(meta))

    def entries(self, meta: Any, c: list[Any]) -> tuple[tuple[s.Expr, s.Expr], ...]:
        return tuple(c)

    def entry(self, meta: Any, c: list[Any]) -> tuple[s.Expr, s.Expr]:
        return (c[0], c[1])

    def path_lit(self, meta: Any, c: list[Token]) -> s.Expr:
        line = self._line(meta)
        parts: list[str | s.Expr] = []
        for text in _split_path(str(c[0])):
            found = _INTERPOLATION.match(text)
            parts.append(parse_expression(found.group(1), line) if found else text)
        return s.PathTemplate(tuple(parts), line)


def _add_item(block: s.Match | s.Service, item: Any) -> None:
    if isinstance(item, s.Match):
        block.matches.append(item)
    elif isinstance(item, s.Function):
        block.functions.append(item)
    elif isinstance(block, s.Match):
        block.allows.append(item)


def _split_path(text: str) -> list[str]:
    """Splits "/a/$(f(x))/b" on the slashes that are outside interpolations."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text[1:]:
        if char == "/" and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += (char == "(") - (char == ")")
        current += char
    parts.append(current)
    return parts


def _match_pattern(text: str, line: int) -> tuple[s.Segment, ...]:
    segments = []
    for part in text.strip("/").split("/"):
        found = _MATCH_SEGMENT.match(part)
        if found:
            segments.append(s.Segment(found.group(1), True, found.group(2) is not None))
        elif "{" in part or "}" in part:
            raise RulesLoadError(f"L{line}: invalid match segment {part!r}")
        else:
            segments.append(s.Segment(part))
    return tuple(segments)
