"""firebase-admin and the asyncio client of google-cloud-firestore, unchanged, in
emulator mode."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import firebase_admin
import pytest
from firebase_admin import firestore as admin_firestore
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from tests.support.firestore_clients import PROJECT


@pytest.fixture
def emulator_env(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Admin SDKs find the emulator through FIRESTORE_EMULATOR_HOST (restored after)."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", address)


@pytest.fixture
def admin_app(emulator_env: None) -> Iterator[firebase_admin.App]:
    class Anonymous(firebase_admin.credentials.Base):
        def get_credential(self) -> AnonymousCredentials:
            return AnonymousCredentials()

    app = firebase_admin.initialize_app(
        Anonymous(), {"projectId": PROJECT}, name=f"fs-{uuid.uuid4().hex}"
    )
    yield app
    firebase_admin.delete_app(app)


def test_firebase_admin_client(admin_app: firebase_admin.App, db: firestore.Client) -> None:
    client = admin_firestore.client(admin_app)
    client.document("rooms/r1").set({"name": "one", "at": firestore.SERVER_TIMESTAMP})
    assert db.document("rooms/r1").get().get("name") == "one"
    assert [s.id for s in client.collection("rooms").stream()] == ["r1"]


def test_async_client(emulator_env: None, db: firestore.Client) -> None:
    async def scenario() -> list[str]:
        client = firestore.AsyncClient(project=PROJECT, credentials=AnonymousCredentials())
        await client.document("rooms/a").set({"n": 1})
        await client.document("rooms/b").set({"n": 2})
        query = client.collection("rooms").where(filter=firestore.FieldFilter("n", ">", 1))
        found = [s.id async for s in query.stream()]
        client.close()
        return found

    assert asyncio.run(scenario()) == ["b"]
    assert db.document("rooms/a").get().get("n") == 1
