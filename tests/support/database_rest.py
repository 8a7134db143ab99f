"""A Realtime Database REST client as Firebase documents it (``/{path}.json``, ID tokens)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.id_tokens import OWNER, bearer

SERVER_TIMESTAMP = {".sv": "timestamp"}


class DatabaseRest:
    """One database (namespace) on one emulator, reached over REST."""

    def __init__(self, host: str, namespace: str) -> None:
        self.namespace = namespace
        self.http = httpx.Client(base_url=f"http://{host}", params={"ns": namespace}, timeout=15.0)

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, uid: str | None) -> httpx.Response:
        return self.http.get(f"/{path}.json", headers=bearer(uid))

    def put(self, path: str, value: Any, uid: str | None) -> httpx.Response:
        return self.http.put(f"/{path}.json", content=json.dumps(value), headers=bearer(uid))

    def patch(self, path: str, value: dict[str, Any], uid: str | None) -> httpx.Response:
        """A multi-location update: every key of ``value`` is a path under ``path``."""
        return self.http.patch(f"/{path}.json", content=json.dumps(value), headers=bearer(uid))

    def delete(self, path: str, uid: str | None) -> httpx.Response:
        return self.http.delete(f"/{path}.json", headers=bearer(uid))

    def read(self, path: str) -> Any:
        """The value at ``path`` as the owner sees it (None when absent)."""
        response = self.get(path, OWNER)
        response.raise_for_status()
        return response.json()

    def reset(self, tree: dict[str, Any]) -> None:
        """Replaces the whole database with ``tree`` (rules bypassed)."""
        self.put("", tree, OWNER).raise_for_status()
