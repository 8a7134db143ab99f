"""register_device, unregister_device, set_notification_level, mute_user, unmute_user."""

from __future__ import annotations

from typing import Any

from flowchat.api import responses
from flowchat.api.handling import Request, answer, calling
from flowchat.api.schema import NO_USER, NOT_A_MEMBER, Failure, Schema, an_id, choice, text
from flowchat.services import devices, notification_prefs
from flowchat.services.domain import NotificationLevel, Platform

TOKEN = text("token", devices.MAX_TOKEN, "the device's FCM registration token")
MUTED_USER = an_id("userId", "the author")
SELF = Failure("INVALID_ARGUMENT", "userId is the caller")

REGISTER_DEVICE = Schema(
    "Store the device's FCM registration token for push notifications (after sign-in, and "
    "again when it changes).",
    (TOKEN, choice("platform", Platform, "the device's platform")),
    responses.DeviceRegistered,
)
UNREGISTER_DEVICE = Schema(
    "Forget one of the caller's tokens (on sign-out); idempotent.",
    (TOKEN,),
    responses.DeviceUnregistered,
)
SET_NOTIFICATION_LEVEL = Schema(
    "The caller's push level for a room: all, mentions (an @mention notifies at every "
    "level) or none.",
    (
        an_id("roomId", "the room"),
        choice("level", NotificationLevel, "what notifies the caller"),
    ),
    responses.NotificationLevel,
    (NOT_A_MEMBER,),
)
MUTE_USER = Schema(
    "No pushes about a user's messages (mentions included) until unmute_user.",
    (MUTED_USER,),
    responses.AuthorMuted,
    (SELF, NO_USER),
)
UNMUTE_USER = Schema(
    "Pushes about a user's messages again.",
    (MUTED_USER,),
    responses.AuthorMuted,
    (SELF, NO_USER),
)


def register_device(req: Request) -> dict[str, Any]:
    """Store an FCM registration token (token, platform: android, ios or web)."""
    with calling(req, REGISTER_DEVICE) as call:
        platform = call.args["platform"]
        devices.register(call.session, call.uid, call.args["token"], platform)
    return answer(responses.DeviceRegistered(registered=True, platform=platform))


def unregister_device(req: Request) -> dict[str, Any]:
    """Forget one of the caller's tokens (on sign-out); idempotent."""
    with calling(req, UNREGISTER_DEVICE) as call:
        changed = devices.unregister(call.session, call.uid, call.args["token"])
    return answer(responses.DeviceUnregistered(registered=False, changed=changed))


def set_notification_level(req: Request) -> dict[str, Any]:
    """The caller's push level for roomId: all, mentions or none."""
    with calling(req, SET_NOTIFICATION_LEVEL) as call:
        room_id, level = call.args["roomId"], call.args["level"]
        notification_prefs.set_level(call.session, call.uid, room_id, level)
    return answer(responses.NotificationLevel(roomId=room_id, level=level))


def mute_user(req: Request) -> dict[str, Any]:
    """No pushes about userId's messages (mentions included) until unmute_user."""
    return _mute(req, MUTE_USER, muted=True)


def unmute_user(req: Request) -> dict[str, Any]:
    """Pushes about userId's messages again."""
    return _mute(req, UNMUTE_USER, muted=False)


def _mute(req: Request, schema: Schema, *, muted: bool) -> dict[str, Any]:
    with calling(req, schema) as call:
        target = call.args["userId"]
        changed = notification_prefs.mute_author(call.session, call.uid, target, muted)
    return answer(responses.AuthorMuted(userId=target, muted=muted, changed=changed))
