"""Drive a Realtime Database emulator over REST exactly as a client or the CLI would."""

from __future__ import annotations

import json
import os
from typing import Any

import httpx

from tests.support.id_tokens import OWNER_HEADERS, claims_bearer, unsigned_jwt

from .case_types import Operation, Read, RulesCase, Set


def external_emulator() -> str | None:
    """host:port of an already running emulator to test against, if requested."""
    if os.environ.get("FLOWCHAT_EXTERNAL_EMULATORS") == "1":
        return os.environ["FIREBASE_DATABASE_EMULATOR_HOST"]
    return None


class NamespaceClient:
    """One case's namespace: set rules and seed data as owner, then act as the case's user.

    The user's ID token goes in an ``Authorization: Bearer`` header, or in the ``auth=``
    query parameter when ``auth_param`` is set (both are documented REST credentials).
    """

    def __init__(self, http: httpx.Client, namespace: str, auth_param: bool = False) -> None:
        self.http = http
        self.namespace = namespace
        self.auth_param = auth_param

    def url(self, path: str) -> str:
        """The REST URL of a database path."""
        return f"/{path.strip('/')}.json" if path.strip("/") else "/.json"

    def set_rules(self, rules: dict[str, Any]) -> None:
        """PUT /.settings/rules.json with owner credentials."""
        response = self.http.put(
            "/.settings/rules.json",
            params={"ns": self.namespace},
            headers=OWNER_HEADERS,
            content=json.dumps({"rules": rules}),
        )
        assert response.status_code == 200, response.text

    def seed(self, data: Any) -> None:
        """Replace the whole namespace as owner (rules bypassed)."""
        response = self.http.put(
            "/.json", params={"ns": self.namespace}, headers=OWNER_HEADERS, content=json.dumps(data)
        )
        assert response.status_code == 200, response.text

    def owner_get(self, path: str = "") -> Any:
        """The stored value at ``path``, read as owner."""
        response = self.http.get(
            self.url(path), params={"ns": self.namespace}, headers=OWNER_HEADERS
        )
        assert response.status_code == 200, response.text
        return response.json()

    def perform(self, case: RulesCase) -> httpx.Response:
        """Send the case's operation as its user would."""
        op: Operation = case.op
        params: dict[str, Any] = {"ns": self.namespace}
        headers = {}
        if self.auth_param and case.auth is not None:
            params["auth"] = unsigned_jwt(case.auth)
        else:
            headers = claims_bearer(case.auth)
        if isinstance(op, Read):
            return self.http.get(self.url(op.path), params={**params, **op.query}, headers=headers)
        method, body = ("PUT", op.value) if isinstance(op, Set) else ("PATCH", op.values)
        return self.http.request(
            method, self.url(op.path), params=params, headers=headers, content=json.dumps(body)
        )
