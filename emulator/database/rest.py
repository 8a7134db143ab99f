"""REST API: GET / PUT / PATCH / POST / DELETE on ``/{path}.json``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from aiohttp import web

from emulator.database import paths, query, tree
from emulator.database.auth import Caller, InvalidTokenError
from emulator.database.context import (
    body_text,
    caller_of,
    context_of,
    error_response,
    json_response,
    namespace_of,
)
from emulator.database.hashing import etag
from emulator.database.server_values import InvalidServerValueError
from emulator.database.store import (
    InvalidUpdateError,
    PermissionDeniedError,
    PreconditionFailedError,
)
from emulator.database.tree import InvalidDataError

PERMISSION_DENIED = "Permission denied"
_JS_NAME = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")
_BAD_JSON = "Invalid data; couldn't parse JSON object, array, or value."


def data_path(request: web.Request) -> str:
    """The database path of a REST URL (``/a/b.json`` → ``a/b``)."""
    raw = request.match_info.get("tail", "")
    if not raw.endswith(".json"):
        raise web.HTTPNotFound(
            text='{"error": "Paths must end in .json"}', content_type="application/json"
        )
    return paths.validate(raw[: -len(".json")])


def _wants_etag(request: web.Request) -> bool:
    return request.headers.get("X-Firebase-ETag", "").lower() == "true"


def _silent(request: web.Request) -> bool:
    return request.query.get("print") == "silent"


def _pretty(request: web.Request) -> bool:
    return request.query.get("print") == "pretty"


async def handle_rest(request: web.Request) -> web.StreamResponse:
    """Dispatches one REST request, turning expected failures into Firebase's errors."""
    method = (
        request.headers.get("X-HTTP-Method-Override")
        or request.query.get("x-http-method-override")
        or request.method
    )
    handler = _HANDLERS.get(method.upper())
    if handler is None:
        return error_response("Method not allowed", 405)
    try:
        return await handler(request, data_path(request), caller_of(request))
    except InvalidTokenError as error:
        return error_response(str(error), 401)
    except PermissionDeniedError:
        return error_response(PERMISSION_DENIED, 401)
    except (
        paths.InvalidPathError,
        query.InvalidQueryError,
        InvalidDataError,
        InvalidServerValueError,
        InvalidUpdateError,
    ) as error:
        return error_response(str(error), 400)


async def _read_body(request: web.Request) -> Any:
    text = await body_text(request)
    if text is None:
        raise InvalidDataError(_BAD_JSON)
    try:
        return json.loads(text)
    except ValueError as error:
        raise InvalidDataError(_BAD_JSON) from error


async def _get(request: web.Request, path: str, caller: Caller) -> web.StreamResponse:
    ctx, name = context_of(request), namespace_of(request)
    spec = query.from_rest(dict(request.query))
    if request.headers.get("Accept", "").startswith("text/event-stream"):
        from emulator.database.sse import stream  # streaming lives in its own module

        return await stream(request, name, path, caller, spec)
    ctx.store.check_read(name, path, caller, spec.to_rules_query() if spec else None)
    value = ctx.store.get(name, path)
    # if-none-match callers (firebase_admin's get_if_changed) read the new ETag back.
    wants_tag = _wants_etag(request) or "if-none-match" in request.headers
    tag = etag(value) if wants_tag else ""  # hashing a large tree is costly: only on demand
    if wants_tag and request.headers.get("if-none-match") == tag:
        return web.Response(status=304, headers={"ETag": tag})
    export = request.query.get("format") == "export"
    # Query results render like any node (integer keys may become an array, as in Firebase).
    if request.query.get("shallow") == "true":
        if spec is not None:
            raise query.InvalidQueryError("shallow cannot be used with query parameters")
        body = tree.shallow(value)
    else:
        body = tree.render(spec.apply(value) if spec else value, export)
    headers = {"ETag": tag} if wants_tag else {}
    if request.query.get("download"):
        # Quotes and control characters would break (or inject into) the header.
        filename = "".join(ch for ch in request.query["download"] if ch != '"' and ch.isprintable())
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if _silent(request):
        return web.Response(status=204)
    callback = request.query.get("callback")
    if callback is not None:
        return _jsonp(callback, body)
    return json_response(body, pretty=_pretty(request), headers=headers)


def _jsonp(callback: str, body: Any) -> web.Response:
    """``callback=name``: the data wrapped in a call, for script-tag clients (JSONP)."""
    if not _JS_NAME.fullmatch(callback):
        raise query.InvalidQueryError("callback must be a JavaScript function name")
    return web.Response(
        text=f"{callback}({json.dumps(body)});", content_type="application/javascript"
    )


def _etag_guard(request: web.Request) -> Callable[[Any], bool] | None:
    expected = request.headers.get("if-match")
    if expected is None:
        return None
    return lambda current: etag(current) == expected


async def _set(request: web.Request, path: str, value: Any, caller: Caller) -> web.StreamResponse:
    """A PUT or DELETE: sets ``value``, guarded by if-match (412 with the current value)."""
    store, name = context_of(request).store, namespace_of(request)
    try:
        change = store.set(name, path, value, caller, precondition=_etag_guard(request))
    except PreconditionFailedError as failed:
        return json_response(
            tree.render(failed.current), status=412, headers={"ETag": etag(failed.current)}
        )
    return _write_response(request, tree.get(change.after, path))


async def _put(request: web.Request, path: str, caller: Caller) -> web.StreamResponse:
    return await _set(request, path, await _read_body(request), caller)


async def _patch(request: web.Request, path: str, caller: Caller) -> web.StreamResponse:
    store, name = context_of(request).store, namespace_of(request)
    value = await _read_body(request)
    if not isinstance(value, dict):
        raise InvalidDataError("Invalid data; couldn't parse JSON object.")
    change = store.update(name, path, value, caller)
    written = {
        paths.relative(path, target): tree.render(tree.get(change.after, target))
        for target in change.updates
    }
    return _write_response(request, written, render=False)


async def _post(request: web.Request, path: str, caller: Caller) -> web.StreamResponse:
    store, name = context_of(request).store, namespace_of(request)
    value = await _read_body(request)
    key, _ = store.push(name, path, value, caller)
    if _silent(request):
        return web.Response(status=204)
    return json_response({"name": key}, pretty=_pretty(request))


async def _delete(request: web.Request, path: str, caller: Caller) -> web.StreamResponse:
    return await _set(request, path, None, caller)


def _write_response(request: web.Request, value: Any, render: bool = True) -> web.Response:
    if _silent(request):
        return web.Response(status=204)
    # Conditional writers (firebase_admin's set_if_unchanged) get the new value's ETag.
    wants_tag = _wants_etag(request) or "if-match" in request.headers
    headers = {"ETag": etag(value)} if wants_tag else None
    body = tree.render(value) if render else value
    return json_response(body, pretty=_pretty(request), headers=headers)


_HANDLERS = {"GET": _get, "PUT": _put, "PATCH": _patch, "POST": _post, "DELETE": _delete}
