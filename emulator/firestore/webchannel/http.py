"""The WebChannel endpoints ``/google.firestore.v1.Firestore/{Listen,Write}/channel``:
the handshake (a POST without ``SID``), forward-channel POSTs (``SID``, ``RID``, ``AID``
and a form of messages), back-channel GETs (``RID=rpc``; ``CI=0`` streams chunks for as
long as the session lives, ``CI=1`` long-polls: one batch per request) and ``TYPE=terminate``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping

from aiohttp import web

from emulator.firestore.errors import FirestoreError
from emulator.firestore.identity import caller_from_header
from emulator.firestore.rpc_table import BIDI, StreamRunner
from emulator.firestore.webchannel.framing import (
    BadForm,
    arrays_chunk,
    chunk,
    decode_headers,
    encode_json,
    handshake_payload,
    parse_form,
)
from emulator.firestore.webchannel.session import Session, SessionTable
from emulator.firestore.webchannel.streams import StreamBridge, fail_session, parse_request

log = logging.getLogger(__name__)

PATH = "/google.firestore.v1.Firestore/{rpc}/channel"
# The client times a back channel out after 1.5 times this without a byte; a streaming
# back channel sends a noop sooner than that.
KEEPALIVE_MS = 30_000
_NOOP_SECONDS = 25.0
# How long a long-polling back channel waits for data before it answers a noop.
_LONG_POLL_SECONDS = 25.0
_GATHER_SECONDS = 0.005
_TEXT = "text/plain; charset=utf-8"
_SWEEP_SECONDS = 30.0


def _cors(request: web.Request) -> dict[str, str]:
    """The channel's responses are read by a page of another origin, with credentials;
    the session id header must be readable there."""
    origin = request.headers.get("Origin")
    if not origin:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "X-HTTP-Session-Id, X-Client-Wire-Protocol",
        "Vary": "Origin",
    }


def _unknown_session(request: web.Request) -> web.Response:
    # closure's ChannelRequest looks for "Unknown SID" in a 400 answer (fatal: no retry).
    return web.Response(status=400, text="Unknown SID", headers=_cors(request))


def _bad_request(request: web.Request, message: str) -> web.Response:
    return web.Response(status=400, text=message, headers=_cors(request))


def _int_param(query: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(query.get(name, default))
    except ValueError:
        return default


class WebChannelApi:
    """Sessions of the table's bidi RPCs; ``runners`` maps each one's handler key to its
    stream runner (the same ones gRPC serves)."""

    def __init__(self, runners: Mapping[str, StreamRunner]) -> None:
        self.runners = runners
        self.sessions = SessionTable()
        self._bridges: dict[str, StreamBridge] = {}

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("POST", PATH, self.post)
        app.router.add_route("GET", PATH, self.get)
        app.cleanup_ctx.append(self._sweeping)
        app.on_shutdown.append(self._close_all)  # ends the hanging back channels first

    async def _close_all(self, _app: web.Application) -> None:
        self.sessions.close_all()

    async def _sweeping(self, _app: web.Application) -> AsyncIterator[None]:
        """Closes idle sessions now and then: a closed page sends no terminate, and each
        session holds a stream task."""
        task = asyncio.ensure_future(self._sweep_forever())
        yield
        task.cancel()

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(_SWEEP_SECONDS)
            self.sessions.sweep()

    async def post(self, request: web.Request) -> web.StreamResponse:
        rpc = request.match_info["rpc"]
        if rpc not in BIDI:
            return _bad_request(request, f"No WebChannel RPC {rpc}.")
        query = request.query
        if query.get("TYPE") == "terminate":
            return self._terminate(request)
        body = await request.text()
        try:
            form = parse_form(body)
        except BadForm as error:
            return _bad_request(request, f"Bad WebChannel request: {error}")
        if "SID" not in query:
            return self._handshake(request, rpc, form.offset, form.messages, form.init_headers)
        session = self.sessions.get(query["SID"])
        if session is None or session.rpc != rpc:
            return _unknown_session(request)
        session.acknowledge(_int_param(query, "AID", 0))
        self._forward(session, form.offset, form.messages)
        # [back channel present, last array id sent on it, bytes not yet sent]
        reply = chunk([1, session.sent_through, session.outstanding_bytes()])
        return web.Response(
            text=reply, content_type="text/plain", charset="utf-8", headers=_cors(request)
        )

    async def get(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        if query.get("TYPE") == "terminate":  # closure's Image fallback for terminate
            return self._terminate(request)
        if query.get("RID") != "rpc" or "SID" not in query:
            return _bad_request(request, "A back channel needs RID=rpc and SID.")
        session = self.sessions.get(query["SID"])
        if session is None or session.rpc != request.match_info["rpc"]:
            return _unknown_session(request)
        token = session.attach_back_channel(_int_param(query, "AID", 0))
        if not session.open and not session.has_unsent():
            return _unknown_session(request)  # ended, and its last arrays were delivered
        streaming = query.get("CI") == "0"
        response = web.StreamResponse(
            headers={
                "Content-Type": _TEXT,
                "Cache-Control": "no-cache, no-store",
                "X-Content-Type-Options": "nosniff",
                **_cors(request),
            }
        )
        try:
            await response.prepare(request)  # inside: the page may already be gone
            if streaming:
                await self._stream(session, token, response)
            else:
                timeout = _int_param(query, "TO", 0) / 1000 or _LONG_POLL_SECONDS
                await self._long_poll(session, token, response, timeout)
            await response.write_eof()
        except (ConnectionError, asyncio.CancelledError):
            pass  # the page went away or opened another back channel
        return response

    def _handshake(
        self,
        request: web.Request,
        rpc: str,
        offset: int,
        messages: list,
        form_headers: dict[str, str],
    ) -> web.Response:
        session = Session(rpc)
        self.sessions.add(session)
        headers = {**decode_headers(request.query.get("$httpHeaders", "")), **form_headers}
        authorization = headers.get("authorization") or request.headers.get("Authorization")
        log.debug("WebChannel %s session %s opened", rpc, session.id)
        try:
            caller = caller_from_header(authorization)
        except FirestoreError as error:
            fail_session(session, error)
        else:
            bridge = StreamBridge(session, self.runners[BIDI[rpc].handler], caller)
            self._bridges[session.id] = bridge
            session.on_close = lambda: self._closed(session.id)
            bridge.start()
            self._forward(session, offset, messages)
        arrays = [(0, encode_json(handshake_payload(session.id, KEEPALIVE_MS)))]
        arrays += session.unsent()  # a failure at the handshake is answered right away
        return web.Response(
            text=arrays_chunk(arrays),
            content_type="text/plain",
            charset="utf-8",
            headers={"X-HTTP-Session-Id": session.http_session_id, **_cors(request)},
        )

    def _forward(self, session: Session, offset: int, messages: list) -> None:
        bridge = self._bridges.get(session.id)
        if bridge is None:
            return
        for message in session.accept(offset, messages):
            try:
                bridge.send(parse_request(session.rpc, message))
            except FirestoreError as error:
                bridge.fail(error)
                return

    def _closed(self, session_id: str) -> None:
        bridge = self._bridges.pop(session_id, None)
        if bridge is not None:
            bridge.stop()

    def _terminate(self, request: web.Request) -> web.Response:
        session_id = request.query.get("SID", "")
        log.debug("WebChannel session %s terminated by the client", session_id)
        self.sessions.close(session_id)
        return web.Response(text="", headers=_cors(request))

    async def _stream(self, session: Session, token: int, response: web.StreamResponse) -> None:
        """Writes each batch of arrays as it comes until the session ends or another back
        channel replaces this one. The first byte goes out at once: the SDK's buffering
        proxy detection waits for it."""
        if not session.has_unsent():
            session.push(["noop"])
        while session.back_channel == token:
            arrays = session.unsent()
            if arrays:
                await response.write(arrays_chunk(arrays).encode())
            if not session.open:
                return
            await session.wait_for_arrays(_NOOP_SECONDS)
            if session.back_channel == token and not session.has_unsent() and session.open:
                session.push(["noop"])
            session.touch()

    async def _long_poll(
        self, session: Session, token: int, response: web.StreamResponse, timeout: float
    ) -> None:
        """Answers the first batch of arrays, or a noop after ``timeout``."""
        await session.wait_for_arrays(timeout)
        if session.has_unsent():
            # A change comes as a burst (documents, then the NO_CHANGE that makes the SDK
            # raise the snapshot): answering its first array alone would cost the client
            # another round trip for the rest.
            await asyncio.sleep(_GATHER_SECONDS)
        if session.back_channel != token:
            return
        if not session.has_unsent():
            session.push(["noop"])
        arrays = session.unsent()
        if arrays:
            await response.write(arrays_chunk(arrays).encode())
        session.touch()
