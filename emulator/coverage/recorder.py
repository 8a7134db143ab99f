"""Counts, per rule expression, the values it evaluated to (thread-safe, bounded)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

# Distinct values kept per expression; more are counted as omitted (memory stays bounded).
MAX_VALUES_PER_EXPRESSION = 64


@dataclass(frozen=True)
class SourcePosition:
    """Where an expression is: 1-based line and column, 0-based [start, end) offsets."""

    line: int
    column: int
    start: int
    end: int

    def as_json(self, file_name: str) -> dict[str, Any]:
        """The official ``sourcePosition``: ``currentOffset`` / ``endOffset`` are inclusive."""
        return {
            "fileName": file_name,
            "line": self.line,
            "column": self.column,
            "currentOffset": self.start,
            "endOffset": max(self.start, self.end - 1),
        }


class Coverage:
    """The expressions of one loaded rules source and what each one evaluated to."""

    def __init__(
        self, file_name: str, content: str, expressions: dict[int, SourcePosition]
    ) -> None:
        """``expressions`` maps an expression's key (the engine's choice, e.g. ``id(node)``)
        to its position; every one is reported, evaluated or not."""
        self.file_name = file_name
        self.content = content
        self.positions = dict(expressions)
        self._values: dict[int, Counter[tuple[str, Hashable]]] = {}
        self.omitted = 0
        self._lock = threading.Lock()

    def record(self, key: int, kind: str, value: Hashable = None) -> None:
        """One evaluation of expression ``key`` to ``{kind: value}``, a typed value as the
        official report writes it (``("boolValue", True)``)."""
        if key not in self.positions:
            return
        bucket = (kind, value)
        with self._lock:
            counts = self._values.get(key)
            if counts is None:
                counts = self._values[key] = Counter()
            seen = counts.get(bucket)
            if seen is not None:
                counts[bucket] = seen + 1
            elif len(counts) < MAX_VALUES_PER_EXPRESSION:
                counts[bucket] = 1
            else:
                self.omitted += 1

    def values(self, key: int) -> list[dict[str, Any]]:
        """``[{"value": ..., "count": n}]``, most frequent first."""
        with self._lock:
            counts = list(self._values.get(key, Counter()).most_common())
        return [
            {"value": {kind: str(value) if kind == "integerValue" else value}, "count": count}
            for (kind, value), count in counts
        ]

    def unevaluated(self) -> list[SourcePosition]:
        """Expressions no request has evaluated yet, in source order."""
        with self._lock:
            reached = set(self._values)
        return sorted(
            (p for k, p in self.positions.items() if k not in reached),
            key=lambda p: (p.start, -p.end),
        )


# Exact types -> the typed-value kind they are reported as (one dict lookup per evaluation).
_SCALAR_KINDS: dict[type, str] = {
    type(None): "nullValue",
    bool: "boolValue",
    int: "integerValue",
    float: "doubleValue",
    str: "stringValue",
}


def typed(value: Any) -> tuple[str, Hashable]:
    """A rules value as an official typed value: scalars with their value, others by type.
    Integers stay ints here; ``values()`` writes them as strings, as the report does."""
    kind = _SCALAR_KINDS.get(type(value))
    if kind is not None:
        return kind, value[:200] if kind == "stringValue" else value
    if isinstance(value, dict):
        return "mapValue", "map"
    if isinstance(value, list | tuple):
        return "arrayValue", "list"
    return "otherValue", type(value).__name__


def merged(coverages: list[Coverage]) -> Coverage:
    """One coverage of the same source loaded several times (per project or namespace):
    expressions matched by position, counts added."""
    first = coverages[0]
    index = {
        position: n
        for n, position in enumerate(
            sorted(set(first.positions.values()), key=lambda p: (p.start, -p.end))
        )
    }
    total = Coverage(first.file_name, first.content, {n: p for p, n in index.items()})
    for coverage in coverages:
        with coverage._lock:
            values = {key: Counter(counts) for key, counts in coverage._values.items()}
        for key, counts in values.items():
            position = coverage.positions.get(key)
            if position in index:
                total._values.setdefault(index[position], Counter()).update(counts)
        total.omitted += coverage.omitted
    return total
