"""Property tests: arithmetic and collection methods against reference semantics, and the
soundness of list-query judging (a query allowed by a rule returns only allowed values)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.firestore_rules.access import AccessBudget, DocumentAccess
from emulator.firestore_rules.api import FieldFilter
from emulator.firestore_rules.evaluator import Evaluator
from emulator.firestore_rules.operators import compare
from emulator.firestore_rules.parser import parse_expression
from emulator.firestore_rules.symbolic import SymbolicResource, symbolic_binary
from emulator.firestore_rules.values import EvalError
from tests.emulator.firestore_rules.engine_runner import MemoryReader

SETTINGS = settings(max_examples=150, deadline=None)
SMALL = st.integers(min_value=-(10**9), max_value=10**9)
RANGE_OPS = ["<", "<=", ">", ">="]


def evaluate(text: str, **variables: Any) -> Any:
    access = DocumentAccess(MemoryReader({}, {}), AccessBudget(10))
    return Evaluator(variables, access).value(parse_expression(text))


@SETTINGS
@given(a=SMALL, b=SMALL.filter(lambda n: n != 0))
def test_int_arithmetic_truncates_toward_zero(a: int, b: int) -> None:
    assert evaluate("a + b", a=a, b=b) == a + b
    assert evaluate("a * b", a=a, b=b) == a * b
    quotient = abs(a) // abs(b) * (1 if (a >= 0) == (b > 0) else -1)
    assert evaluate("a / b", a=a, b=b) == quotient
    assert evaluate("a % b", a=a, b=b) == int(math.fmod(a, b))
    assert evaluate("(a / b) * b + a % b", a=a, b=b) == a


@SETTINGS
@given(text=st.text(max_size=20))
def test_string_methods(text: str) -> None:
    assert evaluate("s.size()", s=text) == len(text)
    assert evaluate("s.lower() == l", s=text, l=text.lower()) is True
    assert evaluate("s + s == d", s=text, d=text * 2) is True


@SETTINGS
@given(items=st.lists(st.integers(0, 5), max_size=6), other=st.lists(st.integers(0, 5), max_size=6))
def test_list_membership_methods(items: list[int], other: list[int]) -> None:
    mine, theirs = set(items), set(other)
    assert evaluate("x.hasAll(y)", x=items, y=other) is theirs.issubset(mine)
    assert evaluate("x.hasAny(y)", x=items, y=other) is bool(mine & theirs)
    assert evaluate("x.hasOnly(y)", x=items, y=other) is mine.issubset(theirs)
    assert evaluate("x.toSet().difference(y.toSet()).size()", x=items, y=other) == len(
        mine - theirs
    )


def _holds(op: str, value: int, bound: Any) -> bool:
    """Whether ``value op bound`` holds (bound is a list for in / not-in)."""
    if op in ("in", "not-in"):
        return (value in bound) is (op == "in")
    if op in ("==", "!="):
        return (value == bound) is (op == "==")
    return compare(op, value, bound)


SMALL_INTS = st.integers(-5, 5)
QUERY_FILTERS = st.one_of(
    st.tuples(st.sampled_from([*RANGE_OPS, "==", "!="]), SMALL_INTS),
    st.tuples(st.sampled_from(["in", "not-in"]), st.lists(SMALL_INTS, min_size=1, max_size=3)),
)
RULE_CONDITIONS = st.one_of(
    st.tuples(st.sampled_from([*RANGE_OPS, "==", "!="]), SMALL_INTS),
    st.tuples(st.just("in"), st.lists(SMALL_INTS, min_size=1, max_size=3)),
)


@SETTINGS
@given(query=QUERY_FILTERS, rule=RULE_CONDITIONS)
def test_list_judging_is_sound(query: tuple[str, Any], rule: tuple[str, Any]) -> None:
    """True only when every value the query admits satisfies the rule; False only when
    none does; otherwise an error (deny)."""
    (query_op, query_value), (rule_op, rule_value) = query, rule
    data = SymbolicResource((FieldFilter("f", query_op, query_value),)).member("data")
    admitted = [v for v in range(-20, 21) if _holds(query_op, v, query_value)]
    passing = [v for v in admitted if _holds(rule_op, v, rule_value)]
    try:
        verdict = symbolic_binary(rule_op, data.member("f"), rule_value)
    except EvalError:
        return
    if verdict:
        assert passing == admitted
    else:
        assert passing == []
