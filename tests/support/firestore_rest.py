"""A Firestore REST client as a web or mobile client talks to it (JSON over HTTP, ID tokens).

Documents are plain Python dicts; ``SERVER_TIME`` in a top-level field becomes a
``REQUEST_TIME`` field transform, as the SDKs send ``serverTimestamp()``.

Calls act as a user given by uid (an unsigned ID token is minted; None: signed out; OWNER:
admin); with ``credentials=token_bearer`` they take ID tokens the Auth emulator issued.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx

from tests.support.id_tokens import OWNER, bearer


class _ServerTime:
    """Marker for a field the server sets to the request time."""

    def __repr__(self) -> str:
        return "SERVER_TIME"


SERVER_TIME = _ServerTime()
Write = dict[str, Any]


def encode_value(value: Any) -> dict[str, Any]:
    """A Python value in the JSON mapping of ``google.firestore.v1.Value``."""
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, bytes):
        return {"bytesValue": base64.b64encode(value).decode()}
    if isinstance(value, dt.datetime):
        return {"timestampValue": value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")}
    if isinstance(value, list):
        return {"arrayValue": {"values": [encode_value(item) for item in value]}}
    if isinstance(value, dict):
        return {"mapValue": {"fields": encode_fields(value)}}
    raise TypeError(f"cannot encode {value!r}")


def encode_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {key: encode_value(item) for key, item in data.items()}


def decode_value(value: dict[str, Any]) -> Any:
    """The Python form of a JSON ``Value``."""
    ((kind, raw),) = value.items()
    if kind == "nullValue":
        return None
    if kind == "integerValue":
        return int(raw)
    if kind == "bytesValue":
        return base64.b64decode(raw)
    if kind == "timestampValue":
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if kind == "arrayValue":
        return [decode_value(item) for item in raw.get("values", [])]
    if kind == "mapValue":
        return decode_fields(raw.get("fields", {}))
    return raw


def decode_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: decode_value(item) for key, item in fields.items()}


class FirestoreRest:
    """One project's documents on one emulator, reached over REST."""

    def __init__(
        self,
        host: str,
        project_id: str,
        *,
        credentials: Callable[[str | None], dict[str, str]] = bearer,
        timeout: float = 15.0,
    ) -> None:
        self.project_id = project_id
        self.root = f"projects/{project_id}/databases/(default)/documents"
        self.http = httpx.Client(base_url=f"http://{host}", timeout=timeout)
        self.credentials = credentials

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> FirestoreRest:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def name(self, path: str) -> str:
        return f"{self.root}/{path}"

    # ---- writes ----

    def set_write(self, path: str, data: dict[str, Any]) -> Write:
        """``setDoc``: replaces the whole document, creating it if missing."""
        return self._update_write(path, data, mask=None)

    def create_write(self, path: str, data: dict[str, Any]) -> Write:
        """A write that fails when the document already exists."""
        return {**self.set_write(path, data), "currentDocument": {"exists": False}}

    def merge_write(self, path: str, data: dict[str, Any]) -> Write:
        """``setDoc(..., {merge: true})``: sets the given fields, keeps the others."""
        plain = [key for key, value in data.items() if value is not SERVER_TIME]
        return self._update_write(path, data, mask=plain)

    def update_write(self, path: str, data: dict[str, Any]) -> Write:
        """``updateDoc``: changes the given top-level fields of an existing document."""
        plain = [key for key, value in data.items() if value is not SERVER_TIME]
        write = self._update_write(path, data, mask=plain)
        return {**write, "currentDocument": {"exists": True}}

    def delete_write(self, path: str) -> Write:
        return {"delete": self.name(path)}

    def _update_write(self, path: str, data: dict[str, Any], mask: list[str] | None) -> Write:
        plain = {key: value for key, value in data.items() if value is not SERVER_TIME}
        write: Write = {"update": {"name": self.name(path), "fields": encode_fields(plain)}}
        if mask is not None:
            write["updateMask"] = {"fieldPaths": mask}
        stamped = [key for key, value in data.items() if value is SERVER_TIME]
        if stamped:
            write["updateTransforms"] = [
                {"fieldPath": key, "setToServerValue": "REQUEST_TIME"} for key in stamped
            ]
        return write

    def commit(self, writes: list[Write], uid: str | None) -> httpx.Response:
        """One atomic batch, sent as ``uid`` (None: signed out; OWNER: admin)."""
        return self.http.post(
            f"/v1/{self.root}:commit", json={"writes": writes}, headers=self.credentials(uid)
        )

    # ---- reads ----

    def get(self, path: str, uid: str | None) -> httpx.Response:
        return self.http.get(f"/v1/{self.name(path)}", headers=self.credentials(uid))

    def list_documents(self, collection_path: str, uid: str | None) -> httpx.Response:
        """GET a collection: a listing query, checked by the rules like any other."""
        return self.http.get(f"/v1/{self.name(collection_path)}", headers=self.credentials(uid))

    def query(
        self,
        collection_path: str,
        uid: str | None,
        where: tuple[str, str, Any] | None = None,
        limit: int | None = None,
        group: bool = False,
    ) -> httpx.Response:
        """A structured query on one collection, as ``getDocs(query(...))`` sends it; with
        ``group``, on every collection of that id (``collectionGroup``)."""
        parent, _, collection_id = collection_path.rpartition("/")
        selector: dict[str, Any] = {"collectionId": collection_id}
        if group:
            selector["allDescendants"] = True
        query: dict[str, Any] = {"from": [selector]}
        if where is not None:
            field, op, value = where
            if op == "EQUAL" and value is None:  # where(field, "==", null), as the SDKs send it
                query["where"] = {"unaryFilter": {"field": {"fieldPath": field}, "op": "IS_NULL"}}
            else:
                query["where"] = {
                    "fieldFilter": {
                        "field": {"fieldPath": field},
                        "op": op,
                        "value": encode_value(value),
                    }
                }
        if limit is not None:
            query["limit"] = limit
        base = f"{self.root}/{parent}" if parent else self.root
        return self.http.post(
            f"/v1/{base}:runQuery", json={"structuredQuery": query}, headers=self.credentials(uid)
        )

    def read(self, path: str) -> dict[str, Any] | None:
        """A document's fields as the owner sees them, or None when it does not exist."""
        response = self.get(path, OWNER)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return decode_fields(response.json().get("fields", {}))

    # ---- control ----

    def clear(self) -> None:
        """Deletes every document, as the official emulator's control endpoint does."""
        response = self.http.delete(
            f"/emulator/v1/projects/{self.project_id}/databases/(default)/documents"
        )
        response.raise_for_status()

    def seed(self, documents: dict[str, dict[str, Any]]) -> None:
        """Writes documents as the owner (rules bypassed)."""
        writes = [self.set_write(path, data) for path, data in documents.items()]
        for start in range(0, len(writes), 400):
            self.commit(writes[start : start + 400], OWNER).raise_for_status()
