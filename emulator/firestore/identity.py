"""Who a request comes from, read from its Authorization header as the official
emulator does: ``Bearer owner`` is an admin (rules bypassed); any other Bearer JWT is
decoded without verification into ``request.auth``; no header is unauthenticated."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import grpc

from emulator.firestore.errors import FirestoreError


@dataclass(frozen=True)
class Caller:
    admin: bool
    auth: dict[str, Any] | None  # {"uid": ..., "token": {claims}} or None

    @property
    def description(self) -> str:
        if self.admin:
            return "admin"
        return f"uid {self.auth['uid']}" if self.auth else "unauthenticated"


ADMIN = Caller(admin=True, auth=None)
ANONYMOUS = Caller(admin=False, auth=None)


def caller_from_header(header: str | None) -> Caller:
    """The caller an Authorization header value names."""
    if not header:
        return ANONYMOUS
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthenticated("Authorization must be 'Bearer <token>'.")
    if token == "owner":
        return ADMIN
    claims = _claims(token)
    uid = claims.get("user_id") or claims.get("sub")
    if not isinstance(uid, str) or not uid:
        raise _unauthenticated("The ID token has no 'sub' / 'user_id' claim.")
    return Caller(admin=False, auth={"uid": uid, "token": claims})


def caller_of(context: grpc.ServicerContext) -> Caller:
    """The caller of a gRPC call, from its ``authorization`` metadata."""
    return caller_from_header(dict(context.invocation_metadata()).get("authorization"))


def _claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) < 2:
        raise _unauthenticated("The Bearer token is not a JWT.")
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as error:
        raise _unauthenticated(f"The Bearer token cannot be decoded: {error}") from None
    if not isinstance(claims, dict):
        raise _unauthenticated("The JWT payload is not an object.")
    return claims


def _unauthenticated(message: str) -> FirestoreError:
    return FirestoreError(grpc.StatusCode.UNAUTHENTICATED, message)
