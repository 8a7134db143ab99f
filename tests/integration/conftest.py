"""Fixtures for the integration tier: a migrated PostgreSQL, per-test rollback, callables."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import sessionmaker

from scripts.dev.ports import free_port
from tests.support.firestore_rest import FirestoreRest
from tests.support.id_tokens import id_token


@pytest.fixture(autouse=True)
def integration_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings for this tier only, restored after each test."""
    # Emulator-mode Firebase Admin: unsigned custom tokens, unsigned ID tokens accepted.
    if not os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"):
        monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    # Cheap password hashing keeps the suite fast; production keeps the argon2 defaults.
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "8192")
    monkeypatch.setenv("FIRESTORE_WRITE_TIMEOUT_SECONDS", "5")


@pytest.fixture(scope="session")
def migrated_url(database_url: str) -> str:
    """The shared PostgreSQL with every migration applied; DATABASE_URL points at it."""
    from flowchat.migrate import migrate

    engine = create_engine(database_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    os.environ["DATABASE_URL"] = database_url
    return database_url


@pytest.fixture(scope="session")
def engine(migrated_url: str) -> Iterator[Engine]:
    """The application's own engine (flowchat.adapters.db), built from DATABASE_URL."""
    from flowchat.adapters import db

    yield db.engine()
    db.engine().dispose()


@pytest.fixture
def rollback(engine: Engine) -> Iterator[None]:
    """Every unit of work in the test joins one outer transaction, rolled back afterwards."""
    from flowchat.adapters import db

    with engine.connect() as conn:
        outer = conn.begin()
        factory = sessionmaker(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        with db.sessions_bound_to(factory):
            yield
        outer.rollback()


# ---------- callables ----------


@dataclass
class CallResult:
    """What a client would get back from a callable: a result, or an error status."""

    http_status: int
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return "result" in self.body

    @property
    def result(self) -> Any:
        assert self.ok, f"expected success, got {self.body}"
        return self.body["result"]

    @property
    def status(self) -> str:
        assert not self.ok, f"expected an error, got {self.body}"
        return self.body["error"]["status"]

    @property
    def details(self) -> Any:
        return self.body["error"].get("details")


Caller = Callable[..., CallResult]


@pytest.fixture(scope="session")
def main_module(migrated_url: str) -> Any:
    """functions/main.py, imported once the database is configured."""
    import main

    return main


@pytest.fixture
def call(main_module: Any, firestore_emulator: str, rollback: None) -> Caller:
    """call("create_room", data, uid=...) runs the real decorated callable in a request."""
    app = flask.Flask("flowchat-tests")

    def invoke(
        name: str, data: Any, uid: str | None = None, address: str = "203.0.113.9"
    ) -> CallResult:
        headers = {"Authorization": f"Bearer {id_token(uid)}"} if uid else {}
        with app.test_request_context(
            "/",
            method="POST",
            json={"data": data},
            headers=headers,
            environ_base={"REMOTE_ADDR": address},
        ):
            response = getattr(main_module, name)(flask.request)
        return CallResult(response.status_code, json.loads(response.get_data()))

    return invoke


@pytest.fixture(scope="session")
def firestore(firestore_emulator: str) -> Iterator[Any]:
    """An Admin-style Firestore client on the shared emulator."""
    from google.cloud import firestore as gcf

    client = gcf.Client(project="demo-flowchat")
    yield client
    client.close()


@pytest.fixture
def rest(firestore_emulator: str) -> Iterator[FirestoreRest]:
    """Firestore as a client app reaches it: REST with the user's ID token, under the rules."""
    with FirestoreRest(firestore_emulator, "demo-flowchat") as client:
        yield client


@pytest.fixture
def unreachable_projector(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A projector whose Firestore endpoint refuses connections: an outage, or a process
    dying before its post-commit projection."""
    from flowchat.adapters.projector import FirebaseProjector
    from google.cloud import firestore as gcf

    with monkeypatch.context() as patch:
        patch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{free_port()}")
        client = gcf.Client(project="demo-flowchat")
    yield FirebaseProjector(client, timeout=2.0)
    client.close()


RTDB_URL = "https://demo-flowchat-default-rtdb.firebaseio.com"


def rtdb_ref(path: str) -> Any:
    """A Realtime Database reference on the emulator, as the backend's Admin app sees it."""
    from firebase_admin import db
    from flowchat.adapters import firebase_app

    return db.reference(path, app=firebase_app.app(), url=RTDB_URL)


@pytest.fixture
def rtdb_mirror(database_emulator: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The backend mirrors membership into the RTDB emulator during this test."""
    from flowchat.adapters import firebase_app
    from flowchat.adapters.projector import FirebaseProjector, projecting_with

    monkeypatch.setenv("RTDB_URL", RTDB_URL)
    with projecting_with(FirebaseProjector(firebase_app.firestore_client(), RTDB_URL, 5.0)):
        yield


@pytest.fixture
def new_user(call: Caller) -> Callable[..., dict[str, str]]:
    """Register a fresh user through the register callable; returns {uid, username, ...}."""

    def make(
        display_name: str | None = None, prefix: str = "user", add_policy: str | None = "anyone"
    ) -> dict[str, str]:
        """add_policy: most tests add fresh users to rooms directly, which the default
        policy ("shared") turns into invitations; None keeps the default."""
        username = f"{prefix}_{uuid.uuid4().hex[:10]}"
        password = "correct horse battery"
        out = call(
            "register",
            {
                "username": username,
                "password": password,
                "displayName": display_name or username.title(),
            },
        )
        if add_policy is not None:
            uid = out.result["uid"]
            assert call("set_add_policy", {"policy": add_policy}, uid=uid).ok
        return {**out.result, "username": username, "password": password}

    return make


COUNTED_TABLES = (
    "users",
    "rooms",
    "room_members",
    "blocks",
    "audit_log",
    "outbox",
    "room_invitations",
)


def table_counts() -> dict[str, int]:
    """Row counts as the current unit of work sees them (including the test's own rows)."""
    from flowchat.adapters import db

    with db.sessions()() as session:
        return {
            t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in COUNTED_TABLES
        }


def query(sql: str, **params: Any) -> list[Any]:
    """Rows as the current unit of work sees them (a write is committed to the test's scope)."""
    from flowchat.adapters import db

    with db.sessions()() as session, session.begin():
        return list(session.execute(text(sql), params))


@pytest.fixture
def counts(rollback: None) -> Callable[[], dict[str, int]]:
    """counts() -> row counts of the tables a callable may write."""
    return table_counts


@pytest.fixture
def rows(rollback: None) -> Callable[..., list[Any]]:
    """rows(sql, **params) -> rows as the test's unit of work sees them."""
    return query


# ---------- committed mode (real separate connections) ----------


@dataclass
class CommittedWorld:
    """Users created with real commits, removed again after the test."""

    call: Caller
    uids: list[str]

    def user(self, prefix: str = "c", add_policy: str | None = "anyone") -> dict[str, str]:
        """A committed user; add_policy as for the new_user fixture (None: the default)."""
        username = f"{prefix}_{uuid.uuid4().hex[:12]}"
        out = self.call(
            "register",
            {"username": username, "password": "correct horse 1", "displayName": username},
        )
        self.uids.append(out.result["uid"])
        if add_policy is not None:
            uid = out.result["uid"]
            assert self.call("set_add_policy", {"policy": add_policy}, uid=uid).ok
        return {**out.result, "username": username}


def _delete_world(engine: Engine, uids: list[str]) -> None:
    """Remove every row the test's users caused (other suites share this database)."""
    if not uids:
        return
    with engine.begin() as conn:
        ids = {"ids": uids}
        room_ids = [
            str(r)
            for r in conn.execute(
                text("SELECT id FROM rooms WHERE created_by = ANY(CAST(:ids AS uuid[]))"), ids
            ).scalars()
        ]
        keys = [*uids, *room_ids]
        conn.execute(
            text("DELETE FROM outbox WHERE split_part(path, '/', 2) = ANY(:k)"), {"k": keys}
        )
        conn.execute(text("DELETE FROM audit_log WHERE actor_id = ANY(CAST(:ids AS uuid[]))"), ids)
        conn.execute(text("DELETE FROM rooms WHERE created_by = ANY(CAST(:ids AS uuid[]))"), ids)
        conn.execute(text("DELETE FROM users WHERE id = ANY(CAST(:ids AS uuid[]))"), ids)


@pytest.fixture
def committed(
    main_module: Any, firestore_emulator: str, engine: Engine
) -> Iterator[CommittedWorld]:
    """Callables against the real engine: every unit of work commits for real."""
    app = flask.Flask("flowchat-committed")

    def invoke(name: str, data: Any, uid: str | None = None) -> CallResult:
        headers = {"Authorization": f"Bearer {id_token(uid)}"} if uid else {}
        with app.test_request_context("/", method="POST", json={"data": data}, headers=headers):
            response = getattr(main_module, name)(flask.request)
        return CallResult(response.status_code, json.loads(response.get_data()))

    world = CommittedWorld(invoke, [])
    try:
        yield world
    finally:
        _delete_world(engine, world.uids)


@pytest.fixture
def group_world(committed: CommittedWorld, firestore: Any) -> Callable[[str], dict[str, Any]]:
    """Makes committed users, an owner and a member of a group room named as asked and an
    outsider; returns them with the room, the call and the admin Firestore client."""

    def make(room_name: str) -> dict[str, Any]:
        owner = committed.user("own")
        member, outsider = committed.user("mem"), committed.user("out")
        room_id = committed.call(
            "create_room",
            {"kind": "group", "name": room_name, "memberIds": [member["uid"]]},
            uid=owner["uid"],
        ).result["roomId"]
        return {
            "call": committed.call,
            "room": room_id,
            "owner": owner["uid"],
            "member": member["uid"],
            "outsider": outsider["uid"],
            "db": firestore,
        }

    return make


FUNCTIONS_MAIN = Path(__file__).resolve().parents[2] / "functions" / "main.py"


@pytest.fixture(scope="module")
def triggers(
    main_module, firestore_emulator, database_emulator, firestore_server, database_server
) -> Iterator[Any]:
    """functions/main.py's triggers attached to the shared emulators for this module."""
    from emulator.triggers import attach

    fs, db = firestore_server, database_server
    if fs is None or db is None:
        pytest.skip("event delivery is the local emulator's; external emulators bring their own")
    host = attach(fs, db, FUNCTIONS_MAIN)
    try:
        yield host
    finally:
        host.wait_idle(30)
        host.close()


@pytest.fixture
def settled(triggers) -> Iterator[Any]:
    """Wait for deliveries after each step; fail the test if any trigger raised."""
    assert triggers.wait_idle(30)
    before = len(triggers.failures())

    def wait() -> None:
        assert triggers.wait_idle(30), "trigger deliveries did not finish"
        failures = triggers.failures()[before:]
        assert not failures, [(f.trigger.name, repr(f.error)) for f in failures]

    yield wait
    wait()


@pytest.fixture
def scheduled_drain(main_module: Any) -> Callable[[], int]:
    """Run drain_outbox as Cloud Scheduler calls it; returns the HTTP status."""

    def run() -> int:
        app = flask.Flask("scheduler")
        headers = {
            "X-CloudScheduler-JobName": "drain_outbox",
            "X-CloudScheduler-ScheduleTime": "2026-01-01T00:00:00Z",
        }
        with app.test_request_context("/", method="POST", headers=headers):
            return main_module.drain_outbox(flask.request).status_code

    return run


# ---------- files (Cloudinary and ClamAV fakes) ----------


@pytest.fixture(scope="session")
def cloudinary_server() -> Iterator[Any]:
    """A local fake of Cloudinary's Upload API that verifies signatures as Cloudinary does."""
    from tests.support.fake_cloudinary import FakeCloudinary

    server = FakeCloudinary().start()
    yield server
    server.stop()


@pytest.fixture
def cloudinary(cloudinary_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The fake, emptied, with the functions' Cloudinary params pointing at it."""
    cloudinary_server.reset()
    monkeypatch.setenv("CLOUDINARY_CLOUD_NAME", cloudinary_server.cloud)
    monkeypatch.setenv("CLOUDINARY_API_KEY", cloudinary_server.api_key)
    monkeypatch.setenv("CLOUDINARY_API_SECRET", cloudinary_server.api_secret)
    monkeypatch.setenv("CLOUDINARY_UPLOAD_PREFIX", cloudinary_server.upload_prefix)
    monkeypatch.setenv("CLOUDINARY_SIGNATURE_ALGORITHM", cloudinary_server.algorithm)
    return cloudinary_server


@pytest.fixture(scope="session")
def clamd_server() -> Iterator[Any]:
    """A local fake ClamAV daemon speaking INSTREAM that flags the EICAR test string."""
    from tests.support.fake_clamd import FakeClamd

    server = FakeClamd().start()
    yield server
    server.stop()


# ---------- push (FCM fake) ----------


@pytest.fixture(scope="session")
def fcm_server() -> Iterator[Any]:
    """A local fake of FCM's HTTP v1 API and Google's OAuth token endpoint."""
    from tests.support.fake_fcm import FakeFcm

    server = FakeFcm().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fcm_app(fcm_server: Any) -> Iterator[Any]:
    """An Admin app whose service-account credential gets its tokens from the fake."""
    import firebase_admin
    from firebase_admin import credentials

    app = firebase_admin.initialize_app(
        credentials.Certificate(fcm_server.service_account),
        {"projectId": fcm_server.project_id},
        name="fcm-fake",
    )
    yield app
    firebase_admin.delete_app(app)


@pytest.fixture
def fcm(fcm_server: Any, fcm_app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The fake, emptied; the functions send through fcm_app to FCM_ENDPOINT = the fake."""
    from flowchat.adapters import fcm as fcm_adapter

    fcm_server.reset()
    monkeypatch.setenv("FCM_ENDPOINT", fcm_server.url)
    with fcm_adapter.sending_with(fcm_app):
        yield fcm_server


# ---------- Firebase Auth (the Firebase CLI's Auth emulator) ----------


@pytest.fixture(scope="session")
def auth_emulator_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`firebase emulators:start --only auth` on free ports; its host:port."""
    from scripts.dev.firebase_cli import READY_LINE, firebase_cli_installed
    from scripts.dev.ports import free_port
    from scripts.dev.processes import Child

    root = Path(__file__).resolve().parents[2]
    if not firebase_cli_installed(root):
        pytest.skip("node_modules/.bin/firebase is missing: run scripts/bootstrap.sh")
    work = tmp_path_factory.mktemp("auth-emulator")
    port = free_port()
    config = {
        "emulators": {
            "singleProjectMode": True,
            "auth": {"host": "127.0.0.1", "port": port},
            "hub": {"host": "127.0.0.1", "port": free_port()},
            "logging": {"host": "127.0.0.1", "port": free_port()},
            "ui": {"enabled": False},
        }
    }
    (work / "firebase.json").write_text(json.dumps(config))
    (work / "tmp").mkdir()
    argv = [
        str(root / "node_modules" / ".bin" / "firebase"),
        "emulators:start",
        "--only",
        "auth",
        "--project",
        "demo-flowchat",
    ]
    env = {**os.environ, "TMPDIR": str(work / "tmp"), "GCLOUD_PROJECT": "demo-flowchat"}
    child = Child("auth emulator", argv, cwd=work, env=env, log_path=work / "cli.log")
    child.start()
    try:
        child.wait_for_output(READY_LINE, 180)
        yield f"127.0.0.1:{port}"
    finally:
        child.stop()


@pytest.fixture
def auth_emulator(auth_emulator_host: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The Admin SDK's auth calls (adapters/identity.py) go to the CLI's Auth emulator."""
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator_host)
    return auth_emulator_host
