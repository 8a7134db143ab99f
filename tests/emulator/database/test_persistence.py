"""--import / --export-on-exit for the Realtime Database: an export/import round trip in
the official layout (firebase-export-metadata.json + database_export/<ns>.json)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from emulator.database.server import DatabaseEmulator

OWNER = {"Authorization": "Bearer owner"}
DEFAULT_NS = "demo-keep-default-rtdb"


def _put(address: str, path: str, value: object, ns: str) -> None:
    answer = httpx.put(
        f"http://{address}/{path}.json", params={"ns": ns}, content=json.dumps(value), headers=OWNER
    )
    assert answer.status_code == 200, answer.text


def _get(address: str, path: str, ns: str, **params: str) -> object:
    answer = httpx.get(f"http://{address}/{path}.json", params={"ns": ns, **params}, headers=OWNER)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_export_then_import_restores_every_namespace(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # An earlier export's metadata (e.g. the CLI's Firestore section) is kept.
    (data / "firebase-export-metadata.json").write_text(
        json.dumps({"version": "13.0.0", "firestore": {"path": "firestore_export"}})
    )
    first = DatabaseEmulator(port=0, project_id="demo-keep", export_on_exit=str(data))
    first.start()
    _put(first.address, "roomMembers/r1", {"alice": True, "bob": True}, DEFAULT_NS)
    _put(first.address, "typing/r1", {".value": 5, ".priority": 2}, DEFAULT_NS)
    _put(first.address, "a/b", {"c": [1, 2, 3]}, "other-ns")
    first.stop()

    metadata = json.loads((data / "firebase-export-metadata.json").read_text())
    assert metadata["database"]["path"] == "database_export"
    assert metadata["firestore"] == {"path": "firestore_export"}
    exported = sorted(p.name for p in (data / "database_export").iterdir())
    assert exported == [f"{DEFAULT_NS}.json", "other-ns.json"]
    assert json.loads((data / "database_export" / f"{DEFAULT_NS}.json").read_text())[
        "roomMembers"
    ] == {"r1": {"alice": True, "bob": True}}

    second = DatabaseEmulator(port=0, project_id="demo-keep", import_dir=str(data))
    second.start()
    try:
        assert _get(second.address, "roomMembers/r1", DEFAULT_NS) == {"alice": True, "bob": True}
        assert _get(second.address, "typing/r1", DEFAULT_NS, format="export") == {
            ".value": 5,
            ".priority": 2,
        }
        assert _get(second.address, "a/b/c", "other-ns") == [1, 2, 3]
    finally:
        second.stop()


def test_a_folder_without_an_export_starts_empty(tmp_path: Path) -> None:
    emulator = DatabaseEmulator(port=0, import_dir=str(tmp_path))
    emulator.start()
    try:
        assert _get(emulator.address, "", "x") is None
    finally:
        emulator.stop()


def test_an_emptied_namespace_is_not_exported_again(tmp_path: Path) -> None:
    first = DatabaseEmulator(port=0, export_on_exit=str(tmp_path))
    first.start()
    _put(first.address, "x", 1, "gone")
    first.stop()
    second = DatabaseEmulator(port=0, import_dir=str(tmp_path), export_on_exit=str(tmp_path))
    second.start()
    _put(second.address, "x", None, "gone")
    second.stop()
    assert list((tmp_path / "database_export").iterdir()) == []
