"""Firestore's value types in native Python, shared by the store and the rules engine.

Both ``emulator.firestore`` (the store, the wire formats) and ``emulator.firestore_rules``
(the rules engine) import these; keeping them here, free of protobuf, lets the rules engine
be used on its own and removes the import cycle between the two packages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The range of google.protobuf.Timestamp (and of Firestore timestamps):
# 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
MIN_SECONDS, MAX_SECONDS = -62_135_596_800, 253_402_300_799


@dataclass(frozen=True, order=True)
class Timestamp:
    """A point in time with Firestore's nanosecond precision (UTC)."""

    seconds: int
    nanos: int = 0

    @classmethod
    def from_datetime(cls, value: dt.datetime) -> Timestamp:
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        delta = value - _EPOCH
        seconds = delta.days * 86400 + delta.seconds
        return cls(seconds, delta.microseconds * 1000)

    @classmethod
    def now(cls) -> Timestamp:
        return cls.from_datetime(dt.datetime.now(dt.UTC))

    def to_datetime(self) -> dt.datetime:
        return _EPOCH + dt.timedelta(seconds=self.seconds, microseconds=self.nanos // 1000)

    def to_rfc3339(self) -> str:
        base = dt.datetime.fromtimestamp(self.seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{base}.{self.nanos:09d}Z"

    def total_nanos(self) -> int:
        return self.seconds * 1_000_000_000 + self.nanos


@dataclass(frozen=True)
class Reference:
    """A document reference, kept as its full resource name
    (``projects/{p}/databases/{d}/documents/...``)."""

    name: str


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
