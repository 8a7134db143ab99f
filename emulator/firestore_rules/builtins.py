"""Global functions (int, float, string, path, debug) and namespaces (math, duration,
timestamp, latlng, hashing). Document access (get, exists, ...) lives in the evaluator."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import zlib
from collections.abc import Callable
from typing import Any

from emulator.firestore_rules.operators import check_known, checked_int, timestamp_from_nanos
from emulator.firestore_rules.values import (
    Duration,
    EvalError,
    Namespace,
    RulesPath,
    is_number,
    type_name,
)
from emulator.firestore_value_types import GeoPoint, Timestamp

log = logging.getLogger(__name__)
_NANOS = 1_000_000_000
_UNIT_NANOS = {
    "w": 7 * 86_400 * _NANOS,
    "d": 86_400 * _NANOS,
    "h": 3_600 * _NANOS,
    "m": 60 * _NANOS,
    "s": _NANOS,
    "ms": 1_000_000,
    "ns": 1,
}

Builtin = Callable[..., Any]

NAMESPACES = ("math", "duration", "timestamp", "latlng", "hashing")
ACCESS_FUNCTIONS = ("get", "exists", "getAfter", "existsAfter")


def _number(value: Any) -> float | int:
    if not is_number(value):
        raise EvalError(f"Invalid argument: expected number, got {type_name(value)}.")
    number: float | int = value
    return number


def _to_int(value: Any) -> int:
    if type(value) is int:
        return value
    if type(value) is float:
        if math.isnan(value) or math.isinf(value):
            raise EvalError("Invalid argument: cannot convert to int.")
        return checked_int(int(value))
    if isinstance(value, str):
        try:
            return checked_int(int(value.strip()))
        except ValueError:
            raise EvalError(f"Invalid argument: cannot convert '{value}' to int.") from None
    raise EvalError(f"Invalid argument: cannot convert {type_name(value)} to int.")


def _to_float(value: Any) -> float:
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise EvalError(f"Invalid argument: cannot convert '{value}' to float.") from None
    raise EvalError(f"Invalid argument: cannot convert {type_name(value)} to float.")


def _to_string(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value) or isinstance(value, str | RulesPath):
        return str(value)
    raise EvalError(f"Invalid argument: cannot convert {type_name(value)} to string.")


def _to_path(value: Any) -> RulesPath:
    if isinstance(value, RulesPath):
        return value
    if not isinstance(value, str):
        raise EvalError(f"Invalid argument: expected string, got {type_name(value)}.")
    return RulesPath(tuple(part for part in value.split("/") if part))


def _debug(value: Any) -> Any:
    log.info("debug: %r", value)
    return value


GLOBAL_FUNCTIONS: dict[str, Builtin] = {
    "int": _to_int,
    "float": _to_float,
    "string": _to_string,
    "path": _to_path,
    "debug": _debug,
}


def _integral(value: Any, rounding: Any) -> int:
    """ceil / floor / round return rules.Integer (reference: rules.math)."""
    number = _number(value)
    if type(number) is float and not math.isfinite(number):
        raise EvalError("Invalid argument: cannot round a non-finite number to int.")
    return checked_int(int(rounding(number)))


def _half_away_from_zero(number: float) -> float:
    return math.copysign(math.floor(abs(number) + 0.5), number)


def _sqrt(value: Any) -> float:
    number = _number(value)
    return math.sqrt(number) if number >= 0 else math.nan


def _pow(base: Any, exponent: Any) -> float:
    try:
        return float(math.pow(_number(base), _number(exponent)))
    except (OverflowError, ValueError):
        return math.nan


_MATH: dict[str, Builtin] = {
    "abs": lambda x: abs(_number(x)),
    "ceil": lambda x: _integral(x, math.ceil),
    "floor": lambda x: _integral(x, math.floor),
    "round": lambda x: _integral(x, _half_away_from_zero),
    "sqrt": _sqrt,
    "pow": _pow,
    "isInfinite": lambda x: math.isinf(_number(x)),
    "isNaN": lambda x: type(_number(x)) is float and math.isnan(x),
}


def _duration_value(magnitude: Any, unit: Any) -> Duration:
    if unit not in _UNIT_NANOS or type(magnitude) is not int:
        raise EvalError("Invalid argument: duration.value(int, unit) with unit w d h m s ms ns.")
    return Duration(magnitude * _UNIT_NANOS[unit])


def _duration_time(hours: Any, minutes: Any, seconds: Any, nanos: Any) -> Duration:
    parts = (hours, minutes, seconds, nanos)
    if any(type(part) is not int for part in parts):
        raise EvalError("Invalid argument: duration.time expects ints.")
    return Duration(((hours * 60 + minutes) * 60 + seconds) * _NANOS + nanos)


def _duration_abs(value: Any) -> Duration:
    if not isinstance(value, Duration):
        raise EvalError(f"Invalid argument: expected duration, got {type_name(value)}.")
    return Duration(abs(value.nanos))


_DURATION: dict[str, Builtin] = {
    "value": _duration_value,
    "time": _duration_time,
    "abs": _duration_abs,
}


def _timestamp_date(year: Any, month: Any, day: Any) -> Timestamp:
    try:
        return Timestamp.from_datetime(dt.datetime(year, month, day, tzinfo=dt.UTC))
    except (TypeError, ValueError, OverflowError):
        raise EvalError("Invalid argument: timestamp.date(year, month, day).") from None


def _timestamp_value(millis: Any) -> Timestamp:
    if type(millis) is not int:
        raise EvalError("Invalid argument: timestamp.value expects int milliseconds.")
    return timestamp_from_nanos(millis * 1_000_000)


_TIMESTAMP: dict[str, Builtin] = {"date": _timestamp_date, "value": _timestamp_value}


def _latlng_value(latitude: Any, longitude: Any) -> GeoPoint:
    lat, lng = float(_number(latitude)), float(_number(longitude))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise EvalError("Invalid argument: latitude or longitude out of range.")
    return GeoPoint(lat, lng)


_LATLNG: dict[str, Builtin] = {"value": _latlng_value}


def _hash_input(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise EvalError(f"Invalid argument: expected string or bytes, got {type_name(value)}.")


def _crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


_HASHING: dict[str, Builtin] = {
    "md5": lambda v: hashlib.md5(_hash_input(v)).digest(),
    "sha256": lambda v: hashlib.sha256(_hash_input(v)).digest(),
    "crc32": lambda v: zlib.crc32(_hash_input(v)).to_bytes(4, "big"),
    "crc32c": lambda v: _crc32c(_hash_input(v)).to_bytes(4, "big"),
}

NAMESPACE_FUNCTIONS: dict[str, dict[str, Builtin]] = {
    "math": _MATH,
    "duration": _DURATION,
    "timestamp": _TIMESTAMP,
    "latlng": _LATLNG,
    "hashing": _HASHING,
}


def call_global(name: str, args: list[Any]) -> Any:
    check_known(*args)
    return _apply(GLOBAL_FUNCTIONS[name], name, args)


def call_namespace(namespace: Namespace, name: str, args: list[Any]) -> Any:
    check_known(*args)
    function = NAMESPACE_FUNCTIONS[namespace.name].get(name)
    if function is None:
        raise EvalError(f"Function not found error: Name: [{namespace.name}.{name}].")
    return _apply(function, f"{namespace.name}.{name}", args)


def _apply(function: Builtin, name: str, args: list[Any]) -> Any:
    try:
        return function(*args)
    except TypeError:
        raise EvalError(f"Invalid arguments to {name}().") from None
