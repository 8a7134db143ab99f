"""The REST surface (HTTP/1.1 JSON) of the Firestore API and the emulator's control
endpoints, on the same service as gRPC."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

import grpc
from aiohttp import web
from google.protobuf import json_format

from emulator.firestore.backend import Backend
from emulator.firestore.blocking import BlockingPool
from emulator.firestore.coverage_api import coverage_handler
from emulator.firestore.errors import FirestoreError, invalid
from emulator.firestore.identity import Caller, caller_from_header
from emulator.firestore.names import parse_database
from emulator.firestore.rpc_table import BY_NAME, BY_REST_VERB, RestScope, Shape
from emulator.firestore.rules import RulesRegistry
from emulator.firestore.service import FirestoreService
from emulator.firestore.verify import parse_json
from emulator.firestore_rules.api import RulesLoadError

log = logging.getLogger(__name__)


def _to_json(message: Any) -> Any:
    return json_format.MessageToDict(message)


def _error_response(error: FirestoreError) -> web.Response:
    return web.json_response(error.to_json(), status=error.http_status)


@web.middleware
async def _json_errors(request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
    """Unrouted paths and emulator bugs still answer a Google JSON error."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        status = {404: grpc.StatusCode.NOT_FOUND, 405: grpc.StatusCode.UNIMPLEMENTED}.get(
            error.status, grpc.StatusCode.INVALID_ARGUMENT
        )
        return web.json_response(
            FirestoreError(status, error.reason).to_json(), status=error.status
        )
    except Exception:
        log.exception("Firestore emulator bug on %s %s", request.method, request.path)
        body = {
            "error": {
                "code": 500,
                "message": "Internal emulator error (see its log).",
                "status": "INTERNAL",
            }
        }
        return web.json_response(body, status=500)


# Google's system parameters, accepted on every API URL and not part of the request message
# (e.g. the documented `?key=API_KEY` in curl examples).
_SYSTEM_PARAMS = frozenset(
    {
        "key",
        "alt",
        "$alt",
        "prettyPrint",
        "quotaUser",
        "$.xgafv",
        "callback",
        "fields",
        "userIp",
        "upload_protocol",
        "uploadType",
    }
)

_CORS_ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"


