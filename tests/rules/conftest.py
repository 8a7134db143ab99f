"""Fixtures of the rules suite: REST clients on the shared emulators and a freshly seeded world."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from tests.rules.database_rest import DatabaseRest
from tests.rules.database_world import seed_tree
from tests.rules.firestore_rest import FirestoreRest
from tests.rules.world import seed_documents


@pytest.fixture(scope="session")
def firestore(firestore_emulator: str, project_id: str) -> Iterator[FirestoreRest]:
    """A REST client on the shared Firestore emulator (rules from firestore.rules)."""
    client = FirestoreRest(firestore_emulator, project_id)
    yield client
    client.close()


@pytest.fixture
def world(firestore: FirestoreRest) -> dt.datetime:
    """Clears Firestore and seeds the world of world.py; returns the seeding time."""
    now = dt.datetime.now(dt.UTC)
    firestore.clear()
    firestore.seed(seed_documents(now))
    return now


@pytest.fixture(scope="session")
def database(database_emulator: str, project_id: str) -> Iterator[DatabaseRest]:
    """A REST client on the shared Realtime Database emulator (rules from database.rules.json)."""
    client = DatabaseRest(database_emulator, f"{project_id}-default-rtdb")
    yield client
    client.close()


@pytest.fixture
def rtdb_world(database: DatabaseRest) -> int:
    """Replaces the Realtime Database with the seeded tree; returns the seeding time (ms)."""
    now_ms = int(time.time() * 1000)
    database.reset(seed_tree(now_ms))
    return now_ms
