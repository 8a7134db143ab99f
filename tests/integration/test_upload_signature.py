"""get_upload_signature: member check, limits, and a signature the fake Cloudinary accepts."""

from __future__ import annotations

import io
import time
import uuid
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.integration.conftest import Caller


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def room(call: Caller, new_user: Any) -> dict[str, Any]:
    owner, stranger = new_user(), new_user()
    room = call(
        "create_room", {"kind": "group", "name": "Files", "memberIds": []}, uid=owner["uid"]
    )
    return {"id": room.result["roomId"], "owner": owner["uid"], "stranger": stranger["uid"]}


def sign(call: Caller, room: dict[str, Any], uid: str | None = None, **over: Any) -> Any:
    data = {"roomId": room["id"], "fileName": "cat.png", "size": 1234, "contentType": "image/png"}
    return call("get_upload_signature", {**data, **over}, uid=uid or room["owner"])


def post(signed: dict[str, Any], content: bytes, **fields: Any) -> httpx.Response:
    data = {**signed["fields"], **fields}
    files = {"file": ("cat.png", content, "application/octet-stream")}
    return httpx.post(signed["uploadUrl"], data=data, files=files, timeout=10)


def test_a_member_uploads_with_the_signature_to_the_room_folder(call, room, cloudinary) -> None:
    signed = sign(call, room).result
    assert signed["kind"] == "image" and signed["resourceType"] == "image"
    assert signed["uploadUrl"] == f"{cloudinary.upload_prefix}/v1_1/demo-flowchat/image/upload"
    assert signed["fields"]["folder"] == f"flowchat/rooms/{room['id']}"
    assert signed["fields"]["allowed_formats"] == "png"
    assert signed["maxBytes"] == 10 * 1024 * 1024
    assert signed["expiresAt"] - signed["fields"]["timestamp"] == 3600
    assert "test-api-secret" not in str(signed)

    response = post(signed, png_bytes())

    assert response.status_code == 200, response.text
    stored = response.json()
    assert stored["public_id"] == f"flowchat/rooms/{room['id']}/{signed['fields']['public_id']}"
    expected = signed["urlPattern"].replace("{version}", str(stored["version"]))
    assert stored["secure_url"] == expected
    assert [f.public_id for f in cloudinary.received] == [stored["public_id"]]


@pytest.mark.parametrize(
    "change",
    [
        {"folder": "flowchat/rooms/another-room"},
        {"public_id": "chosen-by-the-client"},
        {"allowed_formats": "png,svg"},
        {"timestamp": str(int(time.time()) + 5)},
    ],
    ids=["folder", "public_id", "allowed_formats", "timestamp"],
)
def test_a_tampered_parameter_is_refused_by_cloudinary(call, room, cloudinary, change) -> None:
    signed = sign(call, room).result
    response = post(signed, png_bytes(), **change)
    assert response.status_code == 401
    assert "Invalid Signature" in response.json()["error"]["message"]
    assert cloudinary.received == []


def test_a_signature_made_with_the_wrong_secret_is_refused(
    call, room, cloudinary, monkeypatch
) -> None:
    monkeypatch.setenv("CLOUDINARY_API_SECRET", "not-the-secret")
    response = post(sign(call, room).result, png_bytes())
    assert response.status_code == 401
    assert cloudinary.received == []


def test_a_signature_older_than_an_hour_is_refused(call, room, cloudinary) -> None:
    signed = sign(call, room).result
    cloudinary.clock = lambda: time.time() + 3601  # the client posts an hour later
    response = post(signed, png_bytes())
    assert response.status_code == 400
    assert "Stale request" in response.json()["error"]["message"]
    assert cloudinary.received == []


def test_sha256_accounts_get_sha256_signatures(call, room, cloudinary, monkeypatch) -> None:
    monkeypatch.setattr(cloudinary, "algorithm", "sha256")
    monkeypatch.setenv("CLOUDINARY_SIGNATURE_ALGORITHM", "sha256")
    signed = sign(call, room).result
    assert len(signed["fields"]["signature"]) == 64
    assert post(signed, png_bytes()).status_code == 200


def test_a_file_of_another_format_than_signed_is_refused(call, room, cloudinary) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "GIF")
    response = post(sign(call, room).result, out.getvalue())
    assert response.status_code == 400
    assert cloudinary.received == []


