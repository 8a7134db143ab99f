"""The parser: structure, precedence, paths versus division, literals, line numbers."""

from __future__ import annotations

from emulator.firestore_rules import syntax as s
from emulator.firestore_rules.parser import parse_expression, parse_rules
from tests.emulator.firestore_rules.case_types import rules_file


def test_precedence_of_arithmetic_and_logic() -> None:
    expr = parse_expression("a || b && c == 1 + 2 * 3")
    assert isinstance(expr, s.Logical) and expr.op == "||"
    assert isinstance(expr.right, s.Logical) and expr.right.op == "&&"
    equality = expr.right.right
    assert isinstance(equality, s.Binary) and equality.op == "=="
    assert isinstance(equality.right, s.Binary) and equality.right.op == "+"
    assert isinstance(equality.right.right, s.Binary) and equality.right.right.op == "*"


def test_in_and_is_bind_tighter_than_equality() -> None:
    expr = parse_expression("x in l == y is string")
    assert isinstance(expr, s.Binary) and expr.op == "=="
    assert isinstance(expr.left, s.Binary) and expr.left.op == "in"
    assert isinstance(expr.right, s.IsType) and expr.right.type_name == "string"


def test_ternary_is_lowest() -> None:
    expr = parse_expression("a || b ? 1 : 2")
    assert isinstance(expr, s.Conditional) and isinstance(expr.condition, s.Logical)


def test_path_literal_and_division() -> None:
    expr = parse_expression("/databases/$(database)/documents/rooms/$(f(x).y) / 2")
    assert isinstance(expr, s.Binary) and expr.op == "/"
    path = expr.left
    assert isinstance(path, s.PathTemplate)
    assert path.parts[0] == "databases" and path.parts[2] == "documents"
    assert isinstance(path.parts[1], s.Variable) and isinstance(path.parts[4], s.Member)


def test_postfix_chain() -> None:
    expr = parse_expression("a.b(1)[2][1:][:3].c")
    assert isinstance(expr, s.Member) and expr.name == "c"
    assert isinstance(expr.target, s.Slice) and expr.target.start is None
    assert isinstance(expr.target.target, s.Slice) and expr.target.target.end is None


def test_literals() -> None:
    values = [
        parse_expression(text).value  # type: ignore[attr-defined]
        for text in ["'a\\'b'", '"x\\n"', "r'a\\d'", "b'\\x01'", "1.5e2", "-3", "null", "true"]
    ]
    assert values == ["a'b", "x\n", "a\\d", b"\x01", 150.0, -3, None, True]


def test_collections() -> None:
    listed = parse_expression("[1, 'a',]")
    mapped = parse_expression("{'k': [], 'm': {}}")
    assert isinstance(listed, s.ListExpr) and len(listed.items) == 2
    assert isinstance(mapped, s.MapExpr) and len(mapped.entries) == 2


def test_structure_and_line_numbers() -> None:
    service = parse_rules(
        rules_file(
            "    function top() { return true; }\n"
            "    match /rooms/{roomId}/{rest=**} {\n"
            "      allow read, write: if top();\n"
            "      allow delete;\n"
            "      match /x/{y} {\n"
            "        allow get:\n"
            "          if false;\n"
            "      }\n"
            "    }"
        )
    )
    assert service.name == "cloud.firestore" and service.version == "2"
    root = service.matches[0]
    assert [seg.text for seg in root.pattern] == ["databases", "database", "documents"]
    rooms = root.matches[0]
    assert rooms.pattern[1] == s.Segment("roomId", variable=True)
    assert rooms.pattern[2] == s.Segment("rest", variable=True, recursive=True)
    assert [a.methods for a in rooms.allows] == [("read", "write"), ("delete",)]
    assert [a.line for a in rooms.allows] == [6, 7]
    assert rooms.allows[1].condition is None
    assert rooms.matches[0].allows[0].line == 9
    assert root.functions[0].name == "top"


def test_function_with_lets() -> None:
    service = parse_rules(
        rules_file(
            "    function f(a, b) {\n      let x = a + b;\n      let y = x * 2;\n"
            "      return y > 0;\n    }"
        )
    )
    function = service.matches[0].functions[0]
    assert function.params == ("a", "b")
    assert [name for name, _ in function.lets] == ["x", "y"]
    assert isinstance(function.body, s.Binary)
