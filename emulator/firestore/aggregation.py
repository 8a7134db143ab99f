"""count / sum / avg over the documents a query matched."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from emulator.firestore import field_paths
from emulator.firestore.errors import invalid
from emulator.firestore.query import Hit

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


MAX_AGGREGATIONS = 5  # "A minimum of one and maximum of five aggregations per query"


def validate_aggregations(aggregations: list[Any]) -> None:
    """INVALID_ARGUMENT for what StructuredAggregationQuery.aggregations does not allow,
    worded as the backend words it."""
    if not aggregations:
        raise invalid("Aggregations must not be empty.")
    if len(aggregations) > MAX_AGGREGATIONS:
        raise invalid(
            f"Aggregations must have at most {MAX_AGGREGATIONS} entries, found {len(aggregations)}."
        )
    seen: set[str] = set()
    for aggregation in aggregations:
        alias = aggregation.alias
        if alias and alias in seen:
            raise invalid(f"Duplicate alias '{alias}' is not allowed in aggregations.")
        seen.add(alias)
        kind = aggregation.WhichOneof("operator")
        if kind is None:
            raise invalid("Aggregation requires one of count, sum or avg to be set.")
        if kind != "count":
            field_paths.parse(getattr(aggregation, kind).field.field_path)
        elif aggregation.count.HasField("up_to") and aggregation.count.up_to.value <= 0:
            raise invalid(f"up_to must be greater than 0, found {aggregation.count.up_to.value}.")


def aggregate(
    hits: list[Hit], aggregations: list[Any], hits_for: Callable[[str], list[Hit]] | None = None
) -> dict[str, Any]:
    """alias -> native result for each Aggregation (raw pb); ``hits_for(field)`` gives
    the documents a sum / avg over that field reads when they differ from ``hits``."""
    results: dict[str, Any] = {}
    for index, aggregation in enumerate(aggregations):
        alias = aggregation.alias or f"field_{index + 1}"
        kind = aggregation.WhichOneof("operator")
        if kind == "count":
            results[alias] = _count(hits, aggregation.count)
        elif kind in ("sum", "avg"):
            path = getattr(aggregation, kind).field.field_path
            values = _numbers(hits_for(path) if hits_for else hits, path)
            results[alias] = _sum(values) if kind == "sum" else _average(values)
        else:
            raise invalid("Aggregation requires one of count, sum or avg to be set.")
    return results


def _count(hits: list[Hit], count: Any) -> int:
    if count.HasField("up_to"):
        if count.up_to.value <= 0:
            raise invalid(f"up_to must be greater than 0, found {count.up_to.value}.")
        return min(len(hits), count.up_to.value)
    return len(hits)


def _numbers(hits: list[Hit], path: str) -> list[int | float]:
    segments = field_paths.parse(path)
    values = (field_paths.lookup(hit.doc.data, segments) for hit in hits)
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


def _sum(values: list[int | float]) -> int | float:
    total = sum(values)
    if all(isinstance(v, int) for v in values) and _INT64_MIN <= total <= _INT64_MAX:
        return total
    # Firestore answers a double once any operand is a double or integers overflow.
    return math.fsum(float(v) for v in values)


def _average(values: list[int | float]) -> float | None:
    if not values:
        return None
    return math.fsum(float(v) for v in values) / len(values)
