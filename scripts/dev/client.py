"""What a client does over HTTP: call callables, sign in at the Auth emulator, read Firestore."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

import httpx

TIMEOUT = httpx.Timeout(30.0)


class CallableError(Exception):
    """A callable answered with an error: its canonical status (e.g. NOT_FOUND) and message."""

    def __init__(self, status: str, message: str, http_status: int) -> None:
        super().__init__(f"{status}: {message}")
        self.status, self.message, self.http_status = status, message, http_status


@dataclass(frozen=True)
class FunctionsClient:
    """Callables served by the Functions emulator, invoked with the callable protocol."""

    host: str
    project_id: str
    region: str = "us-central1"

    def url(self, name: str) -> str:
        """The emulator URL of one function."""
        return f"http://{self.host}/{self.project_id}/{self.region}/{name}"

    def call(self, name: str, data: Any, id_token: str | None = None) -> Any:
        """POST {"data": ...}; returns "result" or raises CallableError with the error status."""
        headers = {"Authorization": f"Bearer {id_token}"} if id_token else {}
        response = httpx.post(self.url(name), json={"data": data}, headers=headers, timeout=TIMEOUT)
        body = response.json()
        if "error" in body:
            error = body["error"]
            raise CallableError(
                error.get("status", "UNKNOWN"), error.get("message", ""), response.status_code
            )
        response.raise_for_status()
        return body["result"]


@dataclass(frozen=True)
class AuthEmulatorClient:
    """The Auth emulator's Identity Toolkit REST API, as the JS SDK uses it."""

    host: str

    def sign_in_with_custom_token(self, custom_token: str) -> str:
        """Exchanges a custom token for an ID token (signInWithCustomToken)."""
        response = httpx.post(
            f"http://{self.host}/identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken",
            params={"key": "fake-api-key"},
            json={"token": custom_token, "returnSecureToken": True},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return str(response.json()["idToken"])


@dataclass(frozen=True)
class FirestoreRestClient:
    """Firestore's REST API as a web client reaches it, signed in with an ID token."""

    host: str
    project_id: str

    def document_url(self, path: str) -> str:
        """The REST URL of the document at `path` (e.g. "users/u1/rooms/r1")."""
        return f"{self.documents_url()}/{path}"

    def get(self, path: str, id_token: str | None) -> httpx.Response:
        """GET one document under the security rules (anonymous when id_token is None)."""
        headers = {"Authorization": f"Bearer {id_token}"} if id_token else {}
        return httpx.get(self.document_url(path), headers=headers, timeout=TIMEOUT)

    def documents_url(self) -> str:
        """The REST URL of the database's documents root."""
        return f"http://{self.host}/v1/projects/{self.project_id}/databases/(default)/documents"

    def document_name(self, path: str) -> str:
        """The full resource name of a document, as commit writes name it."""
        return f"projects/{self.project_id}/databases/(default)/documents/{path}"

    def list(self, collection_path: str, id_token: str | None) -> httpx.Response:
        """GET a collection (a listing query) under the security rules."""
        headers = {"Authorization": f"Bearer {id_token}"} if id_token else {}
        return httpx.get(
            f"{self.documents_url()}/{collection_path}", headers=headers, timeout=TIMEOUT
        )

    def commit(self, writes: builtins.list[dict[str, Any]], id_token: str | None) -> httpx.Response:
        """POST documents:commit: several writes applied together, rules checked on each."""
        headers = {"Authorization": f"Bearer {id_token}"} if id_token else {}
        return httpx.post(
            f"{self.documents_url()}:commit",
            json={"writes": writes},
            headers=headers,
            timeout=TIMEOUT,
        )
