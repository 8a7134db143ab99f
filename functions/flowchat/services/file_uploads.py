"""upload_file: check a received file, clean it, scan it, store it in the room's folder.

The body is already on disk (the API layer stopped reading at the size limit). Here the
real type is read from the bytes, images lose their metadata, ClamAV scans when
configured, and the Cloudinary SDK stores the file in parts. Refusals write nothing but,
for an infected file, one audit row.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from typing import IO

from flowchat import media_urls
from flowchat.adapters import clamav, cloudinary_store
from flowchat.errors import InvalidInput, Unavailable
from flowchat.services import audit, file_types, file_urls, image_metadata, upload_params
from flowchat.services.domain import FileKind
from flowchat.services.upload_kinds import SVG
from flowchat.services.upload_signatures import new_public_id
from flowchat.unit_of_work import unit_of_work

log = logging.getLogger(__name__)
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    """A file part read from the request body into a temporary file."""

    file: IO[bytes]
    name: str
    declared_type: str
    size: int


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    """A stored file as a message's attachment carries it (thumbnail and size if known)."""

    kind: FileKind
    url: str
    name: str
    content_type: str
    size: int
    thumb_url: str | None = None
    width: int | None = None
    height: int | None = None


def accept(uid: str, room_id: str, received: ReceivedFile) -> StoredAttachment:
    """Check, clean, scan and store the file; the attachment a message carries."""
    file_type = _real_type(received)
    file_types.require_declared(received.declared_type, file_type)
    with tempfile.TemporaryFile() as cleaned:
        content, size, dimensions = _cleaned(received, file_type, cleaned)
        _scan(uid, room_id, received.name, content, size)
        content.seek(0)
        kind = file_type.kind
        fmt = kind.formats[file_type.media_type]
        folder = media_urls.room_folder(room_id)
        stored = cloudinary_store.upload(
            content, kind.resource_type.value, folder, new_public_id(fmt, kind.resource_type), fmt
        )
    return _attachment(room_id, received.name, file_type, stored, dimensions)


def _real_type(received: ReceivedFile) -> file_types.FileType:
    received.file.seek(0)
    head = received.file.read(file_types.HEAD_BYTES)

    def whole() -> bytes | None:  # only text needs it (SVG), bounded by the image limit
        if received.size > SVG.max_bytes:
            return None
        received.file.seek(0)
        return received.file.read()

    return file_types.detect(head, whole)


def _cleaned(
    received: ReceivedFile, file_type: file_types.FileType, target: IO[bytes]
) -> tuple[IO[bytes], int, tuple[int, int] | None]:
    """The content to store: images re-encoded without metadata, anything else as sent."""
    received.file.seek(0)
    if file_type.media_type not in image_metadata.PILLOW_FORMATS:
        return received.file, received.size, None
    dimensions = image_metadata.strip(received.file, target, file_type.media_type)
    size = target.tell()
    if size > file_type.kind.max_bytes:
        raise InvalidInput(f"the cleaned image is over {file_type.kind.max_bytes} bytes")
    return target, size, dimensions


def _scan(uid: str, room_id: str, name: str, content: IO[bytes], size: int) -> None:
    address = upload_params.CLAMD_ADDRESS.value
    if not address:
        return
    content.seek(0)
    timeout = upload_params.CLAMD_TIMEOUT_SECONDS.value
    found = clamav.scan(content, address, timeout)
    if found is None:
        return
    content.seek(0)
    digest = _sha256(content)
    with unit_of_work() as session:
        audit.record(
            session, "upload_infected", uid, room_id=room_id,
            signature=found, sha256=digest, size=size, name=name,
        )  # fmt: skip
    log.warning("infected upload refused: %s in room %s (sha256 %s)", found, room_id, digest)
    raise InvalidInput(f"the file was refused by the virus scanner ({found})", {"virus": found})


def _sha256(content: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := content.read(HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _attachment(
    room_id: str,
    name: str,
    file_type: file_types.FileType,
    stored: cloudinary_store.StoredFile,
    dimensions: tuple[int, int] | None,
) -> StoredAttachment:
    if not file_urls.is_room_file_url(stored.url, room_id):
        raise Unavailable("the file store answered with an unexpected URL")
    thumb_url = None
    if stored.resource_type != "raw":
        thumb_url = cloudinary_store.delivery_url(
            stored.public_id, stored.resource_type, stored.version, stored.format, thumb=True
        )
    width, height = dimensions or (stored.width, stored.height)
    known = bool(width and height)
    return StoredAttachment(
        kind=file_type.kind.name,
        url=stored.url,
        name=name,
        content_type=file_type.media_type,
        size=stored.size,
        thumb_url=thumb_url,
        width=width if known else None,
        height=height if known else None,
    )
