"""upload_file: the server-side upload path, through its real decorator, against the fake
Cloudinary (signature-checking) and the fake clamd; every refusal stores and writes nothing."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flask
import pytest
from PIL import Image

from tests.support.fake_clamd import EICAR
from tests.support.id_tokens import id_token

GPS = 0x8825  # the EXIF GPS IFD


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    bytes_read: int
    body_size: int

    @property
    def result(self) -> dict[str, Any]:
        assert self.status == 200, self.body
        return self.body["result"]

    @property
    def error(self) -> str:
        assert self.status != 200, self.body
        return self.body["error"]["status"]


class CountingStream(io.RawIOBase):
    """A request body that remembers how much of it the function read."""

    def __init__(self, data: bytes) -> None:
        self._data, self.read_bytes = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data[self.read_bytes : self.read_bytes + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.read_bytes += len(chunk)
        return len(chunk)


def multipart(content: bytes, declared: str, name: str = "file.bin") -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {declared}\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), boundary


Upload = Callable[..., Answer]


@pytest.fixture
def upload(main_module: Any, call: Any, cloudinary: Any) -> Upload:
    """upload(content, declared, uid=..., room_id=...) posts like a client would."""
    app = flask.Flask("upload-tests")

    def post(
        content: bytes,
        declared: str,
        *,
        uid: str | None,
        room_id: str,
        name: str = "file.bin",
        token: str | None = None,
        send_length: bool = True,
    ) -> Answer:
        body, boundary = multipart(content, declared, name)
        stream = CountingStream(body)
        headers = {}
        if token is not None or uid is not None:
            headers["Authorization"] = f"Bearer {token if token is not None else id_token(uid)}"
        environ = {
            "wsgi.input": stream,
            "wsgi.input_terminated": not send_length,
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        }
        if send_length:
            environ["CONTENT_LENGTH"] = str(len(body))
        with app.test_request_context(
            f"/?roomId={room_id}", method="POST", headers=headers, environ_overrides=environ
        ):
            response = main_module.upload_file(flask.request)
        return Answer(
            response.status_code, json.loads(response.get_data()), stream.read_bytes, len(body)
        )

    return post


@pytest.fixture
def room(call: Any, new_user: Any) -> dict[str, str]:
    owner, stranger = new_user(), new_user()
    out = call("create_room", {"kind": "group", "name": "Up", "memberIds": []}, uid=owner["uid"])
    return {"id": out.result["roomId"], "owner": owner["uid"], "stranger": stranger["uid"]}


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), gps: bool = True) -> bytes:
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[GPS] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(GPS)) or 0x010F in exif


@pytest.fixture
def nothing_happened(cloudinary: Any, counts: Any) -> Callable[[], None]:
    """Asserts (after a refusal) that nothing was stored in Cloudinary or PostgreSQL."""
    before = counts()

    def check() -> None:
        assert cloudinary.received == []
        assert counts() == before

    return check


# ---------- accepted ----------


@pytest.mark.parametrize(("fmt", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                                 ("WEBP", "image/webp")])  # fmt: skip
def test_an_image_is_stored_without_its_gps_metadata(upload, room, cloudinary, fmt, media_type):
    original = image_bytes(fmt)
    assert has_gps(original)
    out = upload(original, media_type, uid=room["owner"], room_id=room["id"], name="me.x").result

    [stored] = cloudinary.received
    assert not has_gps(stored.data)
    assert stored.public_id.startswith(f"flowchat/rooms/{room['id']}/")
    assert out["kind"] == "image" and out["contentType"] == media_type and out["name"] == "me.x"
    assert (out["width"], out["height"], out["size"]) == (64, 48, stored.size)
    folder = "https://res.cloudinary.com/demo-flowchat/image/upload/"
    assert out["url"].startswith(folder + "v") and stored.public_id in out["url"]
    assert out["thumbUrl"].startswith(folder + "c_fill,g_auto,h_320,w_320/v")
    assert stored.params["allowed_formats"] == stored.format


def test_documents_and_text_are_stored_as_raw_files_without_thumbnail(upload, room, cloudinary):
    pdf = upload(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf",
                 uid=room["owner"], room_id=room["id"], name="report.pdf").result  # fmt: skip
    text = upload("héllo, plain text\n".encode(), "text/plain; charset=utf-8",
                  uid=room["owner"], room_id=room["id"], name="a.txt").result  # fmt: skip
    assert (pdf["kind"], pdf["contentType"], text["contentType"]) == (
        "document", "application/pdf", "text/plain")  # fmt: skip
    assert "/raw/upload/" in pdf["url"] and pdf["url"].endswith(".pdf")
    assert "thumbUrl" not in pdf and "width" not in pdf
    assert [f.resource_type for f in cloudinary.received] == ["raw", "raw"]


def test_a_clean_svg_is_an_image(upload, room, cloudinary):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4"/></svg>'
    out = upload(svg, "image/svg+xml", uid=room["owner"], room_id=room["id"]).result
    assert out["kind"] == "image" and out["contentType"] == "image/svg+xml"
    assert len(cloudinary.received) == 1


def test_a_file_larger_than_one_part_is_sent_in_parts(upload, room, cloudinary, monkeypatch):
    monkeypatch.setenv("CLOUDINARY_CHUNK_BYTES", str(64 * 1024))
    content = b"line of text\n" * 30_000  # 390,000 bytes: seven parts
    out = upload(content, "text/plain", uid=room["owner"], room_id=room["id"]).result
    [stored] = cloudinary.received
    assert stored.size == out["size"] == len(content)


def test_the_returned_attachment_is_accepted_by_send_message(upload, call, firestore, room):
    attachment = upload(image_bytes("PNG"), "image/png", uid=room["owner"], room_id=room["id"],
                        name="cat.png").result  # fmt: skip
    sent = call("send_message", {"roomId": room["id"], "kind": "image", "text": "",
                                 "attachments": [attachment], "idempotencyKey": uuid.uuid4().hex},
                uid=room["owner"])  # fmt: skip
    doc = firestore.document(f"rooms/{room['id']}/messages/{sent.result['messageId']}").get()
    assert doc.get("attachments") == [attachment]


def test_a_clean_file_is_scanned_when_clamd_is_configured(
    upload, room, cloudinary, clamd_server, monkeypatch
):
    monkeypatch.setenv("CLAMD_ADDRESS", clamd_server.address)
    before = len(clamd_server.scanned)
    out = upload(b"nothing to see\n", "text/plain", uid=room["owner"], room_id=room["id"])
    assert out.result["size"] == 15
    assert clamd_server.scanned[before:] == [(15, False)]
    assert len(cloudinary.received) == 1


# ---------- refused: nothing stored, nothing written ----------


def test_a_file_over_its_kind_limit_is_refused_before_the_body_is_read(
    upload, room, nothing_happened, monkeypatch
):
    monkeypatch.setenv("MAX_IMAGE_BYTES", str(100 * 1024))
    big = image_bytes("PNG") + b"\0" * (2 * 1024 * 1024)
    out = upload(big, "image/png", uid=room["owner"], room_id=room["id"], send_length=False)
    assert (out.status, out.error) == (413, "INVALID_ARGUMENT")
    assert out.body["error"]["details"]["maxBytes"] == 100 * 1024
    assert out.bytes_read < 300 * 1024 < out.body_size
    nothing_happened()


def test_a_body_announced_larger_than_any_limit_is_refused_unread(upload, room, nothing_happened):
    from flowchat.api import upload_http

    out = upload(b"x", "text/plain", uid=room["owner"], room_id=room["id"], send_length=True)
    assert out.status == 200  # the control: a small body passes
    app = flask.Flask("huge")
    with app.test_request_context(
        f"/?roomId={room['id']}", method="POST",
        headers={"Authorization": f"Bearer {id_token(room['owner'])}"},
        environ_overrides={"CONTENT_LENGTH": str(10**12), "wsgi.input": CountingStream(b""),
                           "CONTENT_TYPE": "multipart/form-data; boundary=x"},
    ):  # fmt: skip
        response = upload_http.upload_file(flask.request)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("content", "declared", "message"),
    [
        (b"%PDF-1.4\n%%EOF\n", "image/png", "not the declared"),
        (image_bytes("PNG"), "image/jpeg", "not the declared"),
        (image_bytes("JPEG"), "text/plain", "not the declared"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/plain", "HTML"),
        (b"hello\n<script>fetch('/x')</script>", "text/plain", "HTML"),
        (b"<html><body>hi</body></html>", "image/png", "HTML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "image/svg+xml", "script"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml",
         "script"),
        (b'<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "image/svg+xml",
         "script"),
        (b'<svg><foreignObject><body xmlns="http://www.w3.org/1999/xhtml"></body>'
         b"</foreignObject></svg>", "image/svg+xml", "script"),
        (b"MZ\x90\x00\x03" + b"\0" * 200, "application/zip", "executables"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 200, "text/plain", "executables"),
        (b"#!/bin/sh\nrm -rf /\n", "text/plain", "executables"),
        (b"\xca\xfe\xba\xbe" + b"\0" * 100, "application/zip", "executables"),
        (b"\x00\x01\x02binary", "text/plain", "not one FlowChat accepts"),
        (b"plain", "application/x-msdownload", "not accepted"),
        (b"plain", "", "not accepted"),
    ],
    ids=[
        "pdf-as-png", "png-as-jpeg", "jpeg-as-text", "html-as-text", "script-in-text",
        "html-as-png", "svg-script", "svg-onload", "svg-javascript-link", "svg-foreign-object",
        "windows-exe", "elf", "shell-script", "java-class", "binary-as-text", "exe-type",
        "no-type",
    ],
)  # fmt: skip
def test_a_file_whose_content_is_not_acceptable_is_refused(
    upload, room, nothing_happened, content, declared, message
):
    out = upload(content, declared, uid=room["owner"], room_id=room["id"])
    assert (out.status, out.error) == (400, "INVALID_ARGUMENT")
    assert message in out.body["error"]["message"]
    nothing_happened()


def test_an_infected_file_is_refused_and_audited(
    upload, room, cloudinary, clamd_server, rows, counts, monkeypatch
):
    monkeypatch.setenv("CLAMD_ADDRESS", clamd_server.address)
    before = counts()
    out = upload(EICAR + b"\n", "text/plain", uid=room["owner"], room_id=room["id"], name="t.txt")
    assert (out.status, out.error) == (400, "INVALID_ARGUMENT")
    assert out.body["error"]["details"] == {"virus": "Win.Test.EICAR_HDB-1"}
    assert cloudinary.received == []
    [audit] = rows(
        "SELECT actor_id, room_id, details FROM audit_log WHERE action = 'upload_infected' "
        "AND actor_id = :u",
        u=room["owner"],
    )
    assert str(audit.room_id) == room["id"]
    assert audit.details["signature"] == "Win.Test.EICAR_HDB-1" and audit.details["name"] == "t.txt"
    assert counts() == {**before, "audit_log": before["audit_log"] + 1}


def test_an_unreachable_scanner_refuses_the_upload(upload, room, nothing_happened, monkeypatch):
    monkeypatch.setenv("CLAMD_ADDRESS", "127.0.0.1:1")
    out = upload(b"text\n", "text/plain", uid=room["owner"], room_id=room["id"])
    assert (out.status, out.error) == (503, "UNAVAILABLE")
    nothing_happened()


def test_a_non_member_is_refused_before_the_body_is_read(upload, room, nothing_happened):
    out = upload(image_bytes("PNG"), "image/png", uid=room["stranger"], room_id=room["id"])
    assert (out.status, out.error) == (403, "PERMISSION_DENIED")
    assert out.bytes_read == 0
    nothing_happened()


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c"])
def test_a_missing_or_invalid_token_is_refused(upload, room, nothing_happened, token):
    out = upload(b"text\n", "text/plain", uid=None, room_id=room["id"], token=token or None)
    assert (out.status, out.error) == (401, "UNAUTHENTICATED")
    assert out.bytes_read == 0
    nothing_happened()


def test_an_expired_token_is_refused(main_module, upload, room, nothing_happened):
    expired = id_token(room["owner"], lifetime_seconds=-60)
    out = upload(b"text\n", "text/plain", uid=None, room_id=room["id"], token=expired)
    assert (out.status, out.error) == (401, "UNAUTHENTICATED")
    nothing_happened()


def test_a_bad_room_id_is_refused(upload, room, nothing_happened):
    out = upload(b"text\n", "text/plain", uid=room["owner"], room_id="../other")
    assert (out.status, out.error) == (400, "INVALID_ARGUMENT")
    nothing_happened()


def test_a_wrong_secret_fails_without_logging_it(
    upload, room, cloudinary, monkeypatch, caplog, nothing_happened
):
    secret = "wrong-secret-do-not-log-4f1c"
    monkeypatch.setenv("CLOUDINARY_API_SECRET", secret)
    with caplog.at_level(logging.DEBUG):
        out = upload(b"text\n", "text/plain", uid=room["owner"], room_id=room["id"])
    assert (out.status, out.error) == (503, "UNAVAILABLE")
    assert cloudinary.refused and "Invalid Signature" in cloudinary.refused[-1][1]
    assert "Cloudinary refused" in caplog.text
    assert secret not in caplog.text and secret not in json.dumps(out.body)
    nothing_happened()
