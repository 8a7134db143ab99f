"""ClamAV's daemon over TCP: the INSTREAM command.

`zINSTREAM\\0`, then chunks each preceded by its length as 4 bytes big-endian, then a zero
length; clamd answers `stream: OK` or `stream: <signature> FOUND` (NUL-terminated), or
`... ERROR` (e.g. past its StreamMaxLength).
"""

from __future__ import annotations

import socket
import struct
from typing import IO

from flowchat.errors import Unavailable

CHUNK_BYTES = 256 * 1024
MAX_REPLY = 4096


def scan(file: IO[bytes], address: str, timeout_seconds: float) -> str | None:
    """None when clean, else the signature clamd found; Unavailable when it cannot answer."""
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout_seconds) as sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := file.read(CHUNK_BYTES):
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            reply = _read_reply(sock)
    except (OSError, ValueError) as err:
        raise Unavailable("the virus scanner cannot be reached; try again later") from err
    if reply == "stream: OK":
        return None
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return reply.removeprefix("stream: ").removesuffix(" FOUND")
    raise Unavailable(f"the virus scanner could not scan the file ({reply[:80]})")


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < MAX_REPLY:
        data = sock.recv(MAX_REPLY)
        if not data:
            break
        reply += data
    return reply.rstrip(b"\0\n").decode("utf-8", "replace")
