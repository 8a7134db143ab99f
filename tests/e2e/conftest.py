"""The Firebase CLI's Auth + Functions emulators running functions/main.py, for e2e tests.

They run on free ports from a throw-away copy of the Firebase project (sharing
functions/venv), against the session's Firestore + RTDB emulators and a PostgreSQL
database of their own, so that committed e2e rows never meet other tiers' tests.
"""

from __future__ import annotations

import itertools
import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from scripts.dev import stack_file
from scripts.dev.firebase_cli import (
    BackendTargets,
    CliPorts,
    FirebaseEmulators,
    configure_functions,
    firebase_cli_installed,
    sandbox_project,
)
from scripts.dev.postgres import migrate
from scripts.dev.seed import DemoUser
from tests.support.firestore_rest import FirestoreRest
from tests.support.functions_client import AuthEmulatorClient, FunctionsClient
from tests.support.id_tokens import token_bearer

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
_serial = itertools.count()


@pytest.fixture(scope="session")
def e2e_database_url(database_url: str) -> Iterator[str]:
    """A fresh, migrated database on the session's PostgreSQL server.

    It is dropped at the end only on a server given through DATABASE_URL; the embedded
    server is deleted with all its data anyway (and DROP's checkpoint would only add risk).
    """
    name = f"flowchat_e2e_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    migrate(ROOT, url)
    yield url
    if os.environ.get("DATABASE_URL"):
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def cli_ports(
    tmp_path_factory: pytest.TempPathFactory,
    e2e_database_url: str,
    firestore_emulator: str,
    database_emulator: str,
    project_id: str,
) -> Iterator[CliPorts]:
    """The CLI's emulators, started once per session; every child is killed at teardown."""
    if not firebase_cli_installed(ROOT):
        pytest.skip("node_modules/.bin/firebase is missing: run `npm ci` (scripts/bootstrap.sh)")
    if not (ROOT / "functions" / "venv" / "bin" / "python3.11").exists():
        pytest.skip("functions/venv is missing: run scripts/bootstrap.sh")
    ports = CliPorts.free()
    work = tmp_path_factory.mktemp("firebase-cli")
    project_dir = sandbox_project(ROOT, work / "project", ports)
    targets = BackendTargets(e2e_database_url, firestore_emulator, database_emulator, project_id)
    configure_functions(project_dir / "functions", targets)
    emulators = FirebaseEmulators(ROOT, project_dir, project_id, targets, work / "cli.log")
    try:
        emulators.start()
        yield ports
    finally:
        emulators.stop()


@pytest.fixture(scope="session")
def functions(cli_ports: CliPorts, project_id: str) -> FunctionsClient:
    """Callables served by the Functions emulator."""
    return FunctionsClient(f"127.0.0.1:{cli_ports.functions}", project_id)


@pytest.fixture(scope="session")
def auth(cli_ports: CliPorts) -> AuthEmulatorClient:
    """The Auth emulator's REST API."""
    return AuthEmulatorClient(f"127.0.0.1:{cli_ports.auth}")


@pytest.fixture(scope="session")
def firestore_rest(firestore_emulator: str, project_id: str) -> Iterator[FirestoreRest]:
    """Firestore REST, as a web client signed in with an ID token reaches it."""
    with FirestoreRest(
        firestore_emulator, project_id, credentials=token_bearer, timeout=30.0
    ) as client:
        yield client


@pytest.fixture(scope="session")
def password() -> str:
    """The password every e2e user registers with."""
    return PASSWORD


@pytest.fixture(scope="session")
def sign_up(functions: FunctionsClient, auth: AuthEmulatorClient) -> Callable[[str], DemoUser]:
    """sign_up("alice") registers a unique user and signs them in as a client would."""

    def register(name: str) -> DemoUser:
        username = re.sub(r"[^a-z0-9_]", "_", f"{name}_{next(_serial)}_{uuid.uuid4().hex[:6]}")
        signed = functions.call(
            "register", {"username": username, "password": PASSWORD, "displayName": name.title()}
        )
        user = DemoUser(
            username, signed["uid"], auth.sign_in_with_custom_token(signed["customToken"])
        )
        # The flows add fresh users to rooms directly; the default add policy ("shared")
        # would turn those adds into invitations (issue 11; tests/integration/test_invitations.py).
        functions.call("set_add_policy", {"policy": "anyone"}, user.id_token)
        return user

    return register


@pytest.fixture(scope="session")
def stack_json(
    tmp_path_factory: pytest.TempPathFactory,
    cli_ports: CliPorts,
    e2e_database_url: str,
    firestore_emulator: str,
    database_emulator: str,
    project_id: str,
) -> Path:
    """This session's stack described as scripts/dev.sh describes it in .local/stack.json."""
    targets = BackendTargets(e2e_database_url, firestore_emulator, database_emulator, project_id)
    path = tmp_path_factory.mktemp("stack") / "stack.json"
    return stack_file.write(path, stack_file.describe(targets, cli_ports))
