"""Unsigned (`alg: none`) Firebase ID tokens, as the Auth emulator issues them.

The one place tests, benches and scripts mint the tokens they act with: the local and the
official emulators accept them without a signature; production never does.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

PROJECT_ID = "demo-flowchat"
OWNER = "owner"  # the emulators' admin credential: bypasses rules
OWNER_HEADERS = {"Authorization": f"Bearer {OWNER}"}


def _segment(value: dict[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unsigned_jwt(claims: dict[str, Any]) -> str:
    """A JWT with exactly these claims and no signature."""
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(claims)}."


def id_token(
    uid: str, lifetime_seconds: int = 3600, *, project_id: str = PROJECT_ID, **claims: Any
) -> str:
    """An ID token for ``uid`` that expires ``lifetime_seconds`` from now; ``claims`` are
    added (custom claims) or override the standard ones."""
    now = int(time.time())
    payload = {
        "iss": f"https://securetoken.google.com/{project_id}",
        "aud": project_id,
        "auth_time": now,
        "iat": now,
        "exp": now + lifetime_seconds,
        "sub": uid,
        "user_id": uid,
        "firebase": {"sign_in_provider": "custom", "identities": {}},
        **claims,
    }
    return unsigned_jwt(payload)


def bearer(uid: str | None, **claims: Any) -> dict[str, str]:
    """Authorization headers for a user (with extra ``claims``), for the owner ("owner") or
    for nobody (None)."""
    if uid is None:
        return {}
    token = OWNER if uid == OWNER else id_token(uid, **claims)
    return {"Authorization": f"Bearer {token}"}


def claims_bearer(claims: dict[str, Any] | None) -> dict[str, str]:
    """Authorization headers carrying exactly these claims (nobody when None)."""
    return {} if claims is None else {"Authorization": f"Bearer {unsigned_jwt(claims)}"}


def token_bearer(token: str | None) -> dict[str, str]:
    """Authorization headers for an ID token issued elsewhere (the Auth emulator)."""
    return {"Authorization": f"Bearer {token}"} if token else {}
