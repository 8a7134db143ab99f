"""Which Cloudinary URLs FlowChat stores: one cloud, one folder per room or profile.

The one definition of an acceptable file URL. send_message, update_profile and the upload
functions call `is_url_in_folder`; scripts/render_rules.py writes the same pattern pieces
into firestore.rules, so the rules and the backend check a URL the same way. Standard
library only: the render script runs at deploy without the functions' dependencies.
"""

from __future__ import annotations

import re

DEFAULT_CLOUD = "demo-flowchat"
MAX_URL = 2048
# Cloud names and folder ids go into regular expressions: only characters that are literal.
SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
ROOT_FOLDER = "flowchat"

# The only transformations FlowChat's URLs carry: a room file's 320x320 thumbnail and an
# avatar's 128x128 one. Any other is refused: a URL in a message is fetched by every
# reader's browser, and Cloudinary bills each new transformation it derives.
ROOM_THUMBNAIL = "c_fill,g_auto,h_320,w_320"
AVATAR_THUMBNAIL = "c_thumb,g_face,h_128,w_128"
# After /upload/: an optional transformation of those, an optional version, then the
# folder. The file name is one segment of a safe alphabet with at most one extension, so
# no segment can be '.' or '..', plain or percent-encoded, and no '?', '#', '@' or '\\'
# can move the URL to another host or path.
TRANSFORMATION = f"(({ROOM_THUMBNAIL}|{AVATAR_THUMBNAIL})/)?(v[0-9]+/)?"
FILE_NAME = "/[A-Za-z0-9_-]{1,128}([.][A-Za-z0-9]{1,10})?"
# Checked as well, so a later loosening of FILE_NAME cannot let a dot segment through.
DOT_SEGMENT = ".*/([.]|%2[eE])+(/.*)?"


def room_folder(room_id: str) -> str:
    """The folder of a room's attachments."""
    return f"{ROOT_FOLDER}/rooms/{_safe(room_id)}"


def avatar_folder(uid: str) -> str:
    """The folder of a user's avatars."""
    return f"{ROOT_FOLDER}/avatars/{_safe(uid)}"


def url_prefix_pattern(cloud: str, resource_types: str = "image|video|raw") -> str:
    """The regular expression of everything before the folder (RE2 and Python alike)."""
    return (
        "https://res[.]cloudinary[.]com/" + _safe(cloud) + f"/({resource_types})/upload/"
    ) + TRANSFORMATION


def is_url_in_folder(
    url: object, cloud: str, folder: str, resource_types: str = "image|video|raw"
) -> bool:
    """True for an https URL of `cloud` whose file lies directly in `folder`."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        return False
    pattern = url_prefix_pattern(cloud, resource_types) + folder + FILE_NAME
    return re.fullmatch(pattern, url) is not None and re.fullmatch(DOT_SEGMENT, url) is None


def _safe(name: str) -> str:
    if not SAFE_NAME.fullmatch(name):
        raise ValueError(f"not a safe Cloudinary name or id: {name!r}")
    return name
