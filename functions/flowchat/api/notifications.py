"""register_device, unregister_device, set_notification_level, mute_user, unmute_user."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import responses
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.api.schema import NO_USER, NOT_A_MEMBER, Failure, Schema, an_id, choice, text
from flowchat.services import devices, notification_prefs
from flowchat.services.domain import NotificationLevel, Platform
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
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
    with translated_errors():
        uid = caller_uid(req)
        args = REGISTER_DEVICE.parse(req)
        with unit_of_work() as session:
            devices.register(session, uid, args["token"], args["platform"])
    return {"registered": True, "platform": args["platform"].value}


def unregister_device(req: Request) -> dict[str, Any]:
    """Forget one of the caller's tokens (on sign-out); idempotent."""
    with translated_errors():
        uid = caller_uid(req)
        token = UNREGISTER_DEVICE.parse(req)["token"]
        with unit_of_work() as session:
            changed = devices.unregister(session, uid, token)
    return {"registered": False, "changed": changed}


def set_notification_level(req: Request) -> dict[str, Any]:
    """The caller's push level for roomId: all, mentions or none."""
    with translated_errors():
        uid = caller_uid(req)
        args = SET_NOTIFICATION_LEVEL.parse(req)
        with unit_of_work() as session:
            notification_prefs.set_level(session, uid, args["roomId"], args["level"])
    return {"roomId": args["roomId"], "level": args["level"].value}


def mute_user(req: Request) -> dict[str, Any]:
    """No pushes about userId's messages (mentions included) until unmute_user."""
    return _mute(req, MUTE_USER, muted=True)


def unmute_user(req: Request) -> dict[str, Any]:
    """Pushes about userId's messages again."""
    return _mute(req, UNMUTE_USER, muted=False)


def _mute(req: Request, schema: Schema, *, muted: bool) -> dict[str, Any]:
    with translated_errors():
        uid = caller_uid(req)
        target = schema.parse(req)["userId"]
        with unit_of_work() as session:
            changed = notification_prefs.mute_author(session, uid, target, muted)
    return {"userId": target, "muted": muted, "changed": changed}
