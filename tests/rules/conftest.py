"""Fixtures of the rules suite: REST clients on the shared emulators and a freshly seeded world."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests.rules.database_world import seed_tree
from tests.rules.world import seed_documents
from tests.support.database_rest import DatabaseRest
from tests.support.firestore_rest import FirestoreRest


@pytest.fixture(scope="session")
def firestore(firestore_emulator: str, project_id: str) -> Iterator[FirestoreRest]:
    """A REST client on the shared Firestore emulator (rules from firestore.rules)."""
    client = FirestoreRest(firestore_emulator, project_id)
    yield client
    client.close()


@dataclass
class Seeding:
    """Whether the seeded data may have changed since it was written, and when that was."""

    dirty: bool = True
    at: dt.datetime = dt.datetime.min
    at_ms: int = 0


@pytest.fixture(scope="module")
def firestore_seeding() -> Seeding:
    return Seeding()  # each module starts from a fresh seed: other suites share the emulator


@pytest.fixture(scope="module")
def rtdb_seeding() -> Seeding:
    return Seeding()


@pytest.fixture
def world(firestore: FirestoreRest, firestore_seeding: Seeding) -> dt.datetime:
    """Firestore holding exactly the world of world.py; returns the seeding time.

    Reseeds unless the previous test of the module declared it left the data unchanged
    (see ``world_unchanged``), which keeps the read and deny rows of the matrix fast.
    """
    if firestore_seeding.dirty:
        firestore_seeding.at = dt.datetime.now(dt.UTC)
        firestore.clear()
        firestore.seed(seed_documents(firestore_seeding.at))
    firestore_seeding.dirty = True
    return firestore_seeding.at


@pytest.fixture
def world_unchanged(firestore_seeding: Seeding) -> Callable[[], None]:
    """Called by a test once it has verified that it changed no seeded document."""
    return lambda: setattr(firestore_seeding, "dirty", False)


@pytest.fixture(scope="session")
def database(database_emulator: str, project_id: str) -> Iterator[DatabaseRest]:
    """A REST client on the shared Realtime Database emulator (rules from database.rules.json)."""
    client = DatabaseRest(database_emulator, f"{project_id}-default-rtdb")
    yield client
    client.close()


@pytest.fixture
def rtdb_world(database: DatabaseRest, rtdb_seeding: Seeding) -> int:
    """The Realtime Database holding exactly the seeded tree; returns the seeding time (ms).

    Reseeds unless the previous test of the module called ``rtdb_unchanged``.
    """
    if rtdb_seeding.dirty:
        rtdb_seeding.at_ms = int(time.time() * 1000)
        database.reset(seed_tree(rtdb_seeding.at_ms))
    rtdb_seeding.dirty = True
    return rtdb_seeding.at_ms


@pytest.fixture
def rtdb_unchanged(rtdb_seeding: Seeding) -> Callable[[], None]:
    """Called by a test once it has verified that it changed no seeded data."""
    return lambda: setattr(rtdb_seeding, "dirty", False)
