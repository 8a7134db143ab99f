"""A local stand-in for a ClamAV daemon: PING and INSTREAM over TCP.

INSTREAM as clamd speaks it: the command `zINSTREAM\\0` (or `nINSTREAM\\n`), then chunks of
a 4-byte big-endian length followed by that many bytes, ended by a zero length. The reply is
`stream: OK` or `stream: <signature> FOUND`, terminated like the command. A stream longer
than `max_stream` bytes is answered `INSTREAM size limit exceeded. ERROR`, as clamd does
past StreamMaxLength. The only signature known is the EICAR test file.
"""

from __future__ import annotations

import socketserver
import struct
import threading

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_NAME = b"Win.Test.EICAR_HDB-1"


class FakeClamd:
    """The fake daemon on a free loopback port; `address` is host:port."""

    def __init__(self, max_stream: int = 200 * 1024 * 1024) -> None:
        self.max_stream = max_stream
        self.scanned: list[tuple[int, bool]] = []  # (bytes, infected) per INSTREAM
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                fake._serve(self)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"{host}:{port}"

    def start(self) -> FakeClamd:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def _serve(self, handler: socketserver.StreamRequestHandler) -> None:
        command, end = _read_command(handler.rfile)
        if command == b"PING":
            handler.wfile.write(b"PONG" + end)
        elif command == b"INSTREAM":
            handler.wfile.write(self._scan(handler.rfile) + end)
        else:
            handler.wfile.write(b"UNKNOWN COMMAND" + end)

    def _scan(self, rfile: object) -> bytes:
        total, tail, found = 0, b"", False
        while True:
            header = rfile.read(4)  # type: ignore[attr-defined]
            if len(header) < 4:
                return b"stream: premature end ERROR"
            (length,) = struct.unpack(">I", header)
            if length == 0:
                break
            chunk = rfile.read(length)  # type: ignore[attr-defined]
            total += len(chunk)
            if total > self.max_stream:
                return b"INSTREAM size limit exceeded. ERROR"
            window = tail + chunk
            found = found or EICAR in window
            tail = window[-len(EICAR) :]
        self.scanned.append((total, found))
        return b"stream: " + EICAR_NAME + b" FOUND" if found else b"stream: OK"


def _read_command(rfile: object) -> tuple[bytes, bytes]:
    """The command word and its terminator: z-commands end in NUL, n-commands in newline."""
    prefix = rfile.read(1)  # type: ignore[attr-defined]
    end = b"\0" if prefix == b"z" else b"\n"
    word = bytearray()
    while len(word) < 64:
        byte = rfile.read(1)  # type: ignore[attr-defined]
        if byte in (b"", end):
            break
        word += byte
    return bytes(word), end
