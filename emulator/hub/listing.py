"""The ``GET /emulators`` body, in the Firebase CLI hub's shape."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HubEntry:
    """One running emulator as the hub lists it: its name and where it listens."""

    name: str
    host: str
    port: int

    @classmethod
    def parse(cls, name: str, address: str) -> HubEntry:
        """``HubEntry.parse("auth", "127.0.0.1:9099")``; ValueError for a malformed address."""
        host, separator, port = address.rpartition(":")
        if not separator or not host or not port.isdigit():
            raise ValueError(f"{name}: expected HOST:PORT, got {address!r}")
        return cls(name, host.strip("[]"), int(port))

    def as_json(self) -> dict[str, Any]:
        """``{"name", "host", "port", "listen": [...], "pid"}`` as the CLI's hub reports it."""
        family = "IPv6" if ":" in self.host else "IPv4"
        return {
            "name": self.name,
            "host": self.host,
            "port": self.port,
            "listen": [{"address": self.host, "family": family, "port": self.port}],
            "pid": os.getpid(),
        }


def listing(entries: list[HubEntry]) -> dict[str, dict[str, Any]]:
    """``{"firestore": {...}, "database": {...}, ...}`` keyed by emulator name."""
    return {entry.name: entry.as_json() for entry in entries}
