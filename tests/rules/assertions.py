"""Outcome checks named by intent, for Firestore REST and Realtime Database REST answers."""

from __future__ import annotations

import httpx


def _describe(response: httpx.Response) -> str:
    return (
        f"{response.request.method} {response.request.url.path} -> "
        f"{response.status_code} {response.text[:300]}"
    )


def assert_allowed(response: httpx.Response) -> None:
    """The rules granted the request and it succeeded."""
    assert response.status_code == 200, _describe(response)


def assert_denied(response: httpx.Response) -> None:
    """Firestore refused the request with PERMISSION_DENIED (HTTP 403)."""
    assert response.status_code == 403, _describe(response)
    assert response.json()["error"]["status"] == "PERMISSION_DENIED", _describe(response)


def assert_rtdb_denied(response: httpx.Response) -> None:
    """The Realtime Database refused the request: 401 "Permission denied"."""
    assert response.status_code == 401, _describe(response)
    assert "Permission denied" in response.json()["error"], _describe(response)
