"""Cloudinary through its SDK: signing, chunked upload and delivery URLs.

Credentials are passed per call, read from secret params at run time; the SDK's global
configuration is never set, so nothing keeps them around or prints them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO, Any

from flowchat import config, media_urls
from flowchat.errors import Unavailable
from flowchat.services import file_urls, upload_params

log = logging.getLogger(__name__)
# The one transformation a room file's thumbnail carries (the rules accept no other).
THUMBNAIL = {"raw_transformation": media_urls.ROOM_THUMBNAIL}


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What Cloudinary reports about a stored file."""

    public_id: str
    version: int
    resource_type: str
    format: str
    url: str
    size: int
    width: int | None
    height: int | None


def cloud_name() -> str:
    """The configured cloud."""
    return file_urls.cloud_name()


def _options() -> dict[str, Any]:
    options: dict[str, Any] = {
        "cloud_name": cloud_name(),
        "api_key": config.CLOUDINARY_API_KEY.value,
        "api_secret": config.CLOUDINARY_API_SECRET.value,
        "signature_algorithm": upload_params.CLOUDINARY_SIGNATURE_ALGORITHM.value,
    }
    if upload_params.CLOUDINARY_UPLOAD_PREFIX.value:
        options["upload_prefix"] = upload_params.CLOUDINARY_UPLOAD_PREFIX.value
    return options


def api_key() -> str:
    """The API key a browser sends with a signed upload (public by Cloudinary's design)."""
    return str(config.CLOUDINARY_API_KEY.value)


def sign(params: dict[str, Any]) -> str:
    """The signature of upload parameters, computed by the SDK as Cloudinary checks it."""
    from cloudinary import utils

    options = _options()
    return str(
        utils.api_sign_request(params, options["api_secret"], options["signature_algorithm"])
    )


def upload_url(resource_type: str) -> str:
    """Where a client POSTs a signed upload of this resource type."""
    from cloudinary import utils

    options = _options()
    options.pop("api_secret")
    return str(utils.cloudinary_api_url("upload", resource_type=resource_type, **options))


def upload(
    file: IO[bytes], resource_type: str, folder: str, public_id: str, fmt: str
) -> StoredFile:
    """Send a file in parts of CLOUDINARY_CHUNK_BYTES (memory stays at about one part)."""
    from cloudinary import exceptions, uploader

    try:
        result = uploader.upload_large(
            file,
            resource_type=resource_type,
            folder=folder,
            public_id=public_id,
            allowed_formats=fmt,
            filename=f"{public_id}.{fmt}",
            chunk_size=upload_params.CLOUDINARY_CHUNK_BYTES.value,
            timeout=120,
            **_options(),
        )
    except exceptions.Error as err:
        # The SDK's message names the request, never the secret; log only its class and text.
        log.warning("Cloudinary refused an upload: %s: %s", type(err).__name__, err)
        raise Unavailable("the file store refused the upload; try again later") from err
    return _stored(result)


def _stored(result: dict[str, Any]) -> StoredFile:
    return StoredFile(
        public_id=result["public_id"],
        version=int(result["version"]),
        resource_type=result["resource_type"],
        format=result.get("format") or "",
        url=result["secure_url"],
        size=int(result["bytes"]),
        width=result.get("width"),
        height=result.get("height"),
    )


def delivery_url(public_id: str, resource_type: str, version: int, fmt: str, thumb: bool) -> str:
    """The https URL of a stored file, or of its 320x320 thumbnail (a Cloudinary transform)."""
    from cloudinary import utils

    options: dict[str, Any] = {
        "cloud_name": cloud_name(),
        "resource_type": resource_type,
        "version": version,
        "secure": True,
    }
    if resource_type != "raw":
        options["format"] = "jpg" if thumb else fmt
    if thumb:
        options["transformation"] = [THUMBNAIL]
    url, _ = utils.cloudinary_url(public_id, **options)
    return str(url)