def test_the_kinds_and_their_resource_types(call, room, cloudinary) -> None:
    cases = {
        ("clip.mp4", "video/mp4"): ("video", "video"),
        ("notes.pdf", "application/pdf"): ("document", "raw"),
        ("a.txt", "text/plain; charset=utf-8"): ("document", "raw"),
        ("b.zip", "application/zip"): ("other", "raw"),
        ("photo.jpg", "image/jpg"): ("image", "image"),
    }
    for (name, media_type), (kind, resource_type) in cases.items():
        out = sign(call, room, fileName=name, contentType=media_type).result
        assert (out["kind"], out["resourceType"]) == (kind, resource_type), name
    raw = sign(call, room, fileName="n.pdf", contentType="application/pdf").result
    assert raw["fields"]["public_id"].endswith(".pdf")
    assert raw["urlPattern"].endswith(raw["fields"]["public_id"])


@pytest.mark.parametrize(
    ("over", "status"),
    [
        ({"size": 10 * 1024 * 1024 + 1}, "INVALID_ARGUMENT"),
        ({"contentType": "text/html"}, "INVALID_ARGUMENT"),
        ({"contentType": "image/svg+xml"}, "INVALID_ARGUMENT"),
        ({"contentType": "application/x-msdownload"}, "INVALID_ARGUMENT"),
        ({"size": -1}, "INVALID_ARGUMENT"),
        ({"size": "12"}, "INVALID_ARGUMENT"),
        ({"fileName": "a\nb.png"}, "INVALID_ARGUMENT"),
        ({"roomId": "not-an-id"}, "INVALID_ARGUMENT"),
    ],
)
def test_bad_requests_are_refused(call, room, cloudinary, counts, over, status) -> None:
    before = counts()
    out = sign(call, room, **over)
    assert out.status == status
    assert counts() == before


def test_the_size_limit_is_a_param(call, room, cloudinary, monkeypatch) -> None:
    monkeypatch.setenv("MAX_IMAGE_BYTES", "1000")
    out = sign(call, room, size=1001)
    assert out.status == "INVALID_ARGUMENT" and out.details["maxBytes"] == 1000
    assert sign(call, room, size=1000).ok


def test_a_non_member_gets_no_signature(call, room, cloudinary, counts) -> None:
    before = counts()
    out = sign(call, room, uid=room["stranger"])
    assert out.status == "PERMISSION_DENIED"
    assert counts() == before and cloudinary.received == []


def test_signing_needs_a_signed_in_caller(call, room, cloudinary) -> None:
    data = {"roomId": room["id"], "fileName": "a.png", "size": 1, "contentType": "image/png"}
    assert call("get_upload_signature", data).status == "UNAUTHENTICATED"


def test_an_avatar_upload_lands_where_update_profile_accepts_it(call, room, cloudinary) -> None:
    uid = room["owner"]
    signed = call(
        "get_upload_signature",
        {"for": "avatar", "fileName": "me.png", "size": 100, "contentType": "image/png"},
        uid=uid,
    ).result
    assert signed["fields"]["folder"] == f"flowchat/avatars/{uid}"
    stored = post(signed, png_bytes()).json()
    profile = call("update_profile", {"avatarUrl": stored["secure_url"]}, uid=uid).result
    assert profile["avatarUrl"] == stored["secure_url"]
    assert "/upload/c_thumb,g_face,h_128,w_128/v" in profile["avatarThumbUrl"]


@pytest.mark.parametrize(
    "data",
    [
        {"for": "avatar", "fileName": "a.pdf", "size": 1, "contentType": "application/pdf"},
        {"for": "avatar", "roomId": str(uuid.uuid4()), "fileName": "a.png", "size": 1,
         "contentType": "image/png"},
        {"for": "banner", "fileName": "a.png", "size": 1, "contentType": "image/png"},
    ],
)  # fmt: skip
def test_bad_avatar_requests_are_refused(call, room, cloudinary, data) -> None:
    assert call("get_upload_signature", data, uid=room["owner"]).status == "INVALID_ARGUMENT"


def test_a_signature_cannot_replace_the_uploaded_file(call, room, cloudinary) -> None:
    """Bait and switch: the signature is valid for an hour, but a second upload with it (new
    content under the URL already posted) keeps the first file."""
    signed = sign(call, room).result
    first = post(signed, png_bytes())
    assert first.status_code == 200, first.text
    other = io.BytesIO()
    Image.new("RGB", (8, 6), "blue").save(other, "PNG")
    again = post(signed, other.getvalue())
    assert again.status_code == 200 and again.json()["existing"] is True
    stored = [f for f in cloudinary.received if f.public_id == first.json()["public_id"]]
    assert [f.data for f in stored] == [png_bytes()]
    assert signed["fields"]["overwrite"] == "false"
    flipped = post(signed, other.getvalue(), overwrite="true")
    assert flipped.status_code == 401  # the signature covers overwrite
