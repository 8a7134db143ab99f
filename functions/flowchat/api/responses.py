"""What each callable answers: the response types that docs/api.md and client/js's types
are generated from (times are ISO 8601 strings, ids are strings, the enums of
services/domain.py their strings); api/wire.py shapes the services' results into them."""

# No `from __future__ import annotations`: TypedDict must see NotRequired at class creation
# (Python 3.11) for __required_keys__ to be right, and the generator reads those.
from typing import Literal, NotRequired, TypedDict

from flowchat.services import domain
from flowchat.services.domain import (
    FileKind,
    MessageKind,
    Platform,
    ResourceType,
    Role,
    RoomKind,
)


class Attachment(TypedDict):
    """A file of a message: what get_upload_signature's upload (or upload_file) returned,
    in the room's folder of the project's Cloudinary cloud."""

    kind: FileKind
    url: str
    thumbUrl: NotRequired[str]
    name: str
    contentType: str
    size: int
    width: NotRequired[int]
    height: NotRequired[int]


class SignedIn(TypedDict):
    """Exchange customToken with signInWithCustomToken."""

    uid: str
    customToken: str
    deviceToken: str


class PasswordChanged(TypedDict):
    """Sign in again with customToken: the change signed out every session, this one too."""

    uid: str
    customToken: str


class Profile(TypedDict):
    """avatarThumbUrl: the avatar's 128x128 thumbnail (null without an avatar)."""

    username: str
    displayName: str
    avatarUrl: str | None
    avatarThumbUrl: str | None


class RoomCreated(TypedDict):
    """created is false when the direct room of the pair already existed, or for a retry
    with the requestId of an earlier call; invited (a new group room): the listed users
    whose add policy made their add an invitation."""

    roomId: str
    created: bool
    invited: NotRequired[list[str]]


class RoomHidden(TypedDict):
    """hide_room: whether the room is now hidden in the caller's list, and if that changed."""

    roomId: str
    hidden: bool
    changed: bool


class RoomRenamed(TypedDict):
    roomId: str
    name: str


class RoomMember(TypedDict):
    uid: str
    role: Role
    joinedAt: str
    username: str
    displayName: str
    avatarUrl: str | None


class RoomDetails(TypedDict):
    """members: the first 200, in joining order."""

    roomId: str
    kind: RoomKind
    name: str | None
    createdBy: str
    createdAt: str
    memberCount: int
    members: list[RoomMember]


class MyRoom(TypedDict):
    roomId: str
    kind: RoomKind
    name: str | None
    memberCount: int
    role: Role
    joinedAt: str
    hidden: bool


class MyRooms(TypedDict):
    """Newest membership first; nextCursor is null on the last page."""

    rooms: list[MyRoom]
    nextCursor: str | None


class MembersAdded(TypedDict):
    """added: the users who were not members yet and whose add policy allowed a direct
    add; invited: those who got an invitation instead (see set_add_policy)."""

    roomId: str
    added: list[str]
    invited: list[str]


class InvitationAccepted(TypedDict):
    roomId: str
    joined: Literal[True]


class InvitationDeclined(TypedDict):
    roomId: str
    declined: Literal[True]


class AddPolicy(TypedDict):
    """Who may add the caller to group rooms without an invitation."""

    policy: domain.AddPolicy


class MySettings(TypedDict):
    """The caller's own settings. blockedUserIds: users the caller blocks (block_user);
    mutedUserIds: users whose messages send the caller no push (mute_user); oldest first."""

    addPolicy: domain.AddPolicy
    blockedUserIds: list[str]
    mutedUserIds: list[str]


class MemberRemoved(TypedDict):
    roomId: str
    removed: str


class RoomLeft(TypedDict):
    roomId: str
    left: Literal[True]


class RoleSet(TypedDict):
    roomId: str
    userId: str
    role: Role


class MembershipStatus(TypedDict):
    """blocked: a block holds in this direct room (the blocked user is no member; the
    blocker reads but may not post); canPost: the caller may add messages here."""

    isMember: bool
    role: Role | None
    blocked: bool
    canPost: bool


class FoundUser(TypedDict):
    uid: str
    username: str
    displayName: str
    avatarUrl: str | None


class FoundUsers(TypedDict):
    """Best matches first; nextCursor is null on the last page."""

    users: list[FoundUser]
    nextCursor: str | None


class BlockChanged(TypedDict):
    """changed is false when the block already was (or was not) in place."""

    userId: str
    blocked: bool
    changed: bool


class MessageSent(TypedDict):
    """created is false when this idempotencyKey had already posted the message."""

    roomId: str
    messageId: str
    created: bool


class FoundMessage(TypedDict):
    roomId: str
    messageId: str
    parentId: str | None
    authorId: str
    kind: MessageKind
    text: str
    createdAt: str
    editedAt: str | None


class FoundMessages(TypedDict):
    """Newest first; nextCursor is null on the last page."""

    messages: list[FoundMessage]
    nextCursor: str | None


class MuteSet(TypedDict):
    """mutedUntil is null once unmuted."""

    roomId: str
    userId: str
    mutedUntil: str | None


class BanChanged(TypedDict):
    """changed is false when the ban already was (or was not) in place."""

    roomId: str
    userId: str
    banned: bool
    changed: bool


class Ban(TypedDict):
    userId: str
    bannedBy: str
    bannedAt: str


class Bans(TypedDict):
    """Newest first."""

    roomId: str
    bans: list[Ban]


class ReportFiled(TypedDict):
    """created is false when the caller had already reported this message."""

    reportId: str
    created: bool


class ReportResolved(TypedDict):
    reportId: str
    status: Literal["resolved"]


class SignedUpload(TypedDict):
    """POST the file with `fields` to uploadUrl before expiresAt (Unix seconds); the stored
    file's URL is urlPattern with {version} from Cloudinary's answer."""

    uploadUrl: str
    fields: dict[str, str | int]
    kind: FileKind
    resourceType: ResourceType
    maxBytes: int
    expiresAt: int
    urlPattern: str


class DeviceRegistered(TypedDict):
    registered: Literal[True]
    platform: Platform


class DeviceUnregistered(TypedDict):
    """changed is false when the token was not registered."""

    registered: Literal[False]
    changed: bool


class NotificationLevel(TypedDict):
    roomId: str
    level: domain.NotificationLevel


class AuthorMuted(TypedDict):
    """changed is false when nothing changed."""

    userId: str
    muted: bool
    changed: bool


class AccountDeleted(TypedDict):
    """closedRooms: the direct rooms and emptied group rooms deleted with the account."""

    uid: str
    deleted: Literal[True]
    closedRooms: list[str]
