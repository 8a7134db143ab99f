"""Who is calling and from where."""

from __future__ import annotations

import time
import uuid
from typing import Any

from firebase_functions import https_fn

from flowchat.errors import Forbidden, NotAuthenticated


def caller_uid(req: https_fn.CallableRequest[Any]) -> str:
    """The signed-in user's id; UNAUTHENTICATED without an ID token."""
    if req.auth is None or not req.auth.uid:
        raise NotAuthenticated("sign in first")
    # The SDK verifies signature and expiry in production, but against the Auth emulator
    # the Admin SDK trusts the token's claims as they are: refuse expired ones here too.
    expiry = req.auth.token.get("exp")
    if isinstance(expiry, bool) or not isinstance(expiry, int) or expiry <= time.time():
        raise NotAuthenticated("the ID token has expired; sign in again")
    try:
        return str(uuid.UUID(req.auth.uid))
    except ValueError as exc:
        raise Forbidden("this sign-in has no FlowChat account") from exc


def client_address(req: https_fn.CallableRequest[Any]) -> str | None:
    """The caller's IP: the address our own front end saw (the last X-Forwarded-For hop)."""
    route = req.raw_request.access_route
    return route[-1] if route else req.raw_request.remote_addr
