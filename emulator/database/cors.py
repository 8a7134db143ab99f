"""CORS for browsers calling the REST API from another origin (as the official emulator)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

_ALLOW = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, PUT, POST, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Firebase-ETag, if-match, "
    "if-none-match, X-HTTP-Method-Override",
    "Access-Control-Expose-Headers": "ETag",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def cors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answers preflight requests and marks every other answer as readable cross-origin."""
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=_ALLOW)
    response = await handler(request)
    if not response.prepared:  # streams and WebSockets have sent their headers already
        response.headers.update(_ALLOW)
    return response
