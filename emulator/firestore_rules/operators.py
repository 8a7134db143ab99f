"""Operators of the rules language on concrete values: arithmetic, comparison, access."""

from __future__ import annotations

import math
import operator
from typing import Any

from emulator.firestore_rules.values import (
    Duration,
    EvalError,
    RulesPath,
    RulesSet,
    Unknown,
    is_number,
    type_name,
    values_equal,
)
from emulator.firestore_value_types import MAX_SECONDS, MIN_SECONDS, Timestamp

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_NANOS = 1_000_000_000


def unsupported(op: str, *operands: Any) -> EvalError:
    names = f" {op} ".join(type_name(o) for o in operands)
    return EvalError(f"Unsupported operation error. Received: {names}.")


def check_known(*values: Any) -> None:
    for value in values:
        if isinstance(value, Unknown):
            raise EvalError(f"Variable {value.name} is not bound.")


def checked_int(value: int) -> int:
    if not _INT_MIN <= value <= _INT_MAX:
        raise EvalError("Integer overflow error.")
    return value


def binary(op: str, left: Any, right: Any) -> Any:
    """Applies ==, !=, <, <=, >, >=, +, -, *, /, %, in to concrete values."""
    check_known(left, right)
    if op == "==":
        return values_equal(left, right)
    if op == "!=":
        return not values_equal(left, right)
    if op == "in":
        return contains(right, left)
    if op in ("<", "<=", ">", ">="):
        return compare(op, left, right)
    return arithmetic(op, left, right)


def contains(container: Any, item: Any) -> bool:
    if isinstance(container, list):
        return any(values_equal(item, element) for element in container)
    if isinstance(container, dict):
        return isinstance(item, str) and item in container
    if isinstance(container, RulesSet):
        return container.contains(item)
    raise unsupported("in", item, container)


def _ordering_key(value: Any) -> tuple[str, Any]:
    if is_number(value):
        return ("number", value)
    if isinstance(value, str | Timestamp | Duration | bytes):
        return (type(value).__name__, value)
    return ("", None)


_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def compare(op: str, left: Any, right: Any) -> bool:
    left_kind, left_key = _ordering_key(left)
    right_kind, right_key = _ordering_key(right)
    if not left_kind or left_kind != right_kind:
        raise unsupported(op, left, right)
    if left_kind == "number" and (math.isnan(left_key) or math.isnan(right_key)):
        return False
    return bool(_COMPARISONS[op](left_key, right_key))


def arithmetic(op: str, left: Any, right: Any) -> Any:
    if type(left) is int and type(right) is int:
        return _int_arithmetic(op, left, right)
    if is_number(left) and is_number(right):
        return _float_arithmetic(op, float(left), float(right))
    if op == "+" and isinstance(left, str) and isinstance(right, str):
        return left + right
    if op == "+" and isinstance(left, list) and isinstance(right, list):
        return left + right
    return _time_arithmetic(op, left, right)


def _int_arithmetic(op: str, left: int, right: int) -> int:
    if op in ("/", "%") and right == 0:
        raise EvalError("Division by zero.")
    if op == "/":
        quotient = abs(left) // abs(right)  # rules truncate toward zero
        return checked_int(quotient if (left >= 0) == (right >= 0) else -quotient)
    if op == "%":
        return checked_int(int(math.fmod(left, right)))
    results = {"+": left + right, "-": left - right, "*": left * right}
    return checked_int(results[op])


def _float_arithmetic(op: str, left: float, right: float) -> float:
    if op == "/":
        if right == 0:
            return math.copysign(math.inf, left) if left else math.nan
        return left / right
    if op == "%":
        return math.fmod(left, right) if right else math.nan
    return {"+": left + right, "-": left - right, "*": left * right}[op]


def _time_arithmetic(op: str, left: Any, right: Any) -> Any:
    if isinstance(left, Timestamp) and isinstance(right, Duration) and op in "+-":
        sign = 1 if op == "+" else -1
        return timestamp_from_nanos(left.total_nanos() + sign * right.nanos)
    if isinstance(left, Duration) and isinstance(right, Timestamp) and op == "+":
        return timestamp_from_nanos(right.total_nanos() + left.nanos)
    if isinstance(left, Timestamp) and isinstance(right, Timestamp) and op == "-":
        return Duration(left.total_nanos() - right.total_nanos())
    if isinstance(left, Duration) and isinstance(right, Duration) and op in "+-":
        sign = 1 if op == "+" else -1
        return Duration(left.nanos + sign * right.nanos)
    raise unsupported(op, left, right)


def timestamp_from_nanos(total: int) -> Timestamp:
    """A timestamp from nanoseconds since the epoch; out of Firestore's range is an error."""
    seconds, nanos = divmod(total, _NANOS)
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise EvalError("Timestamp out of range.")
    return Timestamp(seconds, nanos)


def negate(value: Any) -> Any:
    check_known(value)
    if type(value) is int:
        return checked_int(-value)
    if type(value) is float:
        return -value
    if isinstance(value, Duration):
        return Duration(-value.nanos)
    raise EvalError(f"Unsupported operation error. Received: -{type_name(value)}.")


def logical_not(value: Any) -> bool:
    check_known(value)
    if type(value) is not bool:
        raise EvalError(f"Unsupported operation error. Received: !{type_name(value)}.")
    return not value


def member(target: Any, name: str) -> Any:
    """``target.name``: a map entry (request and resource are maps too)."""
    check_known(target)
    if target is None:
        raise EvalError("Null value error.")
    if not isinstance(target, dict) or name not in target:
        raise EvalError(f"Property {name} is undefined on object.")
    return target[name]


def index(target: Any, key: Any) -> Any:
    """``target[key]`` on maps (string keys), lists, strings and paths (int index)."""
    check_known(target, key)
    if target is None:
        raise EvalError("Null value error.")
    if isinstance(target, dict):
        if not isinstance(key, str):
            raise unsupported("[]", target, key)
        return member(target, key)
    sequence = _indexable(target)
    if type(key) is not int:
        raise unsupported("[]", target, key)
    if not 0 <= key < len(sequence):
        raise EvalError("Index out of range.")
    return sequence[key]


def slice_of(target: Any, start: Any, end: Any) -> Any:
    """``target[start:end]`` on lists and strings."""
    check_known(target, start, end)
    sequence = _indexable(target)
    if isinstance(target, RulesPath):
        raise unsupported("[:]", target)
    begin = 0 if start is None else start
    stop = len(sequence) if end is None else end
    if type(begin) is not int or type(stop) is not int:
        raise unsupported("[:]", target, begin, stop)
    if not 0 <= begin <= stop <= len(sequence):
        raise EvalError("Index out of range.")
    return sequence[begin:stop]


def _indexable(target: Any) -> Any:
    if isinstance(target, list | str):
        return target
    if isinstance(target, RulesPath):
        return target.segments
    raise unsupported("[]", target)


def is_type(value: Any, name: str) -> bool:
    """``value is name``; int and float are both ``number``."""
    check_known(value)
    if name == "number":
        return is_number(value)
    return type_name(value) == name
