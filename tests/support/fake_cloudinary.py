"""A local stand-in for the part of Cloudinary's Upload API that FlowChat uses.

`POST /v1_1/<cloud>/<resource_type>/upload` (multipart, optionally in parts with
`Content-Range` + `X-Unique-Upload-Id`), checked the way Cloudinary checks it:

- the cloud and the api_key must be the configured ones (401 otherwise);
- `timestamp` is required and may be at most an hour old (400 "Stale request");
- `signature` is the hex SHA-1 (or SHA-256, per account) of every parameter except
  file, api_key, resource_type, cloud_name and signature, as sorted `key=value` pairs
  joined with '&' ('&' inside a value sent as %26), followed by the API secret (401);
- `allowed_formats`, when signed, must contain the file's real format (400);
- `overwrite=false` (or 0): a public id that exists keeps its file; the answer describes
  the stored asset with `existing: true`, as Cloudinary answers.

Accepted files land in `received` (parts reassembled); refused requests in `refused`.
Large files are kept as size + SHA-256 only, so the fake stays small in memory.
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

EXCLUDED_FROM_SIGNATURE = {"file", "api_key", "resource_type", "cloud_name", "signature"}
MAX_AGE_SECONDS = 3600
KEEP_BYTES = 1024 * 1024


@dataclass
class ReceivedFile:
    """One stored file, as the fake would serve it."""

    cloud: str
    resource_type: str
    public_id: str
    format: str
    size: int
    sha256: str
    params: dict[str, str]
    data: bytes | None  # None above KEEP_BYTES
    width: int | None = None
    height: int | None = None


@dataclass
class _Pending:
    size: int = 0
    digest: Any = field(default_factory=hashlib.sha256)
    head: bytearray = field(default_factory=bytearray)


def string_to_sign(params: dict[str, str]) -> str:
    """Cloudinary's string to sign: sorted key=value pairs of the signed params."""
    pairs = [
        f"{k}={v}".replace("&", "%26")
        for k, v in params.items()
        if k not in EXCLUDED_FROM_SIGNATURE and v != ""
    ]
    return "&".join(sorted(pairs))


