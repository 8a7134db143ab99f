"""get_upload_signature: a short-lived signed upload straight from the client to Cloudinary."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from flowchat import media_urls
from flowchat.adapters import cloudinary_store
from flowchat.errors import InvalidInput
from flowchat.services import accounts, membership, upload_kinds
from flowchat.services.domain import FileKind, ResourceType
from flowchat.services.upload_params import SIGNATURE_LIFETIME_SECONDS

MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class SignedUpload:
    """Everything a client needs to POST one file to Cloudinary, and where it will be."""

    upload_url: str
    fields: dict[str, Any]  # the form fields to send with the file, signature included
    kind: FileKind
    resource_type: ResourceType
    max_bytes: int
    expires_at: int  # Unix seconds; Cloudinary refuses the signature after that
    url_pattern: str  # the file's URL once stored: {version} to fill in from the response


def new_public_id(fmt: str, resource_type: ResourceType) -> str:
    """A random file name; raw files keep their extension in the public id (as Cloudinary does)."""
    name = secrets.token_urlsafe(16)
    return f"{name}.{fmt}" if resource_type == ResourceType.RAW else name


def check_file_name(name: str) -> str:
    """The display name of an attachment: 1-255 characters, no control characters."""
    if not 1 <= len(name) <= MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise InvalidInput(f"fileName must be 1-{MAX_NAME} characters without control characters")
    return name


def sign_upload(
    session: Session, uid: str, room_id: str, file_name: str, size: int, content_type: str
) -> SignedUpload:
    """A file for a room: membership and limits checked, then folder, id, format, time signed."""
    kind = _checked_kind(file_name, size, content_type)
    accounts.require_active_user(session, uid)
    membership.require_member(session, room_id, uid)
    return _signed(kind, content_type, media_urls.room_folder(room_id))


def sign_avatar_upload(
    session: Session, uid: str, file_name: str, size: int, content_type: str
) -> SignedUpload:
    """An image for the caller's avatar folder (what update_profile accepts)."""
    kind = _checked_kind(file_name, size, content_type)
    if kind is not upload_kinds.IMAGE:
        raise InvalidInput("an avatar must be an image (jpeg, png, gif or webp)")
    accounts.require_active_user(session, uid)
    return _signed(kind, content_type, media_urls.avatar_folder(uid))


def _checked_kind(file_name: str, size: int, content_type: str) -> upload_kinds.UploadKind:
    check_file_name(file_name)
    kind = upload_kinds.kind_of(content_type)
    upload_kinds.require_size(kind, size)
    return kind


def _signed(kind: upload_kinds.UploadKind, content_type: str, folder: str) -> SignedUpload:
    fmt = kind.formats[upload_kinds.normalized(content_type)]
    public_id = new_public_id(fmt, kind.resource_type)
    timestamp = int(time.time())
    params: dict[str, Any] = {
        "timestamp": timestamp,
        "folder": folder,
        "public_id": public_id,
        "allowed_formats": fmt,
        # The signature stays valid for an hour: without this, its holder could upload new
        # content under the same URL after the message went out (or after being removed).
        # A string: the SDK leaves falsy values out of the string to sign.
        "overwrite": "false",
    }
    fields = {
        **params,
        "signature": cloudinary_store.sign(params),
        "api_key": cloudinary_store.api_key(),
    }
    extension = "" if kind.resource_type == ResourceType.RAW else f".{fmt}"
    url_pattern = (
        f"https://res.cloudinary.com/{cloudinary_store.cloud_name()}/{kind.resource_type}"
        f"/upload/v{{version}}/{folder}/{public_id}{extension}"
    )
    return SignedUpload(
        upload_url=cloudinary_store.upload_url(kind.resource_type.value),
        fields=fields,
        kind=kind.name,
        resource_type=kind.resource_type,
        max_bytes=kind.max_bytes,
        expires_at=timestamp + SIGNATURE_LIFETIME_SECONDS,
        url_pattern=url_pattern,
    )
