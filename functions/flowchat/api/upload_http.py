"""upload_file: an HTTPS function taking one file as multipart/form-data.

POST ?roomId=<id> with `Authorization: Bearer <Firebase ID token>` and a part named "file"
whose Content-Type is the declared media type. Answers like a callable: 200
{"result": attachment} or an error {"error": {"status", "message", "details"}}.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Request, Response

from flowchat.adapters import tokens
from flowchat.api import wire
from flowchat.api.multipart_file import receive_file
from flowchat.errors import DomainError, FileTooLarge, Forbidden, InvalidInput, NotAuthenticated
from flowchat.services import accounts, file_uploads, membership, upload_kinds
from flowchat.unit_of_work import unit_of_work

HTTP_STATUS = {
    "INVALID_ARGUMENT": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "RESOURCE_EXHAUSTED": 429,
    "FAILED_PRECONDITION": 400,
    "UNAVAILABLE": 503,
}
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file


def upload_file(request: Request) -> Response:
    """Check the caller and the room, then receive, check and store the file."""
    if request.method != "POST":
        return _error("INVALID_ARGUMENT", "use POST", 405)
    try:
        uid = _caller(request)
        room_id = _room_id(request)
        _require_room_member(uid, room_id)
        _require_plausible_length(request)
        received = receive_file(request, _limit_of)
        with received.file:
            stored = file_uploads.accept(uid, room_id, received)
    except DomainError as err:
        status = 413 if isinstance(err, FileTooLarge) else HTTP_STATUS.get(err.code, 400)
        return _error(err.code, err.message, status, err.details)
    body = json.dumps({"result": wire.attachment(stored)})
    return Response(body, 200, mimetype="application/json")


def _caller(request: Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("send a Firebase ID token: Authorization: Bearer <token>")
    uid = tokens.uid_of_id_token(token.strip())
    if uid is None:
        raise NotAuthenticated("the ID token is invalid or expired")
    return uid


def _room_id(request: Request) -> str:
    try:
        return str(uuid.UUID(request.args.get("roomId", "")))
    except ValueError as err:
        raise InvalidInput("roomId (query parameter) must be a room id") from err


def _require_room_member(uid: str, room_id: str) -> None:
    """Checked before the body is read: a stranger's upload costs no bandwidth."""
    try:
        uuid.UUID(uid)
    except ValueError as err:
        raise Forbidden("this sign-in has no FlowChat account") from err
    with unit_of_work() as session:
        accounts.require_active_user(session, uid)
        membership.require_member(session, room_id, uid)


def _require_plausible_length(request: Request) -> None:
    most = max(kind.max_bytes for kind in upload_kinds.KINDS) + MULTIPART_OVERHEAD
    if request.content_length is not None and request.content_length > most:
        raise FileTooLarge(f"the body is larger than {most} bytes", {"maxBytes": most})


def _limit_of(declared_type: str) -> int:
    return upload_kinds.kind_of(declared_type, allow_svg=True).max_bytes


def _error(code: str, message: str, status: int, details: Any = None) -> Response:
    error: dict[str, Any] = {"status": code, "message": message}
    if details is not None:
        error["details"] = details
    return Response(json.dumps({"error": error}), status, mimetype="application/json")
