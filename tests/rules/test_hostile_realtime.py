"""A hostile client against database.rules.json over REST: writes that try to wipe or
impersonate others through parents and multi-path updates, and oversized or odd values.
Each must be refused and leave the seeded tree unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.database_rest import DatabaseRest

SV = {".sv": "timestamp"}
SESSION = {"startedAt": SV, "lastActive": SV}

ATTACKS: list[tuple[str, str, str, Any]] = [
    ("wipe r1's typing with a multi-path update", "patch", "", {"typing/r1/alice": None}),
    (
        "own typing plus alice's removal",
        "patch",
        "typing/r1",
        {"mia": SV, "alice": None},
    ),
    ("replace alice's sessions", "patch", "status/alice", {"connections": None}),
    ("replace the whole status tree", "put", "status", {}),
    ("typing as an object", "put", "typing/r1/mia", {"at": SV}),
    ("typing as a huge string", "put", "typing/r1/mia", "x" * 100_000),
    ("typing in the future", "put", "typing/r1/mia", 4_102_444_800_000),
    ("an oversized device", "put", "status/mia/connections/s2", {**SESSION, "device": "d" * 65}),
    ("a session with a payload", "put", "status/mia/connections/s2", {**SESSION, "x": "y" * 999}),
    ("session id out of the slots", "put", "status/mia/connections/s99", SESSION),
    ("add oneself to a room's mirror", "patch", "roomMembers/r2", {"mia": True}),
    ("lastSeen as text", "put", "status/mia/lastSeen", "yesterday"),
]


@pytest.mark.parametrize(
    ("method", "path", "value"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS]
)
def test_hostile_writes_are_refused(
    database: DatabaseRest, rtdb_world: int, method: str, path: str, value: Any
) -> None:
    before = {p: database.read(p) for p in ("typing", "status", "roomMembers")}
    send = database.patch if method == "patch" else database.put
    response = send(path, value, "mia")
    assert response.status_code in (400, 401, 403), (response.status_code, response.text)
    assert {p: database.read(p) for p in before} == before
