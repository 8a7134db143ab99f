"""One public port for gRPC and REST: peeks at each connection's first bytes and
pipes HTTP/2 (the gRPC preface) to the gRPC server and everything else to the REST
server, both listening on internal loopback ports. Both directions are streamed, so
long-lived Listen streams pass through unchanged."""

from __future__ import annotations

import asyncio
import contextlib

HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
_CHUNK = 1 << 16


class FrontDoor:
    """An asyncio TCP server routing each connection to one of two backends."""

    def __init__(self, grpc_port: int, rest_port: int) -> None:
        self.grpc_port = grpc_port
        self.rest_port = rest_port
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()

    async def start(self, host: str, port: int) -> int:
        """Starts listening; returns the bound port."""
        self._server = await asyncio.start_server(self._accept, host, port)
        return self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        # Aborting both sides of every connection ends its pipes, so nothing is left pending.
        for writer in list(self._writers):
            writer.transport.abort()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._route(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            self._tasks.discard(task)
            await _close(writer)

    async def _route(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await _peek_preface(reader)
        if not head:
            return
        port = self.grpc_port if head.startswith(HTTP2_PREFACE) else self.rest_port
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        self._writers.add(up_writer)
        try:
            up_writer.write(head)
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            self._writers.discard(up_writer)
            await _close(up_writer)


async def _peek_preface(reader: asyncio.StreamReader) -> bytes:
    """Reads until the bytes can or cannot be the HTTP/2 preface."""
    head = b""
    while len(head) < len(HTTP2_PREFACE) and HTTP2_PREFACE.startswith(head):
        chunk = await reader.read(len(HTTP2_PREFACE) - len(head))
        if not chunk:
            break
        head += chunk
    return head


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await source.read(_CHUNK)
            if not data:
                break
            sink.write(data)
            await sink.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        # Half-close so the other side sees end of stream but can still answer.
        with contextlib.suppress(OSError, RuntimeError):
            if sink.can_write_eof() and not sink.is_closing():
                sink.write_eof()


async def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, RuntimeError):
        writer.close()
        await writer.wait_closed()
