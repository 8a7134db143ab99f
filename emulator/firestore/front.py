"""One public port for gRPC and REST, as the official emulator has it. Each connection's
first bytes decide: the HTTP/2 preface (gRPC) is relayed to the gRPC server on an
internal loopback port; anything else is handed, in place, to the aiohttp (REST)
protocol. The relay streams both ways with flow control, so long-lived Listen and
Write streams pass through unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import cast

HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


class _Relay(asyncio.Protocol):
    """One side of a relayed connection: what it receives goes to its peer."""

    def __init__(self, door: FrontDoor) -> None:
        self.door = door
        self.transport: asyncio.Transport | None = None
        self.peer: asyncio.Transport | None = None
        self.pending: list[bytes] = []
        self.peer_eof = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.door.transports.add(transport)

    def link(self, peer: asyncio.Transport) -> None:
        self.peer = peer
        for chunk in self.pending:
            peer.write(chunk)
        self.pending.clear()
        if self.peer_eof and peer.can_write_eof():
            peer.write_eof()

    def data_received(self, data: bytes) -> None:
        if self.peer is None:
            self.pending.append(data)
        else:
            self.peer.write(data)

    def eof_received(self) -> bool:
        # Half-close: the peer learns the stream ended but may still answer.
        self.peer_eof = True
        if self.peer is not None and self.peer.can_write_eof() and not self.peer.is_closing():
            self.peer.write_eof()
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:
            self.door.transports.discard(self.transport)
        if self.peer is not None and not self.peer.is_closing():
            self.peer.close()

    def pause_writing(self) -> None:
        if self.peer is not None:
            self.peer.pause_reading()

    def resume_writing(self) -> None:
        if self.peer is not None and not self.peer.is_closing():
            self.peer.resume_reading()


class _Sniffer(asyncio.Protocol):
    """Buffers a new connection's first bytes until it can tell gRPC from REST."""

    def __init__(self, door: FrontDoor) -> None:
        self.door = door
        self.transport: asyncio.Transport | None = None
        self.head = b""
        self.routed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.door.transports.add(transport)

    def data_received(self, data: bytes) -> None:
        self.head += data
        if len(self.head) < len(HTTP2_PREFACE) and HTTP2_PREFACE.startswith(self.head):
            return
        self._route()

    def eof_received(self) -> bool:
        if not self.head or self.routed or self.transport is None:
            return False
        self._route()
        # The new protocol took over mid-call; it must hear of the end of input too.
        protocol = cast(asyncio.Protocol, self.transport.get_protocol())
        return bool(protocol.eof_received())

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None and not self.routed:
            self.door.transports.discard(self.transport)

    def _route(self) -> None:
        assert self.transport is not None
        self.routed = True
        self.door.transports.discard(self.transport)
        if self.head.startswith(HTTP2_PREFACE):
            self.door.relay_to_grpc(self.transport, self.head)
        else:
            self.door.hand_to_rest(self.transport, self.head)


class FrontDoor:
    """The public listener; ``rest_protocol`` builds aiohttp's per-connection protocol."""

    def __init__(self, grpc_port: int, rest_protocol: Callable[[], asyncio.Protocol]) -> None:
        self.grpc_port = grpc_port
        self.rest_protocol = rest_protocol
        self.transports: set[asyncio.Transport] = set()
        self._connecting: set[asyncio.Future] = set()
        self._server: asyncio.AbstractServer | None = None

    async def start(self, host: str, port: int) -> int:
        """Starts listening; returns the bound port."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Sniffer(self), host, port)
        return self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for transport in list(self.transports):
            transport.abort()

    def hand_to_rest(self, transport: asyncio.Transport, head: bytes) -> None:
        protocol = self.rest_protocol()
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        protocol.data_received(head)

    def relay_to_grpc(self, client: asyncio.Transport, head: bytes) -> None:
        # The client side takes over at once, so bytes arriving meanwhile are queued.
        client_side = _Relay(self)
        client.set_protocol(client_side)
        client_side.connection_made(client)
        client_side.pending.append(head)
        task = asyncio.ensure_future(self._connect_upstream(client, client_side))
        self._connecting.add(task)
        task.add_done_callback(self._connecting.discard)

    async def _connect_upstream(self, client: asyncio.Transport, client_side: _Relay) -> None:
        loop = asyncio.get_running_loop()
        try:
            upstream, upstream_side = await loop.create_connection(
                lambda: _Relay(self), "127.0.0.1", self.grpc_port
            )
        except OSError:
            client.abort()
            return
        assert isinstance(upstream, asyncio.Transport)
        upstream_side.link(client)
        client_side.link(upstream)
        if client.is_closing():
            upstream.close()
