"""Odd inputs never crash the engine: every expression yields a value or an EvalError
(which denies), never another exception (which the emulator would turn into INTERNAL)."""

from __future__ import annotations

import pytest

from emulator.firestore.values import Timestamp
from emulator.firestore_rules.access import AccessBudget, DocumentAccess
from emulator.firestore_rules.evaluator import Evaluator
from emulator.firestore_rules.parser import parse_expression
from emulator.firestore_rules.values import EvalError
from tests.emulator.firestore_rules.engine_runner import MemoryReader

VALUES = [
    "-1",
    "0",
    "1.5",
    "1e308",
    "'a'",
    "''",
    "b'\\x01'",
    "null",
    "true",
    "[1, 'a']",
    "{'k': 1}",
    "timestamp.value(9223372036854775807)",
    "duration.value(1, 's')",
    "latlng.value(0, 0)",
    "path('/a/b')",
    "[1].toSet()",
    "{'a': 1}.diff({})",
    "9223372036854775807",
    "request.time",
]
METHODS = [
    "size()",
    "year()",
    "hours()",
    "date()",
    "time()",
    "toMillis()",
    "dayOfWeek()",
    "seconds()",
    "keys()",
    "toSet()",
    "lower()",
    "split('')",
    "matches('(')",
    "replace('a', '\\\\')",
    "join(1)",
    "get([1], 2)",
    "hasAll(1)",
    "distance(1)",
    "toBase64()",
    "bind({'a': 1})",
    "concat(1)",
    "diff(null)",
    "addedKeys()",
    "union(1)",
    "toUtf8()",
    "latitude()",
]
FUNCTIONS = [
    "int({})",
    "float({})",
    "string({})",
    "path({})",
    "math.ceil({})",
    "math.round({})",
    "math.pow({}, {})",
    "duration.abs({})",
    "duration.value({}, 'x')",
    "timestamp.date({}, 1, 1)",
    "timestamp.value({})",
    "latlng.value({}, 0)",
    "hashing.crc32c({})",
    "exists({})",
    "get({})",
    "{}[0]",
    "{}[0:1]",
    "{}['k']",
    "-{}",
    "!{}",
    "{} is int",
    "{}.x",
]
OPERATORS = ["+", "*", "/", "%", "<", "==", "in", "&&"]
EXPRESSIONS = (
    [f"({v}).{m}" for v in VALUES for m in METHODS]
    + [f.format(v, v) for v in VALUES for f in FUNCTIONS]
    + [f"({a}) {op} ({b})" for a in VALUES[:10] for b in VALUES[8:] for op in OPERATORS]
)


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    access = DocumentAccess(MemoryReader({}, {}), AccessBudget(10**6))
    return Evaluator({"database": "(default)", "request": {"time": Timestamp.now()}}, access)


def test_odd_expressions_only_raise_eval_errors(evaluator: Evaluator) -> None:
    crashes = []
    for text in EXPRESSIONS:
        try:
            evaluator.value(parse_expression(text))
        except EvalError:
            continue
        except Exception as error:  # noqa: BLE001 - collecting every crash is the point
            crashes.append(f"{text}: {type(error).__name__}: {error}")
    assert crashes == []
    assert len(EXPRESSIONS) > 1000


@pytest.mark.parametrize(
    "text",
    [
        "timestamp.value(9223372036854775807)",
        "request.time + duration.value(300000000000, 's')",
        "timestamp.date(9223372036854775807, 1, 1)",
    ],
)
def test_timestamps_out_of_range_are_errors(evaluator: Evaluator, text: str) -> None:
    with pytest.raises(EvalError):
        evaluator.value(parse_expression(text))
