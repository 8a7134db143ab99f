"""What a file really is, from its bytes: never from its name or the declared type.

Magic numbers come from puremagic. Text has none, so a file without a known signature is
taken as text/plain only when it is UTF-8 that no browser would sniff as HTML. SVG is an
image that can carry script, so it is read for script and event handlers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import puremagic

from flowchat.errors import InvalidInput
from flowchat.services import upload_kinds

HEAD_BYTES = 64 * 1024
# Signatures of programs (Windows PE, ELF, Mach-O, Java class, scripts) refused outright.
EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# What makes a browser render a response as HTML (WHATWG MIME sniffing's HTML patterns).
HTML_MARKERS = re.compile(
    rb"<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a\s|style|title|b>|body|br|p[\s>]|!--|\?xml)",
    re.IGNORECASE,
)
SVG_ROOT = re.compile(rb"<svg[\s>]", re.IGNORECASE)
SVG_ACTIVE = re.compile(
    rb"<script|<foreignobject|<iframe|<embed|<object|\son[a-z]+\s*=|javascript:|data:text/html"
    rb"|<!entity|xlink:href\s*=\s*[\"'](?!#)|<handler|<set\s|<animate[^>]*href",
    re.IGNORECASE,
)
MAGIC_TYPES = {
    "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm",
    "video/quicktime", "application/pdf", "application/zip", "audio/mpeg",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FileType:
    """The media type a file's content shows, and the upload kind it belongs to."""

    media_type: str
    kind: upload_kinds.UploadKind


def detect(head: bytes, load_whole: Callable[[], bytes | None]) -> FileType:
    """The file's type from its first bytes; text is read whole (`load_whole`, None when
    larger than an image may be) so that an SVG is searched for script entirely."""
    if head.startswith(EXECUTABLE_MAGIC) or (head[:4] == b"PK\x03\x04" and _is_jar(head)):
        raise InvalidInput("executables are not accepted")
    media_type = _magic_type(head)
    if media_type is None:
        media_type = _text_type(head, load_whole())
    return FileType(media_type, upload_kinds.kind_of(media_type, allow_svg=True))


def require_declared(declared: str, actual: FileType) -> None:
    """InvalidInput when the declared type is not what the content is."""
    if upload_kinds.normalized(declared) != actual.media_type:
        raise InvalidInput(
            f"the file's content is {actual.media_type}, not the declared "
            f"{upload_kinds.normalized(declared) or '(none)'}",
            {"detected": actual.media_type},
        )


def _magic_type(head: bytes) -> str | None:
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in matches:  # best first
        media_type = upload_kinds.normalized(match.mime_type or "")
        if media_type in MAGIC_TYPES:
            return media_type
    return None


def _text_type(head: bytes, whole: bytes | None) -> str:
    text = head if whole is None else whole
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as err:
        if whole is not None or err.start < len(text) - 3:  # a cut multi-byte tail is fine
            raise InvalidInput("the file's type is not one FlowChat accepts") from err
    if b"\x00" in text:
        raise InvalidInput("the file's type is not one FlowChat accepts")
    if SVG_ROOT.search(text):
        if whole is None:
            raise InvalidInput("SVG images are limited to the image size limit")
        if SVG_ACTIVE.search(whole):
            raise InvalidInput("SVG images with script or event handlers are not accepted")
        return "image/svg+xml"
    if HTML_MARKERS.search(text):
        raise InvalidInput("HTML files are not accepted")
    return "text/plain"


def _is_jar(head: bytes) -> bool:
    return b"META-INF/MANIFEST.MF" in head or b".class" in head
