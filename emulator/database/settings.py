"""``/.settings/rules.json``: read or replace a namespace's rules with owner credentials."""

from __future__ import annotations

from aiohttp import web

from emulator.database.auth import InvalidTokenError
from emulator.database.context import (
    body_text,
    caller_of,
    context_of,
    error_response,
    json_response,
    namespace_of,
)
from emulator.database.rest import PERMISSION_DENIED
from emulator.database.store import PermissionDeniedError, Store
from emulator.database_rules.api import RulesLoadError


def rules_store(request: web.Request) -> tuple[Store, str]:
    """The store and namespace of a rules request (owner credentials only)."""
    if not caller_of(request).admin:
        raise PermissionDeniedError(PERMISSION_DENIED)
    return context_of(request).store, namespace_of(request)


async def handle_rules(request: web.Request) -> web.StreamResponse:
    """GET returns the rules text; PUT loads new rules (400 when they do not parse)."""
    try:
        store, name = rules_store(request)
    except (InvalidTokenError, PermissionDeniedError):
        return error_response(PERMISSION_DENIED, 401)
    if request.method == "GET":
        return web.Response(text=store.namespace(name).rules_text, content_type="application/json")
    if request.method != "PUT":
        return error_response("Method not allowed", 405)
    text = await body_text(request)
    if text is None:
        return error_response("rules must be UTF-8 text", 400)
    try:
        store.set_rules(name, text)
    except RulesLoadError as error:
        return error_response(str(error), 400)
    return json_response({"status": "ok"})
