"""The closed sets of values the services pass around: one enum each.

They are StrEnums, so a member equals its string: values read back from PostgreSQL
convert with ``Role(row.role)``, SQL parameters take members as they are, and the API
layer writes ``.value`` on the wire. Declaration order is the order the API documents.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A member's role in a group room (members of a direct room are all MEMBER)."""

    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"

    @property
    def rank(self) -> int:
        """Higher outranks lower: moderators act only on members of lower rank."""
        return RANKS[self]


RANKS = {Role.OWNER: 3, Role.ADMIN: 2, Role.MEMBER: 1}
# Who may moderate a group room (mute, ban, resolve reports, add and remove members).
MODERATORS = (Role.OWNER, Role.ADMIN)


class RoomKind(StrEnum):
    GROUP = "group"
    DIRECT = "direct"


class BlockState(StrEnum):
    """A member's side of a block in a direct room."""

    BLOCKED = "blocked"  # the other member blocked them (wins when both did): no access
    BLOCKING = "blocking"  # they blocked the other member: read-only


class AddPolicy(StrEnum):
    """Who may add a user to group rooms without an invitation (see invitations.py)."""

    ANYONE = "anyone"
    SHARED = "shared"
    NOBODY = "nobody"


class NotificationLevel(StrEnum):
    """What in a room notifies a user (an @mention notifies at every level)."""

    ALL = "all"
    MENTIONS = "mentions"
    NONE = "none"


class Platform(StrEnum):
    """The platform of a device registered for push notifications."""

    ANDROID = "android"
    IOS = "ios"
    WEB = "web"


class MessageKind(StrEnum):
    """A message: text, or image or file attachments with an optional caption."""

    TEXT = "text"
    IMAGE = "image"
    FILE = "file"


class FileKind(StrEnum):
    """What an uploaded file is (services/upload_kinds.py lists the media types of each)."""

    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"
    OTHER = "other"


class ResourceType(StrEnum):
    """Where Cloudinary keeps a file: its resource type."""

    IMAGE = "image"
    VIDEO = "video"
    RAW = "raw"


class ReportStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


def values(choices: type[StrEnum]) -> tuple[str, ...]:
    """The strings of an enum, in declaration order (what a request may send)."""
    return tuple(member.value for member in choices)
