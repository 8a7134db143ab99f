"""mute_member, ban_member, unban_member, list_bans, report_message, resolve_report."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields, responses
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.api.schema import (
    NOT_A_MEMBER,
    Failure,
    Field,
    Schema,
    an_id,
    optional_text,
    text,
)
from flowchat.services import moderation, reports
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
MODERATORS_ONLY = Failure("PERMISSION_DENIED", "the caller is not an owner or admin of the room")
OUTRANKED = Failure("PERMISSION_DENIED", "the member's role is not below the caller's")
NOT_IN_ROOM = Failure("NOT_FOUND", "userId is not a member of the room")
UNTIL = Field(
    "until",
    "string | null",
    False,
    f"ISO 8601 with a UTC offset, in the future, at most {moderation.MAX_MUTE.days} days ahead",
    "end of the mute; null unmutes",
    lambda d: fields.optional_timestamp(d, "until"),
)
MESSAGE_ID = Field(
    "messageId",
    "string",
    True,
    "1-128 letters, digits, '_' or '-'",
    "the reported message",
    lambda d: fields.message_id(d, "messageId"),
)
ROOM = an_id("roomId", "the room")
USER = an_id("userId", "the member")

MUTE_MEMBER = Schema(
    "Mute a lower-ranked member until a time (owners and admins): the rules refuse their "
    "messages, reactions and edits meanwhile.",
    (ROOM, USER, UNTIL),
    responses.MuteSet,
    (
        Failure("INVALID_ARGUMENT", "until is past or too far ahead, or userId is the caller"),
        NOT_A_MEMBER,
        MODERATORS_ONLY,
        OUTRANKED,
        NOT_IN_ROOM,
    ),
)
BAN_MEMBER = Schema(
    "Ban a lower-ranked user (owners and admins): removed now, not re-addable until unbanned.",
    (ROOM, an_id("userId", "the user to ban")),
    responses.BanChanged,
    (
        Failure("INVALID_ARGUMENT", "userId is the caller"),
        NOT_A_MEMBER,
        MODERATORS_ONLY,
        OUTRANKED,
        Failure("NOT_FOUND", "the user does not exist"),
    ),
)
UNBAN_MEMBER = Schema(
    "Lift a ban (owners and admins); the user is not re-added.",
    (ROOM, an_id("userId", "the banned user")),
    responses.BanChanged,
    (NOT_A_MEMBER, MODERATORS_ONLY),
)
LIST_BANS = Schema(
    "The room's bans (owners and admins).",
    (ROOM,),
    responses.Bans,
    (NOT_A_MEMBER, MODERATORS_ONLY),
)
REPORT_MESSAGE = Schema(
    "Report a message to the room's owners and admins (shown to them live).",
    (ROOM, MESSAGE_ID, text("reason", reports.MAX_REASON, "why")),
    responses.ReportFiled,
    (NOT_A_MEMBER, Failure("NOT_FOUND", "no such message in the room")),
)
RESOLVE_REPORT = Schema(
    "Close an open report (owners and admins).",
    (
        ROOM,
        an_id("reportId", "the report"),
        optional_text("resolution", reports.MAX_REASON, "a note on what was done"),
    ),
    responses.ReportResolved,
    (
        NOT_A_MEMBER,
        MODERATORS_ONLY,
        Failure("NOT_FOUND", "no such report in the room"),
        Failure("FAILED_PRECONDITION", "the report is already resolved"),
    ),
)


def mute_member(req: Request) -> dict[str, Any]:
    """Owners and admins mute a lower-ranked member (userId) until a time (null: unmute)."""
    with translated_errors():
        uid = caller_uid(req)
        args = MUTE_MEMBER.parse(req)
        room_id, target, until = args["roomId"], args["userId"], args["until"]
        with unit_of_work() as session:
            moderation.mute(session, room_id, uid, target, until)
    return {"roomId": room_id, "userId": target, "mutedUntil": until.isoformat() if until else None}


def ban_member(req: Request) -> dict[str, Any]:
    """Owners and admins ban userId: removed now, not re-addable or invitable until unbanned."""
    with translated_errors():
        uid = caller_uid(req)
        args = BAN_MEMBER.parse(req)
        room_id, target = args["roomId"], args["userId"]
        with unit_of_work() as session:
            changed = moderation.ban(session, room_id, uid, target)
    return {"roomId": room_id, "userId": target, "banned": True, "changed": changed}


def unban_member(req: Request) -> dict[str, Any]:
    """Owners and admins lift a ban (the user is not re-added)."""
    with translated_errors():
        uid = caller_uid(req)
        args = UNBAN_MEMBER.parse(req)
        room_id, target = args["roomId"], args["userId"]
        with unit_of_work() as session:
            changed = moderation.unban(session, room_id, uid, target)
    return {"roomId": room_id, "userId": target, "banned": False, "changed": changed}


def list_bans(req: Request) -> dict[str, Any]:
    """The room's bans (owners and admins)."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = LIST_BANS.parse(req)["roomId"]
        with unit_of_work() as session:
            return {"roomId": room_id, "bans": moderation.list_bans(session, room_id, uid)}


def report_message(req: Request) -> dict[str, Any]:
    """A member reports messageId of roomId to the room's admins, with a reason."""
    with translated_errors():
        uid = caller_uid(req)
        args = REPORT_MESSAGE.parse(req)
        with unit_of_work() as session:
            return reports.report(session, args["roomId"], uid, args["messageId"], args["reason"])


def resolve_report(req: Request) -> dict[str, Any]:
    """Owners and admins close a report (optional resolution note)."""
    with translated_errors():
        uid = caller_uid(req)
        args = RESOLVE_REPORT.parse(req)
        with unit_of_work() as session:
            return reports.resolve(
                session, args["roomId"], uid, args["reportId"], args["resolution"]
            )
