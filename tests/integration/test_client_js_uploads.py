"""client/js's uploads (uploadFile, uploadDirect, getUploadSignature) and its attachment URL
check, under Node, against the real upload_file / get_upload_signature served over HTTP
and the fake Cloudinary; the client's URL verdicts must equal the backend's."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask
import pytest
from PIL import Image
from werkzeug.serving import make_server

from tests.support.id_tokens import id_token

CLIENT = Path(__file__).resolve().parents[2] / "client" / "js"
URLS = [
    "https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/rooms/{room}/a.png",
    "https://res.cloudinary.com/demo-flowchat/image/upload/c_fill,g_auto,h_320,w_320/v1/flowchat/rooms/{room}/a.jpg",
    "https://res.cloudinary.com/demo-flowchat/raw/upload/v1/flowchat/rooms/{room}/a.pdf",
    "https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/rooms/{room}/../x/a.png",
    "https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/rooms/{room}/%2e%2e/a.png",
    "https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/rooms/other/a.png",
    "https://res.cloudinary.com/other-cloud/image/upload/v1/flowchat/rooms/{room}/a.png",
    "http://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/rooms/{room}/a.png",
    "https://res.cloudinary.com/demo-flowchat/image/upload/v1/flowchat/rooms/{room}/a.png?x",
    "https://res.cloudinary.com/demo-flowchat/audio/upload/v1/flowchat/rooms/{room}/a.mp3",
    "https://res.cloudinary.com/demo-flowchat/image/upload/c_scale,w_9000/v1/flowchat/rooms/{room}/a.jpg",
    "https://res.cloudinary.com/demo-flowchat/image/upload/c_fill,g_auto,h_320,w_320,e_blur/v1/flowchat/rooms/{room}/a.jpg",
]  # fmt: skip


@pytest.fixture
def functions_server(main_module: Any, cloudinary: Any) -> Iterator[tuple[str, int]]:
    """upload_file and get_upload_signature at the Functions emulator's URL layout."""
    app = flask.Flask("functions")
    for name in ("upload_file", "get_upload_signature"):
        app.add_url_rule(
            f"/demo-flowchat/us-central1/{name}", name,
            lambda name=name: getattr(main_module, name)(flask.request), methods=["POST"],
        )  # fmt: skip
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.server_port
    server.shutdown()
    thread.join(10)


def test_the_client_uploads_and_checks_urls_as_the_backend(
    committed: Any, functions_server: tuple[str, int], cloudinary: Any, tmp_path: Path
) -> None:
    node = shutil.which("node")
    if not node or not (CLIENT / "dist" / "uploads.js").is_file():
        pytest.skip("needs node and a built client/js (bash scripts/bootstrap.sh)")
    from flowchat.services import file_urls

    owner = committed.user("up")
    room = committed.call(
        "create_room", {"kind": "group", "name": "Js", "memberIds": []}, uid=owner["uid"]
    ).result["roomId"]
    png = io.BytesIO()
    Image.new("RGB", (5, 3), "navy").save(png, "PNG")
    urls = [u.format(room=room) for u in URLS]
    config = {
        "functionsHost": functions_server[0], "functionsPort": functions_server[1],
        "projectId": "demo-flowchat", "region": "us-central1", "idToken": id_token(owner["uid"]),
        "roomId": room, "urls": urls, "pngBase64": base64.b64encode(png.getvalue()).decode(),
    }  # fmt: skip
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    run = subprocess.run(
        [node, str(CLIENT / "test" / "uploads.mjs"), str(config_path)],
        capture_output=True, text=True, timeout=120, cwd=CLIENT,
    )  # fmt: skip
    steps = {line["step"]: line for line in map(json.loads, run.stdout.splitlines())}
    assert "done" in steps, run.stderr + run.stdout

    uploaded = steps["upload-file"]
    assert uploaded["ok"], uploaded
    assert uploaded["attachment"]["kind"] == "image" and "thumbUrl" in uploaded["attachment"]
    direct = steps["upload-direct"]
    assert direct["ok"], direct
    assert direct["attachment"]["size"] == len(png.getvalue())
    assert [f.public_id.split("/")[2] for f in cloudinary.received] == [room, room]
    refused = steps["upload-file-refused"]
    assert (refused["errorClass"], refused["code"]) == ("UploadError", "callable/invalid-argument")
    expected = [file_urls.is_room_file_url(url, room) for url in urls]
    assert steps["url-checks"]["verdicts"] == expected
    assert expected[:3] == [True, True, True] and not any(expected[3:])
