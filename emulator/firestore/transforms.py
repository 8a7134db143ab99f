"""Field transforms of a write: server timestamp, increment, maximum, minimum,
array union and array remove, computed on native values."""

from __future__ import annotations

import math
from typing import Any

from google.cloud.firestore_v1.types import DocumentTransform

from emulator.firestore import field_paths
from emulator.firestore.errors import invalid
from emulator.firestore.ordering import same_value
from emulator.firestore.values import Timestamp, from_proto

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_REQUEST_TIME = DocumentTransform.FieldTransform.ServerValue.REQUEST_TIME


def apply_transforms(data: dict[str, Any], transforms: list[Any], now: Timestamp) -> list[Any]:
    """Applies FieldTransform protos (raw pb) in order; returns each result value."""
    results = []
    for transform in transforms:
        segments = field_paths.parse(transform.field_path)
        current = field_paths.lookup(data, segments)
        value = _transformed(transform, current, now)
        field_paths.assign(data, segments, value)
        results.append(value)
    return results


def _transformed(transform: Any, current: Any, now: Timestamp) -> Any:
    kind = transform.WhichOneof("transform_type")
    if kind is None:
        raise invalid(f"The field transform of {transform.field_path!r} has no transform type.")
    if kind == "set_to_server_value":
        if transform.set_to_server_value != _REQUEST_TIME:
            raise invalid("Unsupported server value.")
        return now
    if kind in ("append_missing_elements", "remove_all_from_array"):
        operand = [from_proto(v) for v in getattr(transform, kind).values]
        existing = current if isinstance(current, list) else []
        if kind == "append_missing_elements":
            return _union(existing, operand)
        return [item for item in existing if not any(same_value(item, x) for x in operand)]
    operand = from_proto(getattr(transform, kind))
    if not _is_number(operand):
        raise invalid(f"{kind} operand must be a number, got {operand!r}.")
    if not _is_number(current):
        return operand
    if kind == "increment":
        return _add(current, operand)
    if kind == "maximum":
        return _extreme(current, operand, lambda a, b: b > a)
    if kind == "minimum":
        return _extreme(current, operand, lambda a, b: b < a)
    raise invalid(f"Unsupported field transform: {kind}.")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _union(existing: list[Any], operand: list[Any]) -> list[Any]:
    result = list(existing)
    for item in operand:
        if not any(same_value(item, x) for x in result):
            result.append(item)
    return result


def _add(current: int | float, operand: int | float) -> int | float:
    if isinstance(current, int) and isinstance(operand, int):
        # Integer increments saturate at the int64 bounds, as Firestore documents.
        return max(_INT64_MIN, min(_INT64_MAX, current + operand))
    return float(current) + float(operand)


def _extreme(current: int | float, operand: int | float, better: Any) -> int | float:
    if isinstance(current, float) and math.isnan(current):
        return current
    if isinstance(operand, float) and math.isnan(operand):
        return operand
    return operand if better(current, operand) else current
