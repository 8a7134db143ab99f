"""``GET /.inspect/coverage?ns=...``: what each rule of a namespace evaluated to, how often.

``/.inspect/coverage.json`` always answers JSON; ``/.inspect/coverage`` answers JSON too,
unless a browser asks for HTML (``Accept: text/html``), which gets a readable page.
"""

from __future__ import annotations

from aiohttp import web

from emulator.coverage import Coverage, html_report, json_report
from emulator.database.context import context_of, json_response, namespace_of


def _coverage(request: web.Request) -> tuple[str, Coverage]:
    name = namespace_of(request)
    namespace = context_of(request).store.namespace(name)
    coverage = getattr(namespace.rules, "coverage", None)
    if coverage is None:  # open rules (no rules file): nothing is evaluated
        coverage = Coverage("database.rules.json", namespace.rules_text, {})
    return name, coverage


async def handle_coverage(request: web.Request) -> web.Response:
    """The coverage report of the namespace ``ns`` (or the host's / default one)."""
    name, coverage = _coverage(request)
    wants_html = not request.path.endswith(".json") and "text/html" in request.headers.get(
        "Accept", ""
    )
    if wants_html:
        return web.Response(
            text=html_report(coverage, f"Rules coverage: {name}"), content_type="text/html"
        )
    return json_response(json_report(coverage))
