"""Credentials as the emulator sees them: "owner" is admin, JWTs are decoded unverified."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from emulator.database_rules import auth_from_claims

OWNER_TOKEN = "owner"


class InvalidTokenError(ValueError):
    """A credential that is neither "owner" nor a decodable JWT."""


@dataclass(frozen=True)
class Caller:
    """Who makes a request: admin bypasses rules; otherwise ``auth`` is the rules' auth."""

    admin: bool = False
    auth: dict[str, Any] | None = None


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
    return Caller(auth=auth_from_claims(claims_of(token)))


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
