"""JavaScript-like operators with the rules language's stricter typing (errors, not coercion)."""

from __future__ import annotations

import math
from typing import Any

from .errors import RuleEvalError


def is_number(value: Any) -> bool:
    """True for int / float but not bool (bool is an int subclass in Python)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_primitive(value: Any) -> bool:
    """True for the values rules can compare: null, booleans, numbers and strings."""
    return value is None or isinstance(value, bool | str) or is_number(value)


def equals(left: Any, right: Any) -> bool:
    """``==`` / ``===``: equal type and value, never coercing (1 != "1", true != 1)."""
    if left is None or right is None:
        return left is right
    if is_number(left) and is_number(right):
        return bool(left == right)
    if isinstance(left, dict) or isinstance(right, dict):
        return left is right  # plain objects (auth.token, val() of a map) compare by identity
    if not (is_primitive(left) and is_primitive(right)):
        raise RuleEvalError("only primitive values can be compared")
    return type(left) is type(right) and left == right


def add(left: Any, right: Any) -> Any:
    """``+``: numeric addition, or concatenation of a string with a string or a number."""
    if is_number(left) and is_number(right):
        return left + right
    if isinstance(left, str) or isinstance(right, str):
        if not all(isinstance(side, str) or is_number(side) for side in (left, right)):
            raise RuleEvalError("+ concatenates strings with strings or numbers only")
        return to_js_string(left) + to_js_string(right)
    raise RuleEvalError("+ needs numbers or a string")


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """``- * / %`` on numbers; dividing by zero gives NaN, as Firebase's rules do."""
    if not (is_number(left) and is_number(right)):
        raise RuleEvalError(f"{op} needs numbers")
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return math.nan
    if op == "/":
        return _normalise(left / right)
    return _normalise(math.fmod(left, right))  # JS % keeps the dividend's sign


def compare(op: str, left: Any, right: Any) -> bool:
    """``< <= > >=`` on two numbers or two strings (two nulls compare as equal, as in JS)."""
    if left is None and right is None:
        return op in ("<=", ">=")
    same_kind = (is_number(left) and is_number(right)) or (
        isinstance(left, str) and isinstance(right, str)
    )
    if not same_kind:
        raise RuleEvalError(f"{op} needs two numbers or two strings")
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def negate(value: Any) -> Any:
    """Unary minus."""
    if not is_number(value):
        raise RuleEvalError("unary - needs a number")
    return -value


def require_boolean(value: Any, what: str) -> bool:
    """Operands of ! && || ?: must be booleans: no JavaScript truthiness."""
    if not isinstance(value, bool):
        raise RuleEvalError(f"{what} needs a boolean")
    return value


def to_js_string(value: Any) -> str:
    """The string JavaScript would produce for a primitive value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    return str(value)


def _normalise(value: float) -> int | float:
    """Integral results of / and % compare equal to ints anyway; keep them ints."""
    return (
        int(value) if math.isfinite(value) and value.is_integer() and abs(value) < 2**53 else value
    )
