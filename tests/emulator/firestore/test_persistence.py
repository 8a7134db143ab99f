"""--export-on-exit then --import, and the store's change hook for triggers."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from google.cloud.firestore_v1 import GeoPoint

from emulator.firestore.names import DatabaseId
from emulator.firestore.server import FirestoreEmulator
from tests.emulator.firestore.conftest import BASE_RULES
from tests.support.firestore_clients import ROOT as DOCS_ROOT
from tests.support.firestore_clients import admin_client
from tests.support.id_tokens import OWNER_HEADERS

ROOT = Path(__file__).resolve().parents[3]


def test_export_on_exit_then_import(tmp_path: Path) -> None:
    stamp = dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)
    first = FirestoreEmulator(port=0, export_on_exit=str(tmp_path))
    first.start()
    try:
        db = admin_client(first.address)
        db.document("rooms/r1").set({"t": stamp, "g": GeoPoint(1, 2), "b": b"\x01", "n": 1.5})
        db.document("rooms/r1/messages/m1").set({"ref": db.document("rooms/r1")})
        admin_client(first.address, project="demo-second").document("x/y").set({"v": 1})
        before = db.document("rooms/r1").get()
    finally:
        first.stop()
    assert (tmp_path / "firestore_export.json").exists()

    second = FirestoreEmulator(port=0, import_dir=str(tmp_path))
    second.start()
    try:
        db = admin_client(second.address)
        after = db.document("rooms/r1").get()
        assert after.to_dict() == before.to_dict()
        assert (after.create_time, after.update_time) == (before.create_time, before.update_time)
        assert db.document("rooms/r1/messages/m1").get().get("ref").path == "rooms/r1"
        other = admin_client(second.address, project="demo-second")
        assert other.document("x/y").get().to_dict() == {"v": 1}
    finally:
        second.stop()


def test_store_subscribe_reports_each_committed_write() -> None:
    server = FirestoreEmulator(port=0)
    server.start()
    try:
        seen: list[tuple[str, object, object]] = []
        store = server.backend.database(DatabaseId("demo-flowchat")).store
        unsubscribe = store.subscribe(
            lambda path, before, after: seen.append(
                (path, before and before.data, after and after.data)
            )
        )
        db = admin_client(server.address)
        db.document("rooms/r1").set({"v": 1})
        db.document("rooms/r1").update({"v": 2})
        db.document("rooms/r1").delete()
        unsubscribe()
        db.document("rooms/r2").set({"v": 3})
        assert seen == [
            ("rooms/r1", None, {"v": 1}),
            ("rooms/r1", {"v": 1}, {"v": 2}),
            ("rooms/r1", {"v": 2}, None),
        ]
    finally:
        server.stop()


def test_command_line_serves_and_exports_on_exit(tmp_path: Path) -> None:
    rules = tmp_path / "firestore.rules"
    rules.write_text(BASE_RULES)
    export = tmp_path / "export"
    command = [
        sys.executable,
        "-m",
        "emulator.firestore",
        "--port",
        "0",
        "--rules",
        str(rules),
        "--export-on-exit",
        str(export),
    ]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            address = line.split("FIRESTORE_EMULATOR_HOST=")[1].rstrip(")\n")
            with httpx.Client(base_url=f"http://{address}/v1/{DOCS_ROOT}", timeout=10) as rest:
                assert rest.patch("/public/p1", json={}, headers=OWNER_HEADERS).status_code == 200
                assert rest.get("/public/p1").status_code == 200
                assert rest.patch("/public/p2", json={}).status_code == 403
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0
        finally:
            if process.poll() is None:
                process.kill()
    exported = json.loads((export / "firestore_export.json").read_text())
    assert [d["path"] for d in exported["databases"][0]["documents"]] == ["public/p1"]


def test_import_of_a_directory_without_firestore_data_starts_empty(tmp_path: Path) -> None:
    server = FirestoreEmulator(port=0, import_dir=str(tmp_path))
    server.start()
    try:
        assert list(admin_client(server.address).collections()) == []
    finally:
        server.stop()
    missing = FirestoreEmulator(port=0, import_dir=str(tmp_path / "nope"))
    with pytest.raises(FileNotFoundError):
        missing.start()
