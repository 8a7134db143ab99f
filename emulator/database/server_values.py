"""Server values: ``{".sv": "timestamp"}`` and ``{".sv": {"increment": n}}``."""

from __future__ import annotations

from typing import Any

from emulator.database.tree import value_of


class InvalidServerValueError(ValueError):
    """A ``.sv`` placeholder Firebase does not know."""


def resolve(value: Any, current: Any, now_ms: int) -> Any:
    """``value`` with every placeholder replaced; ``current`` is the data it will overwrite."""
    if not isinstance(value, dict):
        return value
    if ".sv" in value:
        return _resolve_placeholder(value[".sv"], current, now_ms)
    old = current if isinstance(current, dict) else {}
    return {key: resolve(child, old.get(key), now_ms) for key, child in value.items()}


def _resolve_placeholder(spec: Any, current: Any, now_ms: int) -> Any:
    if spec == "timestamp":
        return now_ms
    if isinstance(spec, dict) and set(spec) == {"increment"}:
        delta = spec["increment"]
        if isinstance(delta, bool) or not isinstance(delta, int | float):
            raise InvalidServerValueError("increment needs a number")
        current = value_of(current)
        base = current if isinstance(current, int | float) and not isinstance(current, bool) else 0
        return base + delta
    raise InvalidServerValueError(f"Unknown server value: {spec!r}")
