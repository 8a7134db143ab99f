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
        return left == right
    if not (is_primitive(left) and is_primitive(right)):
        raise RuleEvalError("only primitive values can be compared")
    return type(left) is type(right) and left == right


def add(left: Any, right: Any) -> Any:
    """``+``: numeric addition, or concatenation when either side is a string."""
    if is_number(left) and is_number(right):
        return _finite(left + right)
    if isinstance(left, str) or isinstance(right, str):
        if not (is_primitive(left) and is_primitive(right)):
            raise RuleEvalError("cannot concatenate a non-primitive value")
        return to_js_string(left) + to_js_string(right)
    raise RuleEvalError("+ needs numbers or a string")


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """``- * / %`` on numbers; division by zero is an error."""
    if not (is_number(left) and is_number(right)):
        raise RuleEvalError(f"{op} needs numbers")
    if op == "-":
        return _finite(left - right)
    if op == "*":
        return _finite(left * right)
    if right == 0:
        raise RuleEvalError("division by zero")
    if op == "/":
        return _normalise(left / right)
    return _normalise(math.fmod(left, right))  # JS % keeps the dividend's sign


def compare(op: str, left: Any, right: Any) -> bool:
    """``< <= > >=`` on two numbers or two strings."""
    same_kind = (is_number(left) and is_number(right)) or (
        isinstance(left, str) and isinstance(right, str)
    )
    if not same_kind:
        raise RuleEvalError(f"{op} needs two numbers or two strings")
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


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
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    return str(value)


def _finite(value: Any) -> Any:
    """Reject overflow to infinity, which JSON data can never hold."""
    if isinstance(value, float) and not math.isfinite(value):
        raise RuleEvalError("number overflow")
    return value


def _normalise(value: float) -> int | float:
    """Integral results of / and % compare equal to ints anyway; keep them ints."""
    value = _finite(value)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value
