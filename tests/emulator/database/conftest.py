"""Fixtures for the Realtime Database emulator tests: one emulator with test rules, a fresh
namespace per test (so tests never see each other's data), clients and tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulator.database.server import DatabaseEmulator
from tests.support.id_tokens import id_token as support_id_token

RULES_PATH = Path(__file__).with_name("test.rules.json")
PROJECT = "demo-rtdb-tests"


def id_token(uid: str, **extra: object) -> str:
    """An ID token for ``uid`` of this emulator's project, as a password sign-in gets it."""
    password = {"sign_in_provider": "password"}
    return support_id_token(uid, project_id=PROJECT, firebase=password, **extra)


@pytest.fixture(scope="session")
def rtdb() -> Iterator[DatabaseEmulator]:
    """An emulator of our own (not the shared one) loaded with tests' rules."""
    server = DatabaseEmulator(port=0, rules_path=str(RULES_PATH), project_id=PROJECT)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ns() -> str:
    """A namespace no other test uses."""
    return f"t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def http(rtdb: DatabaseEmulator, ns: str) -> Iterator[httpx.Client]:
    """A plain HTTP client on the test's namespace, with no credentials."""
    with httpx.Client(
        base_url=f"http://{rtdb.address}",
        params={"ns": ns},
        timeout=10,
        verify=False,
        trust_env=False,
    ) as client:
        yield client


@pytest.fixture
def owner(rtdb: DatabaseEmulator, ns: str) -> Iterator[httpx.Client]:
    """An HTTP client with the emulator's admin credential ("owner"), which bypasses rules."""
    with httpx.Client(
        base_url=f"http://{rtdb.address}",
        params={"ns": ns},
        timeout=10,
        headers={"Authorization": "Bearer owner"},
        verify=False,
        trust_env=False,
    ) as client:
        yield client


@pytest.fixture
def raw() -> Iterator[httpx.Client]:
    """A plain HTTP client for full URLs (loopback only: no TLS setup, no proxies)."""
    with httpx.Client(timeout=10, verify=False, trust_env=False) as client:
        yield client
