"""What a client does over HTTP besides Firestore: call callables, sign in at the Auth emulator.

(Firestore over REST is `tests.support.firestore_rest`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.id_tokens import token_bearer

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
        response = httpx.post(
            self.url(name), json={"data": data}, headers=token_bearer(id_token), timeout=TIMEOUT
        )
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
