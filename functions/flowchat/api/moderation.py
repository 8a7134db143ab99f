"""mute_member, ban_member, unban_member, list_bans, report_message, resolve_report."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.services import moderation, reports
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def mute_member(req: Request) -> dict[str, Any]:
    """Owners and admins mute a lower-ranked member (userId) until a time (null: unmute)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "userId", "until")
        room_id = fields.user_id(data, "roomId")
        target = fields.user_id(data, "userId")
        until = fields.optional_timestamp(data, "until")
        with unit_of_work() as session:
            moderation.mute(session, room_id, uid, target, until)
    return {"roomId": room_id, "userId": target, "mutedUntil": until.isoformat() if until else None}


def ban_member(req: Request) -> dict[str, Any]:
    """Owners and admins ban userId: removed now, not re-addable or invitable until unbanned."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "userId")
        room_id = fields.user_id(data, "roomId")
        target = fields.user_id(data, "userId")
        with unit_of_work() as session:
            changed = moderation.ban(session, room_id, uid, target)
    return {"roomId": room_id, "userId": target, "banned": True, "changed": changed}


def unban_member(req: Request) -> dict[str, Any]:
    """Owners and admins lift a ban (the user is not re-added)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "userId")
        room_id = fields.user_id(data, "roomId")
        target = fields.user_id(data, "userId")
        with unit_of_work() as session:
            changed = moderation.unban(session, room_id, uid, target)
    return {"roomId": room_id, "userId": target, "banned": False, "changed": changed}


def list_bans(req: Request) -> dict[str, Any]:
    """The room's bans (owners and admins)."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = fields.user_id(fields.data_of(req, "roomId"), "roomId")
        with unit_of_work() as session:
            return {"roomId": room_id, "bans": moderation.list_bans(session, room_id, uid)}


def report_message(req: Request) -> dict[str, Any]:
    """A member reports messageId of roomId to the room's admins, with a reason."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "messageId", "reason")
        room_id = fields.user_id(data, "roomId")
        message_id = fields.message_id(data, "messageId")
        reason = fields.text(data, "reason", reports.MAX_REASON)
        with unit_of_work() as session:
            return reports.report(session, room_id, uid, message_id, reason)


def resolve_report(req: Request) -> dict[str, Any]:
    """Owners and admins close a report (optional resolution note)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "reportId", "resolution")
        room_id = fields.user_id(data, "roomId")
        report_id = fields.user_id(data, "reportId")
        resolution = fields.optional_text(data, "resolution", reports.MAX_REASON)
        with unit_of_work() as session:
            return reports.resolve(session, room_id, uid, report_id, resolution)
