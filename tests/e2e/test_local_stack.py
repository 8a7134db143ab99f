"""The README's run command and `python -m emulator`, run as a developer runs them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulator.__main__ import build_parser, settings_from
from scripts.dev.firebase_cli import firebase_cli_installed
from scripts.dev.ports import is_listening
from tests.support.firestore_rest import FirestoreRest
from tests.support.id_tokens import OWNER, PROJECT_ID, bearer
from tests.support.local_emulators import LocalEmulators, start_local_emulators

# The --check run starts the whole stack itself: minutes on a busy machine.
pytestmark = pytest.mark.timeout(900)

ROOT = Path(__file__).resolve().parents[2]
PROJECT = PROJECT_ID


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[LocalEmulators]:
    """A running `python -m emulator`, stopped after the test."""
    started = start_local_emulators(tmp_path / "emulator.log")
    yield started
    started.stop()


def owner_set(firestore: FirestoreRest, path: str, text: str) -> httpx.Response:
    """Writes a document as the emulator's admin ("Bearer owner" bypasses the rules)."""
    return firestore.commit([firestore.set_write(path, {"text": text})], OWNER)


def test_both_emulators_serve_under_the_project_rules(stack: LocalEmulators) -> None:
    with FirestoreRest(stack.firestore, PROJECT) as firestore:
        assert owner_set(firestore, "rooms/r1", "seeded").status_code == 200
        seeded = firestore.get("rooms/r1", OWNER).json()["fields"]["text"]
        assert seeded == {"stringValue": "seeded"}
        assert firestore.get("rooms/r1", None).status_code == 403
    rtdb = f"http://{stack.database}/typing/r1.json"
    assert httpx.put(rtdb, params={"ns": PROJECT}, json={"u": True}).status_code in (401, 403)
    assert httpx.get(rtdb, params={"ns": PROJECT, "access_token": "owner"}).status_code == 200


def test_stop_closes_both_ports(tmp_path: Path) -> None:
    started = start_local_emulators(tmp_path / "emulator.log")
    started.stop()
    for host_port in (started.firestore, started.database):
        host, port = host_port.rsplit(":", 1)
        assert not is_listening(host, int(port))
    assert not started.child.is_running()


def test_export_on_exit_then_import_restores_firestore(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = start_local_emulators(tmp_path / "first.log", "--import", str(data), "--export-on-exit")
    with FirestoreRest(first.firestore, PROJECT) as firestore:
        assert owner_set(firestore, "users/u1", "kept").status_code == 200
    first.stop()
    second = start_local_emulators(tmp_path / "second.log", "--import", str(data))
    try:
        with FirestoreRest(second.firestore, PROJECT) as firestore:
            kept = firestore.get("users/u1", OWNER)
        assert kept.status_code == 200, kept.text
        assert kept.json()["fields"]["text"] == {"stringValue": "kept"}
    finally:
        second.stop()


def test_export_on_exit_then_import_restores_the_realtime_database(tmp_path: Path) -> None:
    """The roomMembers/ mirror survives a restart, so typing in an older room is allowed."""
    data = tmp_path / "data"
    first = start_local_emulators(tmp_path / "first.log", "--import", str(data), "--export-on-exit")
    mirror = f"http://{first.database}/roomMembers/r1.json"
    owner = {"ns": PROJECT, "access_token": "owner"}
    assert httpx.put(mirror, params=owner, json={"alice": True}).status_code == 200
    first.stop()
    assert (data / "firebase-export-metadata.json").is_file()
    assert (data / "database_export" / f"{PROJECT}.json").is_file()
    second = start_local_emulators(tmp_path / "second.log", "--import", str(data))
    database = second.database
    try:
        kept = httpx.get(f"http://{database}/roomMembers/r1.json", params=owner)
        assert kept.json() == {"alice": True}
        typing = httpx.put(
            f"http://{database}/typing/r1/alice.json",
            params={"ns": PROJECT},
            json={".sv": "timestamp"},
            headers=bearer("alice"),
        )
        assert typing.status_code == 200, typing.text
        stranger = httpx.put(
            f"http://{database}/typing/r1/mallory.json",
            params={"ns": PROJECT},
            json={".sv": "timestamp"},
            headers=bearer("mallory"),
        )
        assert stranger.status_code in (401, 403)
    finally:
        second.stop()


@pytest.mark.slow
def test_dev_script_check_mode_starts_seeds_verifies_and_exits() -> None:
    if not firebase_cli_installed(ROOT):
        pytest.skip("node_modules/.bin/firebase is missing: run `npm ci` (scripts/bootstrap.sh)")
    # scripts/dev.sh is bootstrap + this module; the test command has bootstrapped already.
    done = subprocess.run(
        [sys.executable, "-m", "scripts.dev", "--check", "--isolated"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "check passed: 23 facts verified" in done.stdout  # 22 + the served web app
    assert "ok  message trigger sets rooms/general lastMessage" in done.stdout
    assert "web app served at http://127.0.0.1:" in done.stdout
    assert "ok  carol reads rooms/alice-bob -> 403" in done.stdout
    assert (
        "ok  the Emulator Hub lists -> ['auth', 'database', 'firestore', 'functions', "
        "'hub']" in done.stdout
    )


def test_bare_export_on_exit_reuses_the_import_directory(tmp_path: Path) -> None:
    args = build_parser().parse_args(["--import", str(tmp_path), "--export-on-exit"])
    settings = settings_from(args)
    assert settings.export_on_exit == str(tmp_path)
    assert settings.import_dir is None  # nothing exported there yet: a first run starts empty


def test_bare_export_on_exit_without_import_is_refused() -> None:
    with pytest.raises(SystemExit):
        settings_from(build_parser().parse_args(["--export-on-exit"]))
