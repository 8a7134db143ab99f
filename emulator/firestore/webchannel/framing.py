"""The WebChannel (protocol v8) wire format, as closure's WebChannelBase and ChannelRequest
read and write it.

Server to client, every response body (handshake, forward channel, back channel) is a
sequence of chunks ``<length>\\n<json>``, the length counted in UTF-16 code units (the
client slices a JS string); the JSON is a list of ``[array id, payload]`` pairs. Client to
server, a forward-channel POST is a form: ``count``, ``ofs`` (the first map's id) and
``req<i>___data__`` holding each message as raw JSON (the SDK sets ``sendRawJson``); the
handshake's form may also carry ``headers``, the init headers encoded as ``Name:value\\r\\n``
lines (``encodeInitMessageHeaders``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

# The client's negotiated wire version: 8 is the only one closure's WebChannel speaks.
CHANNEL_VERSION = 8
_MAP_FIELD = re.compile(r"^req(\d+)___data__$")


class BadForm(ValueError):
    """A forward-channel body the wire format does not allow."""


def encode_json(value: Any) -> str:
    """Compact JSON in ASCII, so that its length in characters is its UTF-16 length."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def chunk(value: Any) -> str:
    """One length-prefixed chunk holding ``value`` as JSON."""
    text = encode_json(value)
    return f"{len(text)}\n{text}"


def arrays_chunk(arrays: list[tuple[int, str]]) -> str:
    """One chunk of ``[[id, payload], ...]`` from already encoded payloads."""
    text = "[" + ",".join(f"[{array_id},{payload}]" for array_id, payload in arrays) + "]"
    return f"{len(text)}\n{text}"


def handshake_payload(session_id: str, keepalive_ms: int) -> list[Any]:
    """The ``c`` array: session id, no host prefix, wire version, server version and the
    keep-alive interval (the client times the back channel out at 1.5 times it)."""
    return ["c", session_id, "", CHANNEL_VERSION, 14, keepalive_ms]


@dataclass(frozen=True)
class ForwardForm:
    """A decoded forward-channel body."""

    offset: int
    messages: list[Any]
    init_headers: dict[str, str]


def parse_form(body: str) -> ForwardForm:
    """Decodes ``count=…&ofs=…&req0___data__=…`` (and ``headers=…`` on a handshake)."""
    fields = dict(parse_qsl(body, keep_blank_values=True))
    try:
        count = int(fields.get("count", "0"))
        offset = int(fields.get("ofs", "0"))
    except ValueError:
        raise BadForm("count and ofs must be integers") from None
    found: dict[int, Any] = {}
    for key, value in fields.items():
        matched = _MAP_FIELD.match(key)
        if matched is None:
            continue
        try:
            found[int(matched.group(1))] = json.loads(value)
        except ValueError as error:
            raise BadForm(f"{key} is not JSON: {error}") from None
    if sorted(found) != list(range(count)):
        raise BadForm(f"expected {count} messages req0..req{count - 1}")
    headers = decode_headers(fields.get("headers", ""))
    return ForwardForm(offset, [found[i] for i in range(count)], headers)


def decode_headers(text: str) -> dict[str, str]:
    """``Name:value\\r\\n`` lines (the init headers) as a dict with lower-case names."""
    headers: dict[str, str] = {}
    for line in text.split("\r\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            headers[name.strip().lower()] = value.strip()
    return headers
