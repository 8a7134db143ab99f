"""What the HTTP handlers share: the store and per-request helpers (namespace, caller)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from emulator.database import namespaces, paths
from emulator.database.auth import Caller, caller_for
from emulator.database.store import Store

CONTEXT_KEY: web.AppKey[EmulatorContext] = web.AppKey("rtdb_context")


@dataclass
class EmulatorContext:
    """Shared state of one running emulator."""

    store: Store
    default_namespace: str
    keep_alive_seconds: float = 30.0


def context_of(request: web.Request) -> EmulatorContext:
    """The emulator context of the app serving ``request``."""
    return request.app[CONTEXT_KEY]


def namespace_of(request: web.Request) -> str:
    """The namespace a request addresses."""
    ctx = context_of(request)
    return namespaces.resolve(request.query.get("ns"), request.host, ctx.default_namespace)


def request_token(request: web.Request) -> str | None:
    """The credential of a REST request: ``auth=`` or ``access_token=`` or a Bearer header."""
    token = request.query.get("auth") or request.query.get("access_token")
    header = request.headers.get("Authorization", "")
    if not token and header.lower().startswith("bearer "):
        token = header[7:].strip()
    return token or None


def caller_of(request: web.Request) -> Caller:
    """The caller of a REST request (raises InvalidTokenError for undecodable tokens)."""
    return caller_for(request_token(request), request.query.get("auth_variable_override"))


def json_response(
    body: Any, status: int = 200, pretty: bool = False, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response as the Realtime Database formats it."""
    text = json.dumps(body, indent=2 if pretty else None, ensure_ascii=False)
    if paths.utf8_size(text) is None:  # an error message echoing a lone surrogate
        text = json.dumps(body, indent=2 if pretty else None)
    return web.Response(text=text, status=status, content_type="application/json", headers=headers)


async def body_text(request: web.Request) -> str | None:
    """The request body as text, None when it is not valid UTF-8."""
    try:
        return (await request.read()).decode()
    except UnicodeDecodeError:
        return None


def error_response(message: str, status: int) -> web.Response:
    """``{"error": message}`` with the given status."""
    return json_response({"error": message}, status=status)
