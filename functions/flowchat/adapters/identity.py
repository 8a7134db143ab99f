"""Firebase Authentication users: revoke their sessions, delete them.

Accounts live in PostgreSQL; a Firebase Auth user exists once the client has signed in
with a custom token, so "no such user" means there is nothing to revoke or delete.
A client is built per call so that it reads FIREBASE_AUTH_EMULATOR_HOST as it is now.
"""

from __future__ import annotations

from firebase_admin import auth

from flowchat.adapters import firebase_app


def revoke_sessions(uid: str) -> None:
    """Invalidate every refresh token of the user (ID tokens die within the hour)."""
    try:
        _client().revoke_refresh_tokens(uid)
    except auth.UserNotFoundError:
        return


def delete_user(uid: str) -> None:
    """Remove the Firebase Auth user (and with it every session)."""
    try:
        _client().delete_user(uid)
    except auth.UserNotFoundError:
        return


def exists(uid: str) -> bool:
    try:
        _client().get_user(uid)
    except auth.UserNotFoundError:
        return False
    return True


def _client() -> auth.Client:
    return auth.Client(firebase_app.app())
