"""get_upload_signature (callable) and upload_file (HTTPS, multipart)."""

from __future__ import annotations

from typing import Any

from flowchat.api import responses, wire
from flowchat.api.handling import Request, answer, calling
from flowchat.api.schema import NOT_A_MEMBER, Failure, Field, Schema, optional_id, text
from flowchat.errors import InvalidInput
from flowchat.services import upload_signatures


def _purpose(data: dict[str, Any]) -> str | None:
    value = data.get("for")
    if value not in (None, "room", "avatar"):
        raise InvalidInput("for must be 'room' or 'avatar'")
    return value


def _size(data: dict[str, Any]) -> int:
    size = data.get("size")
    if isinstance(size, bool) or not isinstance(size, int):
        raise InvalidInput("size is required and must be an integer (bytes)")
    return size


GET_UPLOAD_SIGNATURE = Schema(
    "Signed parameters to upload one file straight to Cloudinary: for a room (members only; "
    "then send a message whose attachment carries the stored URL) or for the caller's avatar "
    "(then update_profile with it).",
    (
        optional_id("roomId", "the room the file is for; required unless for is avatar"),
        Field(
            "for",
            '"room" | "avatar"',
            False,
            "room (default) or avatar",
            "what the file is for",
            _purpose,
        ),
        text(
            "fileName",
            upload_signatures.MAX_NAME,
            "the file's name, shown to members; no control characters",
        ),
        Field("size", "number", True, "bytes, at most the kind's limit", "the file's size", _size),
        text("contentType", 127, "the file's media type; decides its kind and size limit"),
    ),
    responses.SignedUpload,
    (
        NOT_A_MEMBER,
        Failure("INVALID_ARGUMENT", "roomId given for an avatar, or missing for a room file"),
        Failure(
            "INVALID_ARGUMENT",
            "a media type FlowChat does not take (`details.accepted` lists them), or a size "
            "above the kind's limit (`details.maxBytes`)",
        ),
    ),
)


def get_upload_signature(req: Request) -> dict[str, Any]:
    """Signed upload parameters for one file of roomId, or (for: "avatar") of the caller's
    avatar folder (fileName, size, contentType)."""
    with calling(req, GET_UPLOAD_SIGNATURE) as call:
        args, session, uid = call.args, call.session, call.uid
        purpose, room_id = args["for"] or "room", args["roomId"]
        if purpose == "avatar" and room_id is not None:
            raise InvalidInput("an avatar upload takes no roomId")
        if purpose == "room" and room_id is None:
            raise InvalidInput("roomId is required and must be an id string")
        file_name, size, content_type = args["fileName"], args["size"], args["contentType"]
        if room_id is None:
            signed = upload_signatures.sign_avatar_upload(
                session, uid, file_name, size, content_type
            )
        else:
            signed = upload_signatures.sign_upload(
                session, uid, room_id, file_name, size, content_type
            )
    return answer(wire.signed_upload(signed))
