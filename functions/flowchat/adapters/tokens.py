"""Firebase custom tokens (unsigned against the Auth emulator, signed in production)."""

from __future__ import annotations

import time
from typing import Any

from firebase_admin import auth

from flowchat.adapters import firebase_app


def custom_token(uid: str, claims: dict[str, Any]) -> str:
    """A custom token the client exchanges with signInWithCustomToken."""
    token = auth.create_custom_token(uid, claims or None, app=firebase_app.app())
    return token.decode() if isinstance(token, bytes) else token


def uid_of_id_token(token: str) -> str | None:
    """The uid of a valid, unrevoked-by-expiry Firebase ID token; None for anything else."""
    try:
        claims = auth.verify_id_token(token, app=firebase_app.app())
    except (ValueError, auth.InvalidIdTokenError, auth.ExpiredIdTokenError):
        return None
    # Checked here too: against the Auth emulator the Admin SDK skips the expiry check.
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= time.time():
        return None
    uid = claims.get("uid") or claims.get("sub")
    return str(uid) if uid else None
