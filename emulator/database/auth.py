"""Credentials as the emulator sees them: "owner" is admin, JWTs are decoded unverified."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

from emulator.database_rules import auth_from_claims

OWNER_TOKEN = "owner"


class InvalidTokenError(ValueError):
    """A credential that is neither "owner" nor a decodable JWT."""


class ExpiredTokenError(InvalidTokenError):
    """A JWT whose ``exp`` has passed."""


@dataclass(frozen=True)
class Caller:
    """Who makes a request: admin bypasses rules; otherwise ``auth`` is the rules' auth."""

    admin: bool = False
    auth: dict[str, Any] | None = None

    def expires_at(self) -> float | None:
        """When the caller's token expires (epoch seconds); None when it never does here.

        The SDKs' emulator mock tokens are issued at epoch 0 and so "expired" in 1970; the
        official emulator accepts them, so only tokens with a real ``iat`` expire."""
        token = (self.auth or {}).get("token")
        if not isinstance(token, dict):
            return None
        issued, expires = token.get("iat"), token.get("exp")
        if not isinstance(issued, int | float) or issued <= 0:
            return None
        return float(expires) if isinstance(expires, int | float) else None

    def expired(self) -> bool:
        """Whether the caller's token has expired."""
        expires = self.expires_at()
        return expires is not None and expires <= time.time()


ADMIN = Caller(admin=True)
ANONYMOUS = Caller()


def _decode_segment(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def claims_of(token: str) -> dict[str, Any]:
    """The payload of a JWT, without checking its signature (as the official emulator)."""
    parts = token.split(".")
    if len(parts) not in (2, 3):
        raise InvalidTokenError("Could not parse auth token.")
    try:
        claims = _decode_segment(parts[1])
    except ValueError as error:
        raise InvalidTokenError("Could not parse auth token.") from error
    if not isinstance(claims, dict):
        raise InvalidTokenError("Could not parse auth token.")
    return claims


def caller_for(token: str | None, auth_override: str | None = None) -> Caller:
    """The caller for a REST ``auth=`` / Bearer token or a WebSocket credential."""
    if not token:
        return ANONYMOUS
    if token == OWNER_TOKEN:
        return _admin_with_override(auth_override)
    caller = Caller(auth=auth_from_claims(claims_of(token)))
    if caller.expired():
        raise ExpiredTokenError("Auth token is expired.")
    return caller


def _admin_with_override(auth_override: str | None) -> Caller:
    # auth_variable_override lets an admin act as a given user (or as nobody, "null").
    if auth_override is None:
        return ADMIN
    try:
        override = json.loads(auth_override)
    except ValueError as error:
        raise InvalidTokenError("auth_variable_override must be JSON") from error
    if override is not None and not isinstance(override, dict):
        raise InvalidTokenError("auth_variable_override must be an object or null")
    return Caller(auth=override)
