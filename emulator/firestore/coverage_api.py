"""``GET /emulator/v1/projects/{project}:ruleCoverage`` (JSON) and ``:ruleCoverage.html``:
what each expression of the project's rules evaluated to, as the official emulator reports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import grpc
from aiohttp import web

from emulator.coverage import html_report, json_report
from emulator.firestore.errors import FirestoreError
from emulator.firestore.rules import RulesRegistry

_VERBS = ("ruleCoverage", "ruleCoverage.html")


def coverage_handler(
    rules: RulesRegistry,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The GET handler of ``/emulator/v1/projects/{spec}``."""

    async def handle(request: web.Request) -> web.Response:
        project, _, verb = request.match_info["spec"].partition(":")
        if verb not in _VERBS or not project:
            return _error(grpc.StatusCode.NOT_FOUND, "No such route.")
        ruleset = rules.ruleset_for(project)
        coverage = getattr(ruleset, "coverage", None)
        if coverage is None:
            return _error(
                grpc.StatusCode.FAILED_PRECONDITION, f"No rules are loaded for project {project}."
            )
        if verb == "ruleCoverage.html":
            return web.Response(
                text=html_report(coverage, f"Rules coverage: {project}"), content_type="text/html"
            )
        return web.json_response(json_report(coverage))

    return handle


def _error(code: grpc.StatusCode, message: str) -> web.Response:
    error = FirestoreError(code, message)
    return web.json_response(error.to_json(), status=error.http_status)
