"""Build the rules' ``auth`` variable from the claims of a (decoded) Firebase ID token."""

from __future__ import annotations

from typing import Any


def auth_from_claims(claims: dict[str, Any] | None) -> dict[str, Any] | None:
    """{uid, provider, token} as rules see it; None (unauthenticated) without claims."""
    if not claims:
        return None
    uid = claims.get("user_id") or claims.get("sub") or claims.get("uid")
    firebase = claims.get("firebase")
    provider = firebase.get("sign_in_provider") if isinstance(firebase, dict) else None
    # Tokens without a sign-in provider come from custom tokens, as the emulators assume.
    return {"uid": uid, "provider": provider or "custom", "token": dict(claims)}
