"""Unsigned (`alg: none`) Firebase ID tokens, as the Auth emulator issues them."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

PROJECT_ID = "demo-flowchat"
OWNER = "owner"  # the emulators' admin credential: bypasses rules


def _segment(value: dict[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def id_token(uid: str, lifetime_seconds: int = 3600, **claims: Any) -> str:
    """An ID token for ``uid`` that expires ``lifetime_seconds`` from now."""
    now = int(time.time())
    payload = {
        "iss": f"https://securetoken.google.com/{PROJECT_ID}",
        "aud": PROJECT_ID,
        "auth_time": now,
        "iat": now,
        "exp": now + lifetime_seconds,
        "sub": uid,
        "user_id": uid,
        "firebase": {"sign_in_provider": "custom", "identities": {}},
        **claims,
    }
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(payload)}."


def bearer(uid: str | None) -> dict[str, str]:
    """Authorization headers for a user, for the owner ("owner") or for nobody (None)."""
    if uid is None:
        return {}
    token = OWNER if uid == OWNER else id_token(uid)
    return {"Authorization": f"Bearer {token}"}
