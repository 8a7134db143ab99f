"""Firebase custom tokens (unsigned against the Auth emulator, signed in production)."""

from __future__ import annotations

from typing import Any

from firebase_admin import auth

from flowchat.adapters import firebase_app


def custom_token(uid: str, claims: dict[str, Any]) -> str:
    """A custom token the client exchanges with signInWithCustomToken."""
    token = auth.create_custom_token(uid, claims or None, app=firebase_app.app())
    return token.decode() if isinstance(token, bytes) else token
