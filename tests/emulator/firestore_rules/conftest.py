"""Fixtures of the Firestore rules tests: an emulator of their own (rules are replaced
per case, so it is not shared with other suites) and a REST runner on it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from tests.emulator.firestore_rules.rest_runner import RestRunner

RULES_PROJECT = "demo-rules-table"


@pytest.fixture(scope="session")
def rules_emulator_address() -> Iterator[str]:
    """host:port of a Firestore emulator for the rules table (external when asked)."""
    if os.environ.get("FLOWCHAT_EXTERNAL_EMULATORS") == "1":
        yield os.environ["FIRESTORE_EMULATOR_HOST"]
        return
    from emulator.firestore.server import FirestoreEmulator

    server = FirestoreEmulator(port=0)
    server.start()
    try:
        yield server.address
    finally:
        server.stop()


@pytest.fixture(scope="session")
def rest_runner(rules_emulator_address: str) -> Iterator[RestRunner]:
    with httpx.Client(base_url=f"http://{rules_emulator_address}", timeout=10.0) as client:
        yield RestRunner(client, RULES_PROJECT)
