"""--import / --export-on-exit: every database's documents in one JSON file,
``firestore_export.json``, with fields in the protobuf JSON mapping (types kept)."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from google.cloud.firestore_v1.types import Document
from google.protobuf import json_format

from emulator.firestore.backend import Backend
from emulator.firestore.names import DatabaseId
from emulator.firestore.protos import document_pb
from emulator.firestore.store import StoredDoc
from emulator.firestore.values import Timestamp, from_proto

log = logging.getLogger(__name__)
EXPORT_FILE = "firestore_export.json"
FORMAT_VERSION = 1


def export_to(backend: Backend, directory: str) -> str:
    """Writes every database to ``directory/firestore_export.json``; returns the path."""
    os.makedirs(directory, exist_ok=True)
    databases = []
    for database in backend.databases():
        with database.store.lock:
            docs = [_document_json(database.id, p, d) for p, d in database.store.all_documents()]
        if docs:
            databases.append(
                {
                    "project": database.id.project,
                    "database": database.id.database,
                    "documents": docs,
                }
            )
    target = os.path.join(directory, EXPORT_FILE)
    temporary = target + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"version": FORMAT_VERSION, "databases": databases}, handle)
    os.replace(temporary, target)
    return target


def import_from(backend: Backend, directory: str) -> int:
    """Loads an export into the backend; returns the number of documents loaded. A
    directory without a Firestore export (e.g. only the RTDB's) loads nothing."""
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"import directory {directory!r} does not exist")
    path = os.path.join(directory, EXPORT_FILE)
    if not os.path.exists(path):
        log.warning("No %s in %s: Firestore starts empty.", EXPORT_FILE, directory)
        return 0
    with open(path, encoding="utf-8") as handle:
        export = json.load(handle)
    if export.get("version") != FORMAT_VERSION:
        raise ValueError(f"unsupported export version {export.get('version')!r}")
    count = 0
    for entry in export["databases"]:
        database = backend.database(DatabaseId(entry["project"], entry["database"]))
        changes: dict[str, StoredDoc | None] = {}
        for item in entry["documents"]:
            changes[item["path"]] = _stored(item)
        database.store.apply(changes)
        count += len(changes)
    return count


def _document_json(database: DatabaseId, path: str, doc: StoredDoc) -> dict[str, Any]:
    message = json_format.MessageToDict(document_pb(database, path, doc))
    return {"path": path, "document": message}


def _stored(item: dict[str, Any]) -> StoredDoc:
    message = json_format.ParseDict(item["document"], Document.pb()())
    data = {key: from_proto(value) for key, value in message.fields.items()}
    return StoredDoc(
        data,
        Timestamp(message.create_time.seconds, message.create_time.nanos),
        Timestamp(message.update_time.seconds, message.update_time.nanos),
    )
