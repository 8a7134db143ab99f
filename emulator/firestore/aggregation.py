"""count / sum / avg over the documents a query matched."""

from __future__ import annotations

import math
from typing import Any

from emulator.firestore import field_paths
from emulator.firestore.errors import invalid
from emulator.firestore.query import Hit

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


MAX_AGGREGATIONS = 5  # "A minimum of one and maximum of five aggregations per query"


def validate_aggregations(aggregations: list[Any]) -> None:
    """INVALID_ARGUMENT for what StructuredAggregationQuery.aggregations does not allow."""
    if not 1 <= len(aggregations) <= MAX_AGGREGATIONS:
        raise invalid(f"A query needs 1 to {MAX_AGGREGATIONS} aggregations.")
    aliases = [aggregation.alias for aggregation in aggregations if aggregation.alias]
    if len(set(aliases)) != len(aliases):
        raise invalid("Aggregation aliases must be unique.")
    for aggregation in aggregations:
        kind = aggregation.WhichOneof("operator")
        if kind is None:
            raise invalid("An aggregation needs count, sum or avg.")
        if kind != "count":
            field_paths.parse(getattr(aggregation, kind).field.field_path)


def aggregate(hits: list[Hit], aggregations: list[Any]) -> dict[str, Any]:
    """alias -> native result for each Aggregation (raw pb)."""
    results: dict[str, Any] = {}
    for index, aggregation in enumerate(aggregations):
        alias = aggregation.alias or f"field_{index + 1}"
        kind = aggregation.WhichOneof("operator")
        if kind == "count":
            results[alias] = _count(hits, aggregation.count)
        elif kind in ("sum", "avg"):
            values = _numbers(hits, getattr(aggregation, kind).field.field_path)
            results[alias] = _sum(values) if kind == "sum" else _average(values)
        else:
            raise invalid("An aggregation needs count, sum or avg.")
    return results


def _count(hits: list[Hit], count: Any) -> int:
    if count.HasField("up_to"):
        if count.up_to.value <= 0:
            raise invalid("count up_to must be positive.")
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
