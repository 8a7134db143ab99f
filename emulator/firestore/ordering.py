"""Firestore's total order and equality of native values, across types.

Type order: null < boolean < number (integer and double compared numerically, NaN
first) < timestamp < string < bytes < reference < geo point < array < map.
"""

from __future__ import annotations

import math
import re
from typing import Any

from emulator.firestore.values import GeoPoint, Reference, Timestamp

NULL, BOOLEAN, NUMBER, TIMESTAMP, STRING, BYTES, REFERENCE, GEOPOINT, ARRAY, MAP = range(10)


def type_rank(value: Any) -> int:
    """The position of a value's type in Firestore's cross-type order."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, Timestamp):
        return TIMESTAMP
    if isinstance(value, str):
        return STRING
    if isinstance(value, bytes):
        return BYTES
    if isinstance(value, Reference):
        return REFERENCE
    if isinstance(value, GeoPoint):
        return GEOPOINT
    if isinstance(value, list):
        return ARRAY
    if isinstance(value, dict):
        return MAP
    raise TypeError(f"not a Firestore value: {type(value).__name__}")


def compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 as Firestore orders ``a`` against ``b``."""
    rank_a, rank_b = type_rank(a), type_rank(b)
    if rank_a != rank_b:
        return _sign(rank_a - rank_b)
    return _COMPARERS[rank_a](a, b)


def equal(a: Any, b: Any) -> bool:
    """Firestore equality: 1 == 1.0, NaN equals nothing (queries never match NaN by ==)."""
    if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
        return False
    if type_rank(a) != type_rank(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return compare(a, b) == 0


def same_value(a: Any, b: Any) -> bool:
    """Equality for array union / remove, where NaN matches NaN."""
    if _is_nan(a) and _is_nan(b):
        return True
    return equal(a, b)


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def _plain(a: Any, b: Any) -> int:
    return _sign((a > b) - (a < b))


def _numbers(a: float, b: float) -> int:
    if _is_nan(a):
        return 0 if _is_nan(b) else -1
    if _is_nan(b):
        return 1
    return _plain(a, b)


# A numeric document id ("__id42__") sorts before every string id, numerically; the Python
# client's recursive_delete bounds its query with "__id-9223372036854775808__".
_NUMERIC_ID = re.compile(r"^__id(-?\d+)__$")


def _segment_key(segment: str) -> tuple[int, int, str]:
    numeric = _NUMERIC_ID.match(segment)
    return (0, int(numeric.group(1)), "") if numeric else (1, 0, segment)


def _references(a: Reference, b: Reference) -> int:
    if "__id" not in a.name and "__id" not in b.name:  # the common case, kept cheap
        return _plain(a.name.split("/"), b.name.split("/"))
    return _plain(
        [_segment_key(s) for s in a.name.split("/")], [_segment_key(s) for s in b.name.split("/")]
    )


def _geopoints(a: GeoPoint, b: GeoPoint) -> int:
    return _numbers(a.latitude, b.latitude) or _numbers(a.longitude, b.longitude)


def _arrays(a: list, b: list) -> int:
    for x, y in zip(a, b, strict=False):
        result = compare(x, y)
        if result:
            return result
    return _plain(len(a), len(b))


def _maps(a: dict, b: dict) -> int:
    keys_a, keys_b = sorted(a), sorted(b)
    for key_a, key_b in zip(keys_a, keys_b, strict=False):
        result = _plain(key_a, key_b) or compare(a[key_a], b[key_b])
        if result:
            return result
    return _plain(len(keys_a), len(keys_b))


_COMPARERS = {
    NULL: lambda a, b: 0,
    BOOLEAN: _plain,
    NUMBER: _numbers,
    TIMESTAMP: _plain,  # Timestamp orders by (seconds, nanos)
    STRING: _plain,
    BYTES: _plain,
    REFERENCE: _references,
    GEOPOINT: _geopoints,
    ARRAY: _arrays,
    MAP: _maps,
}
