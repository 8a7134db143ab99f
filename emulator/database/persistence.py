"""--import / --export-on-exit for the Realtime Database, in the official emulators' layout:
``firebase-export-metadata.json`` with a ``database`` section naming the folder, and
``database_export/<namespace>.json`` holding each namespace's whole tree (priorities
kept, as ``format=export`` gives it)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from emulator.database import tree
from emulator.database.store import Store

log = logging.getLogger(__name__)
METADATA_FILE = "firebase-export-metadata.json"
DATABASE_FOLDER = "database_export"
VERSION = "flowchat-emulator"


def has_export(directory: str | Path) -> bool:
    """Whether ``directory`` holds a Realtime Database export."""
    return _folder(Path(directory)).is_dir()


def export_to(store: Store, directory: str | Path) -> Path:
    """Writes every non-empty namespace, then the metadata naming them; returns the folder.

    Call while nothing writes (the emulator's loop has stopped)."""
    root = Path(directory)
    folder = root / DATABASE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.json"):
        stale.unlink()
    for name in store.namespace_names():
        data = store.namespace(name).root
        if data is not None:
            _write_json(folder / f"{name}.json", data)
    metadata = _read_metadata(root)
    metadata.setdefault("version", VERSION)
    metadata["database"] = {"version": VERSION, "path": DATABASE_FOLDER}
    _write_json(root / METADATA_FILE, metadata)
    return folder


def import_from(store: Store, directory: str | Path) -> int:
    """Loads every ``<namespace>.json`` of an export; returns how many namespaces.

    Call before the emulator serves. A directory without an RTDB export loads nothing."""
    folder = _folder(Path(directory))
    if not folder.is_dir():
        log.warning("No Realtime Database export in %s: it starts empty.", directory)
        return 0
    count = 0
    for path in sorted(folder.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        store.namespace(path.stem).root = tree.normalize(data)
        count += 1
    return count


def _folder(root: Path) -> Path:
    """The export folder the metadata names (``database_export`` by default)."""
    section = _read_metadata(root).get("database") or {}
    return root / str(section.get("path") or DATABASE_FOLDER)


def _read_metadata(root: Path) -> dict[str, Any]:
    try:
        with (root / METADATA_FILE).open(encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write_json(target: Path, value: Any) -> None:
    """Replaces ``target`` atomically, so a crash never leaves half a file."""
    temporary = target.with_suffix(target.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False)
    os.replace(temporary, target)
