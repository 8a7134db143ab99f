"""Documented methods of the rules types (string, list, map, set, timestamp, ...)."""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import re2

from emulator.firestore_rules.operators import check_known
from emulator.firestore_rules.values import (
    Duration,
    EvalError,
    MapDiff,
    RulesPath,
    RulesSet,
    type_name,
    values_equal,
)
from emulator.firestore_value_types import GeoPoint, Timestamp

_EARTH_RADIUS_METERS = 6_371_000.0
_NANOS = 1_000_000_000
_DAY_NANOS = 86_400 * _NANOS

Method = Callable[..., Any]


def call_method(target: Any, name: str, args: list[Any]) -> Any:
    """Calls ``target.name(*args)``; unknown methods and bad arguments are errors."""
    check_known(target, *args)
    if target is None:
        raise EvalError("Null value error.")
    table = _TABLES.get(type(target))
    method = table.get(name) if table else None
    if method is None:
        raise EvalError(f"Function not found error: Name: [{name}].")
    try:
        return method(target, *args)
    except TypeError:
        raise EvalError(f"Invalid arguments to {type_name(target)}.{name}().") from None


def method_names() -> set[str]:
    """Every method name some type supports (for load-time checks)."""
    return {name for table in _TABLES.values() for name in table}


def _expect(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EvalError(f"Invalid argument: expected {what}, got {type_name(value)}.")
    return value


def _items(value: Any) -> list[Any]:
    """The elements of a list or set argument."""
    if isinstance(value, RulesSet):
        return value.items
    return list(_expect(value, list, "list"))


def _has(items: list[Any], value: Any) -> bool:
    return any(values_equal(value, item) for item in items)


# --- strings ---------------------------------------------------------------------
@lru_cache(maxsize=256)
def _regex(pattern: str) -> Any:
    try:
        return re2.compile(pattern)
    except re2.error:
        raise EvalError(f"Invalid regular expression: {pattern}") from None


def _split(text: str, pattern: str) -> list[str]:
    return list(_regex(_expect(pattern, str, "string")).split(text))


def _replace(text: str, pattern: str, replacement: str) -> str:
    _expect(replacement, str, "string")
    result: str = _regex(_expect(pattern, str, "string")).sub(
        replacement.replace("\\", "\\\\"), text
    )
    return result


_STRING: dict[str, Method] = {
    "size": lambda s: len(s),
    "matches": lambda s, p: _regex(_expect(p, str, "string")).fullmatch(s) is not None,
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "trim": lambda s: s.strip(" \t\n\r\f\v"),
    "split": _split,
    "replace": _replace,
    "toUtf8": lambda s: s.encode("utf-8"),
}


# --- lists and sets --------------------------------------------------------------
def _join(items: list[Any], separator: str = "") -> str:
    _expect(separator, str, "string")
    return separator.join(_expect(item, str, "list of strings") for item in items)


_LIST: dict[str, Method] = {
    "size": lambda x: len(x),
    "hasAll": lambda x, other: all(_has(x, v) for v in _items(other)),
    "hasAny": lambda x, other: any(_has(x, v) for v in _items(other)),
    "hasOnly": lambda x, other: all(_has(_items(other), v) for v in x),
    "join": _join,
    "concat": lambda x, other: x + list(_expect(other, list, "list")),
    "removeAll": lambda x, other: [v for v in x if not _has(_items(other), v)],
    "toSet": lambda x: RulesSet(x),
}

_SET: dict[str, Method] = {
    "size": lambda x: len(x.items),
    "hasAll": lambda x, other: all(x.contains(v) for v in _items(other)),
    "hasAny": lambda x, other: any(x.contains(v) for v in _items(other)),
    "hasOnly": lambda x, other: all(_has(_items(other), v) for v in x.items),
    "difference": lambda x, o: RulesSet([v for v in x.items if not _has(_items(o), v)]),
    "intersection": lambda x, o: RulesSet([v for v in x.items if _has(_items(o), v)]),
    "union": lambda x, o: RulesSet(x.items + _items(o)),
}


# --- maps ------------------------------------------------------------------------
def _map_get(data: dict[str, Any], key: Any, default: Any) -> Any:
    """``map.get(key, default)``; a list key walks nested maps."""
    keys = key if isinstance(key, list) else [key]
    current: Any = data
    for part in keys:
        _expect(part, str, "string key")
        if not isinstance(current, dict) or part not in current:
            return default
        current = current[part]
    return current


def _diff(data: dict[str, Any], other: Any) -> MapDiff:
    return MapDiff(after=data, before=_expect(other, dict, "map"))


_MAP: dict[str, Method] = {
    "size": lambda m: len(m),
    "keys": lambda m: list(m.keys()),
    "values": lambda m: list(m.values()),
    "get": _map_get,
    "diff": _diff,
}


def _changed(diff: MapDiff) -> list[str]:
    shared = [k for k in diff.after if k in diff.before]
    return [k for k in shared if not values_equal(diff.after[k], diff.before[k])]


_MAP_DIFF: dict[str, Method] = {
    "addedKeys": lambda d: RulesSet([k for k in d.after if k not in d.before]),
    "removedKeys": lambda d: RulesSet([k for k in d.before if k not in d.after]),
    "changedKeys": lambda d: RulesSet(_changed(d)),
    "affectedKeys": lambda d: RulesSet(
        [k for k in d.after if k not in d.before]
        + [k for k in d.before if k not in d.after]
        + _changed(d)
    ),
    "unchangedKeys": lambda d: RulesSet(
        [k for k in d.after if k in d.before and k not in _changed(d)]
    ),
}


# --- time ------------------------------------------------------------------------
def _utc(stamp: Timestamp) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(stamp.seconds, dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise EvalError("Timestamp out of range.") from None


def _date(stamp: Timestamp) -> Timestamp:
    return Timestamp(stamp.seconds - stamp.seconds % 86_400, 0)


def _time_of_day(stamp: Timestamp) -> Duration:
    return Duration(stamp.total_nanos() % _DAY_NANOS)


_TIMESTAMP: dict[str, Method] = {
    "date": _date,
    "year": lambda t: _utc(t).year,
    "month": lambda t: _utc(t).month,
    "day": lambda t: _utc(t).day,
    "hours": lambda t: _utc(t).hour,
    "minutes": lambda t: _utc(t).minute,
    "seconds": lambda t: _utc(t).second,
    "nanos": lambda t: t.nanos,
    "time": _time_of_day,
    "dayOfWeek": lambda t: _utc(t).isoweekday(),  # 1-7; Monday = 1 is an assumption
    "dayOfYear": lambda t: _utc(t).timetuple().tm_yday,
    "toMillis": lambda t: t.total_nanos() // 1_000_000,
}


def _whole_seconds(duration: Duration) -> int:
    """Seconds truncated toward zero, as the duration's seconds() reports them."""
    seconds = abs(duration.nanos) // _NANOS
    return seconds if duration.nanos >= 0 else -seconds


_DURATION: dict[str, Method] = {
    "seconds": _whole_seconds,
    "nanos": lambda d: d.nanos - _whole_seconds(d) * _NANOS,
}


# --- geo, bytes, path ------------------------------------------------------------
def distance_meters(a: GeoPoint, b: Any) -> float:
    """Great-circle (haversine) distance in meters."""
    _expect(b, GeoPoint, "latlng")
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlng = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * _EARTH_RADIUS_METERS * math.asin(math.sqrt(h))


_LATLNG: dict[str, Method] = {
    "latitude": lambda p: p.latitude,
    "longitude": lambda p: p.longitude,
    "distance": distance_meters,
}

_BYTES: dict[str, Method] = {
    "size": lambda b: len(b),
    "toBase64": lambda b: base64.urlsafe_b64encode(b).decode("ascii"),  # base64url, per docs
    "toHexString": lambda b: b.hex().upper(),
}


def _bind(path: RulesPath, bindings: Any) -> RulesPath:
    """Replaces ``$(name)`` segments with the string of ``bindings[name]``."""
    _expect(bindings, dict, "map")
    segments = []
    for segment in path.segments:
        if segment.startswith("$(") and segment.endswith(")") and segment[2:-1] in bindings:
            value = bindings[segment[2:-1]]
            segments.append(value if isinstance(value, str) else str(value))
        else:
            segments.append(segment)
    return RulesPath(tuple(segments))


_PATH: dict[str, Method] = {"bind": _bind}

_TABLES: dict[type, dict[str, Method]] = {
    str: _STRING,
    list: _LIST,
    RulesSet: _SET,
    dict: _MAP,
    MapDiff: _MAP_DIFF,
    Timestamp: _TIMESTAMP,
    Duration: _DURATION,
    GeoPoint: _LATLNG,
    bytes: _BYTES,
    RulesPath: _PATH,
}
