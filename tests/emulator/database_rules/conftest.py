"""Fixtures for the rules table over REST: an emulator of our own, rules set per namespace.

With FLOWCHAT_EXTERNAL_EMULATORS=1 the table runs against FIREBASE_DATABASE_EMULATOR_HOST
instead (e.g. the official emulator), which checks the table's expectations themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .rest_client import external_emulator


@pytest.fixture(scope="session")
def rules_emulator() -> Iterator[str]:
    """host:port of a Realtime Database emulator for these tests (open by default)."""
    external = external_emulator()
    if external:
        yield external
        return
    server_module = pytest.importorskip("emulator.database.server")
    server = server_module.DatabaseEmulator(port=0, project_id="demo-rules-table")
    server.start()
    try:
        yield server.address
    finally:
        server.stop()
