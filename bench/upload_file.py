"""Memory and throughput of upload_file for a 10 MB and a 50 MB file.

Run:  .venv/bin/python bench/upload_file.py [--sizes-mb 10 50] [--chunk-mb 6]

Starts an embedded PostgreSQL (or uses DATABASE_URL) and the local Firestore emulator,
creates a user and a room through the real callables, runs the signature-checking fake
Cloudinary in a child process (so its memory is not counted) and serves the real
upload_file function over HTTP on a loopback port. A client streams each file (an MP4
header, then filler generated on the fly) as multipart/form-data. For each size it prints
the throughput of an untraced upload, then the peak of Python allocations during a second
upload (tracemalloc) and the process's peak RSS. Bounded memory means the peak stays near
one Cloudinary part (CLOUDINARY_CHUNK_BYTES) whatever the file size.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]
os.environ.setdefault("GCLOUD_PROJECT", "demo-flowchat")
os.environ.setdefault("GOOGLE_CLOUD_PROJECT", "demo-flowchat")
os.environ.setdefault("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")

from bench.callables import start_postgres  # noqa: E402
from bench.figures import record  # noqa: E402
from tests.support.id_tokens import id_token  # noqa: E402

MIB = 1024 * 1024
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
FILLER = bytes(range(256)) * 4096  # 1 MiB


def body(size: int, boundary: str) -> tuple[Iterator[bytes], int]:
    """A multipart body of one `size`-byte video part, generated as it is sent."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head + MP4_HEADER
        left = size - len(MP4_HEADER)
        while left > 0:
            piece = FILLER[: min(left, len(FILLER))]
            left -= len(piece)
            yield piece
        yield tail

    return chunks(), len(head) + size + len(tail)


def call(main: Any, name: str, data: Any, uid: str | None = None) -> Any:
    import flask

    app = flask.Flask("bench")
    headers = {"Authorization": f"Bearer {id_token(uid)}"} if uid else {}
    with app.test_request_context("/", method="POST", json={"data": data}, headers=headers):
        response = getattr(main, name)(flask.request)
    out = json.loads(response.get_data())
    assert "result" in out, out
    return out["result"]


def serve(main: Any) -> tuple[Any, str]:
    """upload_file behind a real HTTP server (werkzeug), as the Functions runtime serves it."""
    import flask
    from werkzeug.serving import make_server

    app = flask.Flask("upload")
    app.add_url_rule("/upload_file", "upload_file", lambda: main.upload_file(flask.request),
                     methods=["POST"])  # fmt: skip
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/upload_file"


def upload(url: str, uid: str, room_id: str, size: int) -> dict[str, Any]:
    import httpx

    boundary = uuid.uuid4().hex
    chunks, length = body(size, boundary)
    headers = {
        "Authorization": f"Bearer {id_token(uid)}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
    }
    response = httpx.post(url, params={"roomId": room_id}, content=chunks, headers=headers,
                          timeout=600)  # fmt: skip
    out = response.json()
    assert response.status_code == 200, out
    return out["result"]


def measure(url: str, uid: str, room_id: str, size_mb: int) -> None:
    size = size_mb * MIB
    started = time.perf_counter()
    result = upload(url, uid, room_id, size)
    seconds = time.perf_counter() - started
    assert result["size"] == size, result
    tracemalloc.start()
    upload(url, uid, room_id, size)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record(
        "upload_file", "throughput", size_mb / seconds, "MB/s", size=size_mb, lower_is_better=False
    )
    record("upload_file", "peak Python allocations", peak / MIB, "MiB", size=size_mb)
    record("upload_file", "process peak RSS", rss_mb, "MiB", size=size_mb)
    print(
        f"{size_mb:>4} MB | {size_mb / seconds:7.1f} MB/s | {seconds:6.2f} s | "
        f"peak Python allocations {peak / MIB:6.1f} MiB | process peak RSS {rss_mb:6.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--chunk-mb", type=int, default=6, help="CLOUDINARY_CHUNK_BYTES in MiB")
    args = parser.parse_args()
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    os.environ.update(
        CLOUDINARY_CHUNK_BYTES=str(args.chunk_mb * MIB),
        MAX_VIDEO_BYTES=str(max(args.sizes_mb) * MIB + MIB),
        CLOUDINARY_API_KEY="test-api-key",
        CLOUDINARY_API_SECRET="test-api-secret",
    )
    fake = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_cloudinary"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert fake.stdout is not None and fake.stdin is not None
    os.environ["CLOUDINARY_UPLOAD_PREFIX"] = fake.stdout.readline().strip()
    with tempfile.TemporaryDirectory(prefix="flowchat-bench-") as tmp:
        db_url, pg = start_postgres(Path(tmp))
        os.environ["DATABASE_URL"] = db_url
        try:
            run(args)
        finally:
            fake.stdin.close()
            print(f"files stored by the fake Cloudinary: {fake.stdout.readline().strip()}")
            fake.wait(30)
            if pg is not None:
                pg.cleanup()


def run(args: argparse.Namespace) -> None:
    from flowchat.migrate import migrate
    from sqlalchemy import create_engine

    from emulator.firestore.server import FirestoreEmulator

    engine = create_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    engine.dispose()
    emulator = FirestoreEmulator(port=0)
    emulator.start()
    os.environ["FIRESTORE_EMULATOR_HOST"] = emulator.address
    import main

    try:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        user = call(main, "register", {"username": name, "password": "bench password 1",
                                       "displayName": "Bench"})  # fmt: skip
        room = call(main, "create_room", {"kind": "group", "name": "Bench", "memberIds": []},
                    uid=user["uid"])  # fmt: skip
        server, url = serve(main)
        print(f"chunk size {args.chunk_mb} MiB; client, upload_file and PostgreSQL on one host")
        try:
            upload(url, user["uid"], room["roomId"], MIB)  # warm-up: imports, connections
            for size_mb in args.sizes_mb:
                measure(url, user["uid"], room["roomId"], size_mb)
        finally:
            server.shutdown()
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
