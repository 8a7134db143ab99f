"""register_device, unregister_device, set_notification_level, mute_user, unmute_user."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.services import devices, notification_prefs
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def register_device(req: Request) -> dict[str, Any]:
    """Store an FCM registration token (token, platform: android, ios or web)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "token", "platform")
        token = fields.text(data, "token", devices.MAX_TOKEN)
        platform = fields.choice(data, "platform", devices.PLATFORMS)
        with unit_of_work() as session:
            devices.register(session, uid, token, platform)
    return {"registered": True, "platform": platform}


def unregister_device(req: Request) -> dict[str, Any]:
    """Forget one of the caller's tokens (on sign-out); idempotent."""
    with translated_errors():
        uid = caller_uid(req)
        token = fields.text(fields.data_of(req, "token"), "token", devices.MAX_TOKEN)
        with unit_of_work() as session:
            changed = devices.unregister(session, uid, token)
    return {"registered": False, "changed": changed}


def set_notification_level(req: Request) -> dict[str, Any]:
    """The caller's push level for roomId: all, mentions or none."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "level")
        room_id = fields.user_id(data, "roomId")
        level = fields.choice(data, "level", notification_prefs.LEVELS)
        with unit_of_work() as session:
            notification_prefs.set_level(session, uid, room_id, level)
    return {"roomId": room_id, "level": level}


def mute_user(req: Request) -> dict[str, Any]:
    """No pushes about userId's messages (mentions included) until unmute_user."""
    return _mute(req, muted=True)


def unmute_user(req: Request) -> dict[str, Any]:
    """Pushes about userId's messages again."""
    return _mute(req, muted=False)


def _mute(req: Request, *, muted: bool) -> dict[str, Any]:
    with translated_errors():
        uid = caller_uid(req)
        target = fields.user_id(fields.data_of(req, "userId"), "userId")
        with unit_of_work() as session:
            changed = notification_prefs.mute_author(session, uid, target, muted)
    return {"userId": target, "muted": muted, "changed": changed}
