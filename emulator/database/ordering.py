"""Firebase's orderings: keys (32-bit integers first), and values of any type."""

from __future__ import annotations

import re
from typing import Any

_INTEGER_KEY = re.compile(r"^-?(0*)\d{1,10}$")
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1

# Sentinels that sort before / after every key produced by key_order.
MIN_KEY: tuple[Any, ...] = (-1,)
MAX_KEY: tuple[Any, ...] = (2,)


def key_order(key: str) -> tuple[Any, ...]:
    """Keys that parse as 32-bit integers come first, numerically; then strings."""
    if _INTEGER_KEY.match(key):
        number = int(key)
        if _INT32_MIN <= number <= _INT32_MAX:
            return (0, number, len(key))
    return (1, key)


def value_order(value: Any) -> tuple[Any, ...]:
    """null < false < true < numbers < strings < objects (ties are broken by key elsewhere)."""
    if value is None:
        return (0, 0)
    if value is False:
        return (1, 0)
    if value is True:
        return (2, 0)
    if isinstance(value, int | float):
        return (3, value)
    if isinstance(value, str):
        return (4, value)
    return (5, 0)


def sorted_keys(node: dict[str, Any]) -> list[str]:
    """The children of a node in key order."""
    return sorted(node, key=key_order)
