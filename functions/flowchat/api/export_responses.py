"""What export_my_data answers: the caller's data as one JSON document (the types
docs/api.md and client/js's types are generated from; api/wire.py fills them)."""

# No `from __future__ import annotations`: TypedDict must see NotRequired at class creation
# (Python 3.11) for __required_keys__ to be right, and the generator reads those.
from typing import Literal, NotRequired, TypedDict

from flowchat.api.responses import Attachment
from flowchat.services import domain
from flowchat.services.domain import MessageKind, Platform, Role, RoomKind


class ExportedProfile(TypedDict):
    uid: str
    username: str
    email: str | None
    displayName: str
    avatarUrl: str | None
    createdAt: str


class ExportedMembership(TypedDict):
    roomId: str
    kind: RoomKind
    name: str | None
    role: Role
    joinedAt: str
    mutedUntil: str | None


class ExportedMessage(TypedDict):
    roomId: str
    messageId: str
    kind: MessageKind
    text: str
    attachments: list[Attachment]
    parentId: NotRequired[str | None]
    createdAt: str
    editedAt: NotRequired[str]
    deletedAt: NotRequired[str]


class ExportedReaction(TypedDict):
    roomId: str
    messageId: str
    emoji: str
    createdAt: str


class ExportedUserMark(TypedDict):
    """A user the caller blocked (blocks) or muted (mutedUsers), and since when."""

    userId: str
    createdAt: str


class ExportedDevice(TypedDict):
    token: str
    platform: Platform
    createdAt: str


class ExportedLevel(TypedDict):
    """A room where the caller's notification level is not the default (all)."""

    roomId: str
    level: domain.NotificationLevel


class ExportedReport(TypedDict):
    roomId: str
    messageId: str
    reason: str
    status: domain.ReportStatus
    createdAt: str


class ExportedData(TypedDict):
    """Everything FlowChat holds about the caller; times are ISO 8601 strings."""

    format: Literal["flowchat-export-1"]
    exportedAt: str
    profile: ExportedProfile
    memberships: list[ExportedMembership]
    messages: list[ExportedMessage]
    reactions: list[ExportedReaction]
    blocks: list[ExportedUserMark]
    devices: list[ExportedDevice]
    notificationLevels: list[ExportedLevel]
    mutedUsers: list[ExportedUserMark]
    reports: list[ExportedReport]
