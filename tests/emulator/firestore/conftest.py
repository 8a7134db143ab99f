"""An emulator of this suite's own (its rules file is ours to rewrite), cleared before
every test, and clients on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.cloud import firestore

from emulator.firestore.server import FirestoreEmulator
from tests.support.firestore_clients import admin_client, clear, rest_client

BASE_RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /public/{id} {
      allow read: if true;
      allow write: if request.auth != null;
    }
    match /owned/{uid} {
      allow read, write: if request.auth != null && request.auth.uid == uid;
    }
  }
}
"""


@pytest.fixture(scope="session")
def rules_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "firestore.rules"
    path.write_text(BASE_RULES)
    return path


@pytest.fixture(scope="session")
def emulator(rules_file: Path) -> Iterator[FirestoreEmulator]:
    server = FirestoreEmulator(port=0, rules_path=str(rules_file))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def address(emulator: FirestoreEmulator) -> str:
    return emulator.address


@pytest.fixture(scope="session")
def db(address: str) -> firestore.Client:
    return admin_client(address)


@pytest.fixture(scope="session")
def rest(address: str) -> Iterator[httpx.Client]:
    with rest_client(address) as client:
        yield client


@pytest.fixture(autouse=True)
def _clean(rest: httpx.Client) -> None:
    """Every test starts from an empty database."""
    clear(rest)


JS_SDK = Path(__file__).resolve().parents[2] / "js" / "node_modules" / "firebase"


@pytest.fixture(scope="session")
def node() -> str:
    """The node binary for the JS SDK drivers; skips (saying why) without it or the SDK."""
    found = shutil.which("node")
    if found is None or not JS_SDK.exists():
        pytest.skip("needs node and the firebase SDK in tests/js/node_modules (npm ci)")
    return found
