"""File URLs FlowChat accepts, for the configured cloud: a room's files, a user's avatar."""

from __future__ import annotations

import re

from flowchat import config, media_urls


def cloud_name() -> str:
    """CLOUDINARY_CLOUD_NAME (read at run time), the demo cloud when unset."""
    return config.CLOUDINARY_CLOUD_NAME.value or media_urls.DEFAULT_CLOUD


def is_room_file_url(url: object, room_id: str) -> bool:
    """A file of the room's folder, as firestore.rules' isRoomFileUrl checks it."""
    return media_urls.is_url_in_folder(url, cloud_name(), media_urls.room_folder(room_id))


def is_avatar_url(url: object, uid: str) -> bool:
    """An image of the user's avatar folder."""
    folder = media_urls.avatar_folder(uid)
    return media_urls.is_url_in_folder(url, cloud_name(), folder, resource_types="image")


_UPLOAD_THEN_VERSION = re.compile(r"/upload/(?=v[0-9]+/)")


def avatar_thumbnail(url: str | None) -> str | None:
    """The 128x128 thumbnail URL of an accepted avatar URL (stays in the same folder)."""
    if url is None:
        return None
    thumb, replaced = _UPLOAD_THEN_VERSION.subn(
        f"/upload/{media_urls.AVATAR_THUMBNAIL}/", url, count=1
    )
    return thumb if replaced else url