class FakeCloudinary:
    """The fake API on a free loopback port; `upload_prefix` is what the SDK needs."""

    def __init__(
        self,
        cloud: str = "demo-flowchat",
        api_key: str = "test-api-key",
        api_secret: str = "test-api-secret",
        algorithm: str = "sha1",
    ) -> None:
        self.cloud, self.api_key, self.api_secret, self.algorithm = (
            cloud,
            api_key,
            api_secret,
            algorithm,
        )
        self.clock = time.time  # tests move it forward to post an old signature
        self.received: list[ReceivedFile] = []
        self.refused: list[tuple[int, str]] = []
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def upload_prefix(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> FakeCloudinary:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(10)

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.refused.clear()
            self.clock = time.time
            self._pending.clear()

    def signature_of(self, params: dict[str, str]) -> str:
        """What a correct signature of these params is (for tests that forge requests)."""
        raw = (string_to_sign(params) + self.api_secret).encode()
        return hashlib.new(self.algorithm, raw).hexdigest()

    # ---------- the API ----------

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        request.max_form_memory_size = None
        try:
            return self._handle(request)(environ, start_response)
        finally:
            request.close()  # the parsed file parts' temporary files

    def _handle(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if request.method != "POST" or len(parts) != 4 or parts[0] != "v1_1":
            return self._error(404, "Not found")
        _, cloud, resource_type, action = parts
        if cloud != self.cloud:
            return self._error(401, f"Invalid cloud_name {cloud}")
        if action != "upload" or resource_type not in ("image", "video", "raw", "auto"):
            return self._error(404, "Not found")
        params = {k.removesuffix("[]"): ",".join(request.form.getlist(k)) for k in request.form}
        refusal = self._check_auth(params)
        if refusal:
            return self._error(*refusal)
        upload = request.files.get("file")
        if upload is None:
            return self._error(400, "Missing required parameter - file")
        return self._store(request, cloud, resource_type, params, upload)

    def _check_auth(self, params: dict[str, str]) -> tuple[int, str] | None:
        if params.get("api_key") != self.api_key:
            return 401, "Invalid api_key"
        timestamp = params.get("timestamp", "")
        if not timestamp.isdigit():
            return 400, "Missing required parameter - timestamp"
        if int(timestamp) < self.clock() - MAX_AGE_SECONDS:
            return 400, f"Stale request - reported time is {timestamp} which is out of range"
        expected = self.signature_of(params)
        if params.get("signature") != expected:
            return 401, f"Invalid Signature {params.get('signature')}. String to sign - " + repr(
                string_to_sign(params)
            )
        return None

    def _store(
        self,
        request: Request,
        cloud: str,
        resource_type: str,
        params: dict[str, str],
        upload: Any,
    ) -> Response:
        upload_id = request.headers.get("X-Unique-Upload-Id")
        first, last, total = _content_range(request.headers.get("Content-Range"))
        with self._lock:
            pending = self._pending.setdefault(upload_id or str(id(request)), _Pending())
        if first != pending.size:
            return self._error(400, "Chunks must be sent in order")
        while chunk := upload.stream.read(1024 * 1024):
            pending.size += len(chunk)
            pending.digest.update(chunk)
            if len(pending.head) < KEEP_BYTES + 1:
                pending.head += chunk[: KEEP_BYTES + 1 - len(pending.head)]
        public_id = (
            f"{params['folder']}/{params['public_id']}"
            if params.get("folder")
            else (params.get("public_id") or "random")
        )
        if total is not None and pending.size < total:
            return Response(
                _json({"done": False, "public_id": params.get("public_id")}),
                content_type="application/json",
            )
        with self._lock:
            self._pending.pop(upload_id or str(id(request)), None)
        return self._finish(cloud, resource_type, params, public_id, pending, upload.filename)

    def _finish(
        self,
        cloud: str,
        resource_type: str,
        params: dict[str, str],
        public_id: str,
        pending: _Pending,
        filename: str | None,
    ) -> Response:
        data = bytes(pending.head) if pending.size <= KEEP_BYTES else None
        fmt, width, height = _inspect(resource_type, filename or public_id, data)
        if fmt is None:
            return self._error(400, "Invalid image file")
        allowed = params.get("allowed_formats")
        if allowed and fmt not in allowed.split(","):
            return self._error(400, f"{fmt} format is not allowed")
        stored = ReceivedFile(
            cloud, resource_type, public_id, fmt, pending.size, pending.digest.hexdigest(),
            params, data, width, height,
        )  # fmt: skip
        with self._lock:
            earlier = self._existing(cloud, resource_type, public_id)
            if earlier is not None and params.get("overwrite") in ("false", "0"):
                stored = earlier
            else:
                self.received.append(stored)
        version = int(time.time())
        extension = "" if resource_type == "raw" else f".{stored.format}"
        path = f"{cloud}/{resource_type}/upload/v{version}/{public_id}{extension}"
        body = {
            "existing": stored is earlier,
            "public_id": public_id,
            "version": version,
            "resource_type": resource_type,
            "format": stored.format,
            "bytes": stored.size,
            "width": stored.width,
            "height": stored.height,
            "type": "upload",
            "url": f"http://res.cloudinary.com/{path}",
            "secure_url": f"https://res.cloudinary.com/{path}",
        }
        return Response(_json(body), content_type="application/json")

    def _existing(self, cloud: str, resource_type: str, public_id: str) -> ReceivedFile | None:
        """The newest file stored under this public id (callers hold the lock)."""
        for earlier in reversed(self.received):
            if (earlier.cloud, earlier.resource_type, earlier.public_id) == (
                cloud,
                resource_type,
                public_id,
            ):
                return earlier
        return None

    def _error(self, status: int, message: str) -> Response:
        with self._lock:
            self.refused.append((status, message))
        return Response(
            _json({"error": {"message": message}}), status=status, content_type="application/json"
        )


def _content_range(header: str | None) -> tuple[int, int | None, int | None]:
    if not header:
        return 0, None, None
    span, total = header.removeprefix("bytes ").split("/")
    first, last = span.split("-")
    return int(first), int(last), int(total)


def _inspect(resource_type: str, name: str, data: bytes | None) -> tuple[Any, Any, Any]:
    """(format, width, height): images are decoded, as Cloudinary does; others by name."""
    if resource_type == "image" and data is not None:
        if data.lstrip().startswith(b"<"):
            return "svg", None, None
        try:
            with Image.open(io.BytesIO(data)) as image:
                return (image.format or "").lower().replace("jpeg", "jpg"), *image.size
        except OSError:
            return None, None, None
    name = name.rsplit("/", 1)[-1]
    return (name.rsplit(".", 1)[-1] if "." in name else "bin"), None, None


def _json(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


if __name__ == "__main__":  # a separate process for benchmarks: prints its upload prefix
    import sys

    fake = FakeCloudinary().start()
    print(fake.upload_prefix, flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    print(len(fake.received), flush=True)
    fake.stop()
