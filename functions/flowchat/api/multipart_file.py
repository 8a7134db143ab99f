"""Reading one file part of a multipart body as it streams in, up to a size limit.

Nothing is buffered beyond one read: the file part goes to a temporary file, and reading
stops as soon as the part outgrows the limit of its declared type, before the rest of
the body is read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO

from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from werkzeug.wrappers import Request

from flowchat.errors import FileTooLarge, InvalidInput
from flowchat.services.file_uploads import ReceivedFile

READ_BYTES = 64 * 1024
# What the decoder may hold at once: one read plus part headers not yet decoded.
MAX_BUFFERED = 2 * READ_BYTES
MAX_PARTS = 4


def receive_file(request: Request, limit_of: Callable[[str], int]) -> ReceivedFile:
    """The single part named "file"; limit_of(declared type) is its size limit.

    The caller closes ReceivedFile.file.
    """
    boundary = _boundary(request)
    decoder = MultipartDecoder(boundary, MAX_BUFFERED, max_parts=MAX_PARTS)
    target = tempfile.TemporaryFile()
    try:
        return _read(request.stream, decoder, target, limit_of)
    except BaseException:
        target.close()
        raise


def _boundary(request: Request) -> bytes:
    mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
    if mimetype != "multipart/form-data" or not options.get("boundary"):
        raise InvalidInput("send the file as multipart/form-data with a part named 'file'")
    return options["boundary"].encode("latin-1")


class _Part:
    def __init__(self) -> None:
        self.name: str | None = None
        self.declared = ""
        self.limit = 0
        self.size = 0
        self.in_file = False


def _read(
    stream: IO[bytes], decoder: MultipartDecoder, target: IO[bytes], limit_of: Callable[[str], int]
) -> ReceivedFile:
    part = _Part()
    while True:
        chunk = stream.read(READ_BYTES)
        try:
            decoder.receive_data(chunk or None)
        except RequestEntityTooLarge as err:
            raise InvalidInput("the multipart part headers are too large") from err
        if _drain(decoder, part, target, limit_of):
            break
        if not chunk:
            raise InvalidInput("the multipart body ended early")
    if part.name is None:
        raise InvalidInput("no part named 'file' in the body")
    target.seek(0)
    return ReceivedFile(target, part.name, part.declared, part.size)


def _drain(
    decoder: MultipartDecoder, part: _Part, target: IO[bytes], limit_of: Callable[[str], int]
) -> bool:
    """Handle the events decoded so far; True at the end of the body."""
    while True:
        try:
            event = decoder.next_event()
        except ValueError as err:
            raise InvalidInput(f"malformed multipart body: {err}") from err
        if isinstance(event, NeedData):
            return False
        if isinstance(event, Epilogue):
            return True
        if isinstance(event, File):
            _start_file(event.name, event.filename, event.headers, part, limit_of)
        elif isinstance(event, Field):
            part.in_file = False  # other fields are ignored
        elif isinstance(event, Data) and part.in_file:
            part.size += len(event.data)
            if part.size > part.limit:
                raise FileTooLarge(
                    f"the file is larger than {part.limit} bytes", {"maxBytes": part.limit}
                )
            target.write(event.data)


def _start_file(
    field: str, filename: str, headers: Headers, part: _Part, limit_of: Callable[[str], int]
) -> None:
    if field != "file":
        part.in_file = False
        return
    if part.name is not None:
        raise InvalidInput("send one file per request")
    part.declared = headers.get("Content-Type", "")
    part.limit = limit_of(part.declared)  # refuses a type FlowChat does not take
    part.name = filename or "file"
    part.in_file = True
