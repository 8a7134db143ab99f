"""Allow/deny matrix of database.rules.json: every path x operation x actor, over REST.

Each row is a request and the set of actors it is allowed for; every other actor must be
denied (401 "Permission denied") and leave the data unchanged. ``{uid}`` in a path is the
acting user. Actors as in world.py; seeded tree in database_world.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import pytest

from tests.rules.assertions import assert_allowed, assert_rtdb_denied
from tests.rules.world import ACTORS, MEMBERS
from tests.support.database_rest import SERVER_TIMESTAMP, DatabaseRest
from tests.support.id_tokens import OWNER

NONE: frozenset[str] = frozenset()
SIGNED_IN = frozenset(ACTORS) - {"anonymous"}
MEMBER_ONLY = frozenset({"member"})
STRANGER_ONLY = frozenset({"stranger"})  # sam is a member of r2 only
DIRECT = frozenset({"member", "author"})  # d1: mia and alice; not adam, not bob (blocked)
SV = SERVER_TIMESTAMP
SESSION = {"startedAt": SV, "lastActive": SV, "device": "Firefox on Linux"}
MUTED_MS = 3_600_000


@dataclass(frozen=True)
class Request:
    verb: Literal["get", "put", "patch", "delete"]
    path: str
    value: Any = None
    # Given: the actor's roomMembers flags hold seeding time + mute_ms (a mute; negative:
    # one that has ended), as the backend projects a mute.
    mute_ms: int | None = None

    def send(self, db: DatabaseRest, uid: str | None) -> httpx.Response:
        path = self.path.replace("{uid}", uid or "nobody")
        value = _with_uid(self.value, uid or "nobody")
        if self.verb == "get":
            return db.get(path, uid)
        if self.verb == "put":
            return db.put(path, value, uid)
        if self.verb == "patch":
            return db.patch(path, value, uid)
        return db.delete(path, uid)

    def touched(self, uid: str) -> list[str]:
        """The paths a write changes (for a PATCH, each updated child)."""
        path = self.path.replace("{uid}", uid)
        if self.verb == "patch":
            return [f"{path}/{key}".strip("/").replace("{uid}", uid) for key in self.value]
        return [path]


def _with_uid(value: Any, uid: str) -> Any:
    if isinstance(value, dict):
        return {key.replace("{uid}", uid): item for key, item in value.items()}
    return value


MATRIX: list[tuple[str, Request, frozenset[str]]] = [
    # --- typing ---
    ("read room typing", Request("get", "typing/r1"), MEMBERS),
    ("read mia typing", Request("get", "typing/r1/mia"), MEMBERS),
    ("read all typing", Request("get", "typing"), NONE),
    ("read other room typing", Request("get", "typing/r2"), STRANGER_ONLY),
    ("start typing", Request("put", "typing/r1/{uid}", SV), MEMBERS),
    ("type as mia", Request("put", "typing/r1/mia", SV), MEMBER_ONLY),
    ("type in other room", Request("put", "typing/r2/{uid}", SV), STRANGER_ONLY),
    ("read direct typing", Request("get", "typing/d1"), DIRECT),
    ("type in direct room", Request("put", "typing/d1/{uid}", SV), DIRECT),
    # d2: alice blocked bob, the backend deleted both flags: nobody types or reads there.
    ("read blocked direct typing", Request("get", "typing/d2"), NONE),
    ("type in blocked direct room", Request("put", "typing/d2/{uid}", SV), NONE),
    ("restore own flag in blocked room", Request("put", "roomMembers/d2/{uid}", True), NONE),
    ("stop typing", Request("delete", "typing/r1/{uid}"), SIGNED_IN),
    ("clear mia typing", Request("delete", "typing/r1/mia"), MEMBER_ONLY),
    ("clear room typing", Request("delete", "typing/r1"), NONE),
    # --- typing while muted: reading and stopping stay allowed ---
    ("type while muted", Request("put", "typing/r1/{uid}", SV, mute_ms=MUTED_MS), NONE),
    (
        "type in direct room while muted",
        Request("put", "typing/d1/{uid}", SV, mute_ms=MUTED_MS),
        NONE,
    ),
    ("type after mute ended", Request("put", "typing/r1/{uid}", SV, mute_ms=-MUTED_MS), MEMBERS),
    ("stop typing while muted", Request("delete", "typing/r1/{uid}", mute_ms=MUTED_MS), SIGNED_IN),
    ("read typing while muted", Request("get", "typing/r1", mute_ms=MUTED_MS), MEMBERS),
    ("unmute self", Request("put", "roomMembers/r1/{uid}", True, mute_ms=MUTED_MS), NONE),
    # --- presence ---
    ("read all status", Request("get", "status"), SIGNED_IN),
    ("read mia status", Request("get", "status/mia"), SIGNED_IN),
    ("open session", Request("put", "status/{uid}/connections/s2", SESSION), SIGNED_IN),
    ("open mia session", Request("put", "status/mia/connections/s2", SESSION), MEMBER_ONLY),
    # At most ten sessions: ids s0 ... s9, each taken by one session at a time.
    ("open an eleventh session", Request("put", "status/{uid}/connections/s10", SESSION), NONE),
    (
        "open a session with a push id",
        Request("put", "status/{uid}/connections/-NxYz12", SESSION),
        NONE,
    ),
    ("take over a session", Request("put", "status/{uid}/connections/s1", SESSION), NONE),
    ("heartbeat", Request("put", "status/{uid}/connections/s1/lastActive", SV), SIGNED_IN),
    ("heartbeat for mia", Request("put", "status/mia/connections/s1/lastActive", SV), MEMBER_ONLY),
    (
        "heartbeat by update",
        Request("patch", "status/{uid}/connections/s1", {"lastActive": SV}),
        SIGNED_IN,
    ),
    ("close session", Request("delete", "status/{uid}/connections/s1"), SIGNED_IN),
    ("close mia session", Request("delete", "status/mia/connections/s1"), MEMBER_ONLY),
    ("close all sessions", Request("delete", "status/{uid}/connections"), NONE),
    ("set last seen", Request("put", "status/{uid}/lastSeen", SV), SIGNED_IN),
    ("set mia last seen", Request("put", "status/mia/lastSeen", SV), MEMBER_ONLY),
    ("replace own status", Request("put", "status/{uid}", {"lastSeen": SV}), NONE),
    ("add status field", Request("put", "status/{uid}/online", True), NONE),
    # --- membership mirror ---
    ("read room members", Request("get", "roomMembers/r1"), MEMBERS),
    ("read all members", Request("get", "roomMembers"), NONE),
    ("read other room members", Request("get", "roomMembers/r2"), STRANGER_ONLY),
    ("join room", Request("put", "roomMembers/r1/{uid}", True), NONE),
    ("remove a member", Request("delete", "roomMembers/r1/mia"), NONE),
    # --- everything else ---
    ("read root", Request("get", ""), NONE),
    ("write unknown path", Request("put", "secrets/{uid}", "x"), NONE),
    (
        "type and be seen",
        Request("patch", "", {"typing/r1/{uid}": SV, "status/{uid}/lastSeen": SV}),
        MEMBERS,
    ),
    (
        "type and join",
        Request("patch", "", {"typing/r1/{uid}": SV, "roomMembers/r1/{uid}": True}),
        NONE,
    ),
]

CASES = [
    pytest.param(request, actor, actor in allowed, id=f"{name}-{actor}")
    for name, request, allowed in MATRIX
    for actor in ACTORS
]


@pytest.mark.parametrize(("request_", "actor", "allowed"), CASES)
def test_matrix(
    database: DatabaseRest,
    rtdb_world: int,
    rtdb_unchanged: Callable[[], None],
    request_: Request,
    actor: str,
    allowed: bool,
) -> None:
    uid = ACTORS[actor]
    if request_.mute_ms is not None and uid:
        _mute(database, uid, rtdb_world + request_.mute_ms)
    paths = [] if request_.verb == "get" else request_.touched(uid or "nobody")
    before = {path: database.read(path) for path in paths}

    response = request_.send(database, uid)

    if not allowed:
        assert_rtdb_denied(response)
        assert {path: database.read(path) for path in paths} == before
        if request_.mute_ms is None:
            rtdb_unchanged()
        return
    assert_allowed(response)
    if request_.verb == "get" and request_.mute_ms is None:
        rtdb_unchanged()
    for path in paths:
        stored = database.read(path)
        if request_.verb == "delete":
            assert stored is None, path
        else:
            assert stored is not None and stored != before[path], path


def _mute(database: DatabaseRest, uid: str, until_ms: int) -> None:
    """Replaces uid's roomMembers flags with the mute's end (rules bypassed)."""
    for room in ("r1", "r2", "d1"):
        if database.read(f"roomMembers/{room}/{uid}") is not None:
            database.put(f"roomMembers/{room}/{uid}", until_ms, OWNER).raise_for_status()


def test_every_actor_has_an_allowed_and_a_denied_case() -> None:
    for actor in ACTORS:
        outcomes = {actor in allowed for _, _, allowed in MATRIX}
        assert outcomes == ({False} if actor == "anonymous" else {True, False}), actor
