"""What may be uploaded: four kinds, each with its media types, formats and size limit."""

from __future__ import annotations

from dataclasses import dataclass

from firebase_functions import params

from flowchat.errors import InvalidInput
from flowchat.services import upload_params
from flowchat.services.domain import FileKind, ResourceType


@dataclass(frozen=True, slots=True)
class UploadKind:
    """A kind of file: where Cloudinary keeps it and which media types belong to it."""

    name: FileKind
    resource_type: ResourceType
    formats: dict[str, str]  # media type -> Cloudinary format (file extension)
    limit: params.IntParam

    @property
    def max_bytes(self) -> int:
        """The configured size limit (read at run time)."""
        return self.limit.value


IMAGE = UploadKind(
    FileKind.IMAGE,
    ResourceType.IMAGE,
    {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"},
    upload_params.MAX_IMAGE_BYTES,
)
VIDEO = UploadKind(
    FileKind.VIDEO,
    ResourceType.VIDEO,
    {"video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov"},
    upload_params.MAX_VIDEO_BYTES,
)
DOCUMENT = UploadKind(
    FileKind.DOCUMENT,
    ResourceType.RAW,
    {"application/pdf": "pdf", "text/plain": "txt"},
    upload_params.MAX_DOCUMENT_BYTES,
)
OTHER = UploadKind(
    FileKind.OTHER,
    ResourceType.RAW,
    {"application/zip": "zip", "audio/mpeg": "mp3"},
    upload_params.MAX_OTHER_BYTES,
)
KINDS = (IMAGE, VIDEO, DOCUMENT, OTHER)
# SVG only through upload_file, which reads it for scripts first; a direct upload cannot.
SVG = UploadKind(
    FileKind.IMAGE, ResourceType.IMAGE, {"image/svg+xml": "svg"}, upload_params.MAX_IMAGE_BYTES
)
ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "audio/mp3": "audio/mpeg"}


def normalized(content_type: str) -> str:
    """The media type without parameters, lower-cased, common aliases folded."""
    bare = content_type.split(";", 1)[0].strip().lower()
    return ALIASES.get(bare, bare)


def kind_of(content_type: str, *, allow_svg: bool = False) -> UploadKind:
    """The kind a media type belongs to; InvalidInput for a type FlowChat does not take."""
    media_type = normalized(content_type)
    for kind in (*KINDS, SVG) if allow_svg else KINDS:
        if media_type in kind.formats:
            return kind
    accepted = sorted(t for k in KINDS for t in k.formats)
    raise InvalidInput(
        f"files of type {media_type or '(none)'} are not accepted",
        {"accepted": accepted},
    )


def require_size(kind: UploadKind, size: int) -> None:
    """InvalidInput for a size above the kind's limit (or negative)."""
    if size < 0:
        raise InvalidInput("size must not be negative")
    if size > kind.max_bytes:
        raise InvalidInput(
            f"{kind.name} files may be at most {kind.max_bytes} bytes",
            {"maxBytes": kind.max_bytes, "kind": kind.name.value},
        )
