"""A WebChannel (v8) client in Python speaking the wire as closure's WebChannel does in
the browser SDK, for tests of the transport's details and for the bench."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx

from tests.support.firestore_clients import PROJECT

DATABASE = f"projects/{PROJECT}/databases/(default)"


def decode_chunks(text: str) -> list[Any]:
    """Every ``<length>\\n<json>`` chunk of a complete body, checking each length."""
    chunks, at = [], 0
    while at < len(text):
        newline = text.index("\n", at)
        size = int(text[at:newline])
        body = text[newline + 1 : newline + 1 + size]
        assert len(body) == size, f"chunk shorter than its length {size}: {body!r}"
        chunks.append(json.loads(body))
        at = newline + 1 + size
    return chunks


def form(offset: int, messages: list[Any], headers: dict[str, str] | None = None) -> str:
    """A forward-channel body as WireV8 encodes it (raw JSON messages)."""
    fields = [f"count={len(messages)}", f"ofs={offset}"]
    fields += [f"req{i}___data__={quote(json.dumps(m), safe='')}" for i, m in enumerate(messages)]
    if headers:
        encoded = "".join(f"{name}:{value}\r\n" for name, value in headers.items())
        fields.insert(0, f"headers={quote(encoded, safe='')}")
    return "&".join(fields)


class Channel:
    """One WebChannel session on ``/google.firestore.v1.Firestore/<rpc>/channel``."""

    def __init__(
        self, address: str, rpc: str, authorization: str | None = None, origin: str | None = None
    ) -> None:
        self.url = f"http://{address}/google.firestore.v1.Firestore/{rpc}/channel"
        self.http = httpx.Client(timeout=30)
        self.authorization = authorization
        self.origin = origin
        self.sid = ""
        self.http_session_id = ""
        self.rid = random.randint(1000, 90000)
        self.next_map = 0
        self.last_array = 0
        self.handshake: httpx.Response | None = None

    def _params(self, **extra: Any) -> dict[str, Any]:
        params = {"database": DATABASE, "VER": 8, **extra}
        if self.http_session_id:
            params["gsessionid"] = self.http_session_id
        return params

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.origin:
            headers["Origin"] = self.origin
        return headers

    def open(self, *messages: Any, headers_in_url: bool = False) -> list[Any]:
        """The handshake, with the first messages; returns its arrays. The init headers go
        in the body (``encodeInitMessageHeaders``) or in ``$httpHeaders``."""
        init = {"X-Goog-Api-Client": "gl-js/ fire/12.19.0", "Content-Type": "text/plain"}
        if self.authorization:
            init["Authorization"] = self.authorization
        body = form(0, list(messages), None if headers_in_url else init)
        url_headers = {"$httpHeaders": "".join(f"{k}:{v}\r\n" for k, v in init.items())}
        self.next_map = len(messages)
        response = self.http.post(
            self.url,
            content=body,
            headers=self._headers(),
            params=self._params(
                RID=self.rid,
                CVER=22,
                **{"X-HTTP-Session-Id": "gsessionid"},
                zx="a",
                t=1,
                **(url_headers if headers_in_url else {}),
            ),
        )
        self.handshake = response
        response.raise_for_status()
        (arrays,) = decode_chunks(response.text)
        assert arrays[0][0] == 0 and arrays[0][1][0] == "c", arrays
        self.sid = arrays[0][1][1]
        self.http_session_id = response.headers["X-HTTP-Session-Id"]
        self._saw(arrays)
        return arrays

    def send(self, *messages: Any, offset: int | None = None) -> httpx.Response:
        """A forward-channel POST (``offset`` repeats earlier map ids, as a retry does)."""
        start = self.next_map if offset is None else offset
        self.next_map = max(self.next_map, start + len(messages))
        self.rid += 1
        return self.http.post(
            self.url,
            content=form(start, list(messages)),
            headers=self._headers(),
            params=self._params(SID=self.sid, RID=self.rid, AID=self.last_array, zx="b", t=1),
        )

    def poll(self, acknowledged: int | None = None, timeout_ms: int | None = None) -> list[Any]:
        """One long-polling back-channel request (``CI=1``); returns its arrays."""
        extra = {"TO": timeout_ms} if timeout_ms else {}
        response = self.http.get(
            self.url,
            params=self._params(
                RID="rpc",
                SID=self.sid,
                CI=1,
                TYPE="xmlhttp",
                t=1,
                AID=self.last_array if acknowledged is None else acknowledged,
                **extra,
            ),
        )
        response.raise_for_status()
        arrays = [array for chunk in decode_chunks(response.text) for array in chunk]
        self._saw(arrays)
        return arrays

    def stream(self) -> Iterator[tuple[str, list[Any]]]:
        """A streaming back channel (``CI=0``): each chunk's raw text and its arrays."""
        with self.http.stream(
            "GET",
            self.url,
            params=self._params(
                RID="rpc", SID=self.sid, CI=0, TYPE="xmlhttp", AID=self.last_array, t=1
            ),
        ) as response:
            buffer = ""
            for text in response.iter_text():
                buffer += text
                while "\n" in buffer:
                    size = int(buffer[: buffer.index("\n")])
                    start = buffer.index("\n") + 1
                    if len(buffer) < start + size:
                        break
                    raw, buffer = buffer[: start + size], buffer[start + size :]
                    arrays = json.loads(raw[start:])
                    self._saw(arrays)
                    yield raw, arrays

    def terminate(self) -> httpx.Response:
        self.rid += 1
        return self.http.post(
            self.url, params=self._params(SID=self.sid, RID=self.rid, TYPE="terminate", zx="c", t=1)
        )

    def _saw(self, arrays: list[Any]) -> None:
        if arrays:
            self.last_array = max(self.last_array, max(array[0] for array in arrays))

    def close(self) -> None:
        self.http.close()


def payloads(arrays: list[Any]) -> list[Any]:
    """The messages of the arrays, without noops."""
    return [array[1] for array in arrays if array[1] != ["noop"]]
