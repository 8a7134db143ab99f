"""Own Firestore and RTDB emulators with the sample functions attached."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.environment import environ_restored

SAMPLE = Path(__file__).with_name("sample_functions.py")
PROJECT = "demo-flowchat"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Any, Any]]:
    """Fresh emulators without rules (admin clients only); env points the SDKs at them."""
    from emulator.database.server import DatabaseEmulator
    from emulator.firestore.server import FirestoreEmulator

    firestore = FirestoreEmulator(port=0, project_id=PROJECT)
    database = DatabaseEmulator(port=0, project_id=PROJECT)
    firestore.start()
    database.start()
    try:
        with environ_restored("FIRESTORE_EMULATOR_HOST", "FIREBASE_DATABASE_EMULATOR_HOST"):
            os.environ["FIRESTORE_EMULATOR_HOST"] = firestore.address
            os.environ["FIREBASE_DATABASE_EMULATOR_HOST"] = database.address
            yield firestore, database
    finally:
        database.stop()
        firestore.stop()


@pytest.fixture(scope="module")
def host(servers: tuple[Any, Any]) -> Iterator[Any]:
    """The sample functions attached to both emulators."""
    from emulator.triggers import attach

    firestore, database = servers
    attached = attach(firestore, database, SAMPLE, project_id=PROJECT)
    try:
        yield attached
    finally:
        attached.close()


@pytest.fixture
def received(host: Any) -> Iterator[list[dict[str, Any]]]:
    """What the sample functions recorded during one test (drained first)."""
    from emulator.triggers.loader import load_module

    assert host.wait_idle(10)
    records = load_module(SAMPLE).received
    records.clear()
    yield records
    records.clear()


@pytest.fixture(scope="module")
def db(servers: tuple[Any, Any]) -> Any:
    """A Firestore client on the module's emulator."""
    from google.cloud import firestore

    return firestore.Client(project=PROJECT)


@pytest.fixture(scope="module")
def rtdb(servers: tuple[Any, Any]) -> Any:
    """A firebase_admin RTDB root reference on the module's emulator (admin)."""
    import firebase_admin
    from firebase_admin import db

    try:
        app = firebase_admin.get_app("trigger-tests")
    except ValueError:
        app = firebase_admin.initialize_app(options={"projectId": PROJECT}, name="trigger-tests")
    return db.reference("/", app=app, url=f"https://{PROJECT}-default-rtdb.firebaseio.com")
