"""Evaluator pieces: error short-circuits, lazy lets, call depth, access limits, values."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.firestore.values import Timestamp
from emulator.firestore_rules.access import AccessBudget, DocumentAccess
from emulator.firestore_rules.api import StoredDocument
from emulator.firestore_rules.evaluator import Evaluator, FunctionDef
from emulator.firestore_rules.parser import parse_expression, parse_rules
from emulator.firestore_rules.values import Duration, EvalError, RulesPath, RulesSet
from tests.emulator.firestore_rules.case_types import rules_file


class CountingReader:
    """Every stored path exists; counts the reads that reach it."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    def get(self, path: str) -> StoredDocument | None:
        self.reads.append(path)
        return StoredDocument(path, {"n": len(self.reads)})

    def get_after(self, path: str) -> StoredDocument | None:
        return self.get(path)


def evaluate(text: str, budget: int = 10, **variables: Any) -> Any:
    access = DocumentAccess(CountingReader(), AccessBudget(budget))
    evaluator = Evaluator({"database": "(default)", **variables}, access)
    return evaluator.value(parse_expression(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x.missing || true", True),
        ("x.missing && false", False),
        ("false && x.missing", False),
        ("true || x.missing", True),
        ("true ? 1 : x.missing", 1),
    ],
)
def test_short_circuit_around_errors(text: str, expected: Any) -> None:
    assert evaluate(text, x={}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "x.missing || false",
        "x.missing && true",
        "true && x.missing",
        "!x.missing",
        "x.missing ? 1 : 2",
        "1 && true",
    ],
)
def test_errors_propagate(text: str) -> None:
    with pytest.raises(EvalError):
        evaluate(text, x={})


def test_values() -> None:
    assert evaluate("[1, 1, 2].toSet()").items == RulesSet([1, 2]).items
    assert evaluate("duration.value(3, 'm')") == Duration(180_000_000_000)
    assert evaluate("/a/$(x)/c", x="b") == RulesPath(("a", "b", "c"))
    assert evaluate("timestamp.value(1500)") == Timestamp(1, 500_000_000)
    assert evaluate("'%d'.size()") == 2


def test_integer_overflow_is_an_error() -> None:
    with pytest.raises(EvalError, match="overflow"):
        evaluate("9223372036854775807 + 1")


def _functions(source: str) -> dict[str, FunctionDef]:
    from emulator.firestore_rules.matching import flatten

    return flatten(parse_rules(rules_file(source)))[0].functions


def test_lets_are_evaluated_eagerly_but_fail_only_where_used() -> None:
    functions = _functions(
        "    function f() {\n"
        "      let lookup = exists(/databases/$(database)/documents/admins/x);\n"
        "      return true;\n    }\n"
        "    function g() { let bad = 1 / 0; return bad == 1; }"
    )
    reader = CountingReader()
    evaluator = Evaluator({"database": "(default)"}, DocumentAccess(reader, AccessBudget(10)))
    assert evaluator.condition(parse_expression("f()"), functions) is True
    assert reader.reads == ["admins/x"]  # the unused lookup still happened
    with pytest.raises(EvalError, match="Division by zero"):
        evaluator.condition(parse_expression("g()"), functions)


def test_unused_failing_let_does_not_deny() -> None:
    functions = _functions("    function f() { let bad = 1 / 0; let good = 2; return good == 2; }")
    access = DocumentAccess(CountingReader(), AccessBudget(10))
    assert Evaluator({}, access).condition(parse_expression("f()"), functions) is True


def test_call_depth_is_limited() -> None:
    chain = "".join(f"    function f{i}() {{ return f{i + 1}(); }}\n" for i in range(25))
    functions = _functions(chain + "    function f25() { return true; }")
    access = DocumentAccess(CountingReader(), AccessBudget(10))
    evaluator = Evaluator({}, access)
    assert evaluator.condition(parse_expression("f10()"), functions) is True
    with pytest.raises(EvalError, match="depth"):
        evaluator.condition(parse_expression("f0()"), functions)


def test_repeated_reads_are_cached_and_counted_once() -> None:
    reader = CountingReader()
    access = DocumentAccess(reader, AccessBudget(10))
    path = RulesPath(("databases", "(default)", "documents", "a", "b"))
    for _ in range(15):
        assert access.call("exists", [path]) is True
    assert access.call("get", [path])["data"] == {"n": 1}
    assert reader.reads == ["a/b"]


def test_eleventh_distinct_read_errors() -> None:
    access = DocumentAccess(CountingReader(), AccessBudget(10))
    for i in range(10):
        access.call("exists", [RulesPath(("databases", "(default)", "documents", "a", str(i)))])
    with pytest.raises(EvalError, match="maximum number"):
        access.call("exists", [RulesPath(("databases", "(default)", "documents", "a", "x"))])


def test_batch_budget_is_shared() -> None:
    budget = AccessBudget(20)
    first = DocumentAccess(CountingReader(), budget)
    second = DocumentAccess(CountingReader(), budget)
    for i in range(10):
        first.call("exists", [RulesPath(("databases", "d", "documents", "a", str(i)))])
        second.call("exists", [RulesPath(("databases", "d", "documents", "b", str(i)))])
    third = DocumentAccess(CountingReader(), budget)
    with pytest.raises(EvalError):
        third.call("exists", [RulesPath(("databases", "d", "documents", "c", "0"))])


@pytest.mark.parametrize(
    "path",
    [
        ("databases", "(default)", "documents", "a"),  # a collection, not a document
        ("a", "b"),  # outside the documents root
    ],
)
def test_get_needs_a_document_path(path: tuple[str, ...]) -> None:
    access = DocumentAccess(CountingReader(), AccessBudget(10))
    with pytest.raises(EvalError, match="Invalid document path"):
        access.call("get", [RulesPath(path)])
