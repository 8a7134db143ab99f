"""Native Python form of Firestore values, shared by the store and the rules engine.

Firestore's wire format is the protobuf ``google.firestore.v1.Value``; the store and
the rules engine work on plain Python values instead so that neither depends on
proto-plus details:

    null -> None          boolean -> bool       integer -> int       double -> float
    string -> str         bytes -> bytes        timestamp -> Timestamp
    reference -> Reference                      geo point -> GeoPoint
    array -> list         map -> dict[str, ...]
"""

from __future__ import annotations

from typing import Any

from google.cloud.firestore_v1.types import ArrayValue, MapValue, Value
from google.protobuf import struct_pb2, timestamp_pb2
from google.type import latlng_pb2

from emulator.firestore_value_types import (
    MAX_SECONDS,
    MIN_SECONDS,
    GeoPoint,
    Reference,
    Timestamp,
)

__all__ = ["MAX_SECONDS", "MIN_SECONDS", "GeoPoint", "Reference", "Timestamp"]


def from_proto(value: Value) -> Any:
    """Converts a proto-plus ``Value`` to its native form."""
    pb = Value.pb(value) if isinstance(value, Value) else value
    kind = pb.WhichOneof("value_type")
    if kind is None or kind == "null_value":
        return None
    if kind == "timestamp_value":
        # Firestore keeps timestamps to the microsecond, rounding extra precision down.
        nanos = pb.timestamp_value.nanos
        return Timestamp(pb.timestamp_value.seconds, nanos - nanos % 1000)
    if kind == "reference_value":
        return Reference(pb.reference_value)
    if kind == "geo_point_value":
        return GeoPoint(pb.geo_point_value.latitude, pb.geo_point_value.longitude)
    if kind == "array_value":
        return [from_proto(v) for v in pb.array_value.values]
    if kind == "map_value":
        return {k: from_proto(v) for k, v in pb.map_value.fields.items()}
    return getattr(pb, kind)


def to_proto(value: Any) -> Value:
    """Converts a native value to a proto-plus ``Value``."""
    return Value.wrap(_to_pb(value))


def _to_pb(value: Any) -> Any:
    pb = Value.pb(Value())
    if value is None:
        pb.null_value = struct_pb2.NULL_VALUE
    elif isinstance(value, bool):
        pb.boolean_value = value
    elif isinstance(value, int):
        pb.integer_value = value
    elif isinstance(value, float):
        pb.double_value = value
    elif isinstance(value, str):
        pb.string_value = value
    elif isinstance(value, bytes):
        pb.bytes_value = value
    elif isinstance(value, Timestamp):
        stamp = timestamp_pb2.Timestamp(seconds=value.seconds, nanos=value.nanos)
        pb.timestamp_value.CopyFrom(stamp)
    elif isinstance(value, Reference):
        pb.reference_value = value.name
    elif isinstance(value, GeoPoint):
        pb.geo_point_value.CopyFrom(
            latlng_pb2.LatLng(latitude=value.latitude, longitude=value.longitude)
        )
    elif isinstance(value, list):
        pb.array_value.CopyFrom(ArrayValue.pb(ArrayValue()))
        pb.array_value.values.extend(_to_pb(v) for v in value)
    elif isinstance(value, dict):
        pb.map_value.CopyFrom(MapValue.pb(MapValue()))
        for key, item in value.items():
            pb.map_value.fields[key].CopyFrom(_to_pb(item))
    else:
        raise TypeError(f"not a Firestore value: {type(value).__name__}")
    return pb
