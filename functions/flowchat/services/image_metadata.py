"""Images are re-encoded without their metadata (EXIF, GPS, XMP, comments) before upload."""

from __future__ import annotations

from typing import IO, Any

from flowchat.errors import InvalidInput

MAX_PIXELS = 50_000_000  # decoding cost: a few bytes can claim a gigapixel image
PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}


def strip(source: IO[bytes], target: IO[bytes], media_type: str) -> tuple[int, int]:
    """Write the image without metadata to target (upright, as EXIF said); (width, height)."""
    from PIL import Image, UnidentifiedImageError  # imported on first use: cold starts

    fmt = PILLOW_FORMATS[media_type]
    try:
        with Image.open(source, formats=[fmt]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidInput(f"images may have at most {MAX_PIXELS} pixels")
            _save_clean(image, target, fmt)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as err:
        raise InvalidInput("the image cannot be read") from err
    return width, height


def _save_clean(image: Any, target: IO[bytes], fmt: str) -> None:
    from PIL import ImageOps

    animated = getattr(image, "n_frames", 1) > 1
    if animated:  # frames kept; metadata is not copied unless passed to save()
        image.save(target, fmt, save_all=True)
        return
    upright = ImageOps.exif_transpose(image)
    options: dict[str, object] = {"quality": 92} if fmt in ("JPEG", "WEBP") else {}
    if "icc_profile" in image.info:  # colours, not personal data
        options["icc_profile"] = image.info["icc_profile"]
    upright.save(target, fmt, **options)