@web.middleware
async def _cors(request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
    """Browsers may call the REST API from a dev server's origin, as with the official one."""
    origin = request.headers.get("Origin")
    if request.method == "OPTIONS":
        response: web.StreamResponse = web.Response(status=200)
        response.headers["Access-Control-Allow-Methods"] = _CORS_ALLOW_METHODS
        asked = request.headers.get("Access-Control-Request-Headers")
        if asked:
            response.headers["Access-Control-Allow-Headers"] = asked
        response.headers["Access-Control-Max-Age"] = "3600"
    else:
        response = await handler(request)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


_ISSUE_POSITION = re.compile(r"^L(\d+):|at line (\d+), column (\d+)")


def _rules_issue(error: RulesLoadError, file_name: str) -> dict[str, Any]:
    """A load error as an issue of the official emulator's answer (line 0 when unknown)."""
    found = _ISSUE_POSITION.search(str(error))
    line = int(found.group(1) or found.group(2)) if found else 0
    column = int(found.group(3)) if found and found.group(3) else 0
    return {
        "sourcePosition": {"fileName": file_name, "line": line, "column": column},
        "description": str(error),
        "severity": "ERROR",
    }


def _query_params(request: web.Request) -> dict[str, Any]:
    """Dotted query parameters as a nested JSON object (fieldPaths repeated)."""
    out: dict[str, Any] = {}
    for key, value in request.query.items():
        if key in _SYSTEM_PARAMS:
            continue
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        leaf = parts[-1]
        converted: Any = {"true": True, "false": False}.get(value, value)
        if leaf == "fieldPaths":
            node.setdefault(leaf, []).append(value)
        else:
            node[leaf] = converted
    return out


def _parse(message_type: Any, body: dict[str, Any]) -> Any:
    try:
        return parse_json(body, message_type())
    except (json_format.ParseError, TypeError, ValueError) as error:
        raise invalid(f"Invalid JSON payload: {error}") from None


class RestApi:
    """Builds the aiohttp application."""

    def __init__(
        self, service: FirestoreService, backend: Backend, rules: RulesRegistry, pool: BlockingPool
    ) -> None:
        self.service = service
        self.backend = backend
        self.rules = rules
        self.pool = pool

    def app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024 * 1024, middlewares=[_cors, _json_errors])
        app.router.add_route("PUT", "/emulator/v1/projects/{spec}", self.put_rules)
        app.router.add_route("GET", "/emulator/v1/projects/{spec}", coverage_handler(self.rules))
        app.router.add_route("DELETE", "/emulator/v1/{tail:.*}", self.clear)
        app.router.add_route("*", "/v1/{tail:.*}", self.api)
        app.router.add_route("GET", "/", self.root)
        return app

    async def root(self, request: web.Request) -> web.Response:
        return web.Response(text="Ok\n")

    async def put_rules(self, request: web.Request) -> web.Response:
        """PUT /emulator/v1/projects/{p}:securityRules"""
        project_id, _, verb = request.match_info["spec"].partition(":")
        if verb != "securityRules" or not project_id:
            return _error_response(FirestoreError(grpc.StatusCode.NOT_FOUND, "No such route."))
        try:
            body = await request.json()
            source = body["rules"]["files"][0]["content"]
            if not isinstance(source, str):
                raise TypeError("content must be a string")
        except (ValueError, KeyError, IndexError, TypeError):
            return _error_response(invalid('Expected {"rules":{"files":[{"content":...}]}}.'))
        try:
            await self._blocking(lambda: self.rules.set_project_rules(project_id, source))
        except RulesLoadError as error:
            log.error("Rules for project %s not loaded: %s", project_id, error)
            if body.get("ignore_errors") is True:
                # The Firebase CLI sends ignore_errors and prints the issues of a 200 answer.
                name = body["rules"]["files"][0].get("name", "firestore.rules")
                return web.json_response({**body, "issues": [_rules_issue(error, name)]})
            return _error_response(invalid(f"Rules did not compile: {error}"))
        return web.json_response(body)

    async def clear(self, request: web.Request) -> web.Response:
        """DELETE /emulator/v1/projects/{p}/databases/{d}/documents"""
        tail = request.match_info["tail"]
        if not tail.endswith("/documents"):
            return _error_response(FirestoreError(grpc.StatusCode.NOT_FOUND, "No such route."))
        try:
            database_id = parse_database(tail)
        except FirestoreError as error:
            return _error_response(error)
        await self._blocking(lambda: self.backend.clear(database_id))
        return web.json_response({})

    async def api(self, request: web.Request) -> web.Response:
        try:
            caller = caller_from_header(request.headers.get("Authorization"))
            result = await self._dispatch(request, caller)
        except FirestoreError as error:
            return _error_response(error)
        return web.json_response(result)

    async def _dispatch(self, request: web.Request, caller: Caller) -> Any:
        tail = request.match_info["tail"]
        # Only POST methods have a ":verb"; a GET / PATCH / DELETE name may contain ':' in an id.
        name, action = _split_action(tail) if request.method == "POST" else (tail, None)
        if "/documents" not in f"/{name}":
            raise FirestoreError(grpc.StatusCode.NOT_FOUND, f"No route {request.path}")
        if action is not None:
            return await self._action(request, caller, name, action)
        return await self._resource(request, caller, name)

    async def _action(self, request: web.Request, caller: Caller, name: str, action: str) -> Any:
        rpc = BY_REST_VERB.get(action)
        if rpc is None or rpc.rest is None:
            raise FirestoreError(grpc.StatusCode.NOT_FOUND, f"Unknown method :{action}.")
        body = await _json_body(request)
        if rpc.rest.scope is RestScope.DATABASE:
            name = name.removesuffix("/documents")
        body[rpc.rest.scope.value] = name
        message = _parse(rpc.request, body)
        method = getattr(self.service, rpc.handler)
        if rpc.shape is Shape.SERVER_STREAMING:
            return await self._blocking(lambda: [_to_json(m) for m in method(message, caller)])
        return await self._blocking(lambda: _to_json(method(message, caller)))

    async def _resource(self, request: web.Request, caller: Caller, name: str) -> Any:
        segments = name.split("/documents", 1)[1].strip("/").split("/")
        is_document = segments != [""] and len(segments) % 2 == 0
        params = _query_params(request)
        if request.method == "GET" and is_document:
            params["name"] = name
            return await self._call("GetDocument", params, caller)
        if request.method == "GET" and segments != [""]:
            parent, _, collection = name.rpartition("/")
            params.update(parent=parent, collectionId=collection)
            return await self._call("ListDocuments", params, caller)
        if request.method == "PATCH" and is_document:
            params["document"] = {**await _json_body(request), "name": name}
            return await self._call("UpdateDocument", params, caller)
        if request.method == "DELETE" and is_document:
            params["name"] = name
            return await self._call("DeleteDocument", params, caller)
        if request.method == "POST" and not is_document and segments != [""]:
            parent, _, collection = name.rpartition("/")
            params.update(
                parent=parent, collectionId=collection, document=await _json_body(request)
            )
            return await self._call("CreateDocument", params, caller)
        raise FirestoreError(grpc.StatusCode.NOT_FOUND, f"No route {request.method} {name}")

    async def _call(self, rpc_name: str, body: dict[str, Any], caller: Caller) -> Any:
        """A document resource route: the table's unary RPC of that name."""
        rpc = BY_NAME[rpc_name]
        message = _parse(rpc.request, body)
        method = getattr(self.service, rpc.handler)
        return await self._blocking(lambda: _to_json(method(message, caller)))

    async def _blocking(self, work: Callable[[], Any]) -> Any:
        """Runs store work off the event loop (transaction locks may wait)."""
        return await self.pool.run(work)


async def _json_body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = json.loads(await request.text() or "{}")
    except ValueError as error:
        raise invalid(f"Invalid JSON payload: {error}") from None
    if not isinstance(body, dict):
        raise invalid("The JSON payload must be an object.")
    return body


def _split_action(tail: str) -> tuple[str, str | None]:
    """``…/documents/a/b:runQuery`` -> (``…/documents/a/b``, ``runQuery``)."""
    head, slash, last = tail.rpartition("/")
    if ":" in last:
        last, _, action = last.partition(":")
        return f"{head}{slash}{last}", action
    return tail, None
