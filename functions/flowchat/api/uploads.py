"""get_upload_signature (callable) and upload_file (HTTPS, multipart)."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.errors import InvalidInput
from flowchat.services import upload_signatures
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def get_upload_signature(req: Request) -> dict[str, Any]:
    """Signed upload parameters for one file of roomId, or (for: "avatar") of the caller's
    avatar folder (fileName, size, contentType)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "for", "fileName", "size", "contentType")
        purpose = data.get("for", "room")
        if purpose not in ("room", "avatar"):
            raise InvalidInput("for must be 'room' or 'avatar'")
        file_name = fields.text(data, "fileName", upload_signatures.MAX_NAME)
        size = data.get("size")
        if isinstance(size, bool) or not isinstance(size, int):
            raise InvalidInput("size is required and must be an integer (bytes)")
        content_type = fields.text(data, "contentType", 127)
        if purpose == "avatar" and data.get("roomId") is not None:
            raise InvalidInput("an avatar upload takes no roomId")
        room_id = fields.user_id(data, "roomId") if purpose == "room" else None
        with unit_of_work() as session:
            if room_id is None:
                signed = upload_signatures.sign_avatar_upload(
                    session, uid, file_name, size, content_type
                )
            else:
                signed = upload_signatures.sign_upload(
                    session, uid, room_id, file_name, size, content_type
                )
    return {
        "uploadUrl": signed.upload_url,
        "fields": signed.fields,
        "kind": signed.kind,
        "resourceType": signed.resource_type,
        "maxBytes": signed.max_bytes,
        "expiresAt": signed.expires_at,
        "urlPattern": signed.url_pattern,
    }
