"""mute_member, ban_member, unban_member, list_bans, report_message, resolve_report."""

from __future__ import annotations

from typing import Any

from flowchat.api import fields, responses, wire
from flowchat.api.handling import Request, answer, calling
from flowchat.api.schema import (
    MODERATORS_ONLY,
    NOT_A_MEMBER,
    NOT_IN_ROOM,
    Failure,
    Field,
    Schema,
    an_id,
    optional_text,
    text,
)
from flowchat.services import moderation, reports

OUTRANKED = Failure("PERMISSION_DENIED", "the member's role is not below the caller's")
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
    with calling(req, MUTE_MEMBER) as call:
        room_id, target, until = call.args["roomId"], call.args["userId"], call.args["until"]
        moderation.mute(call.session, room_id, call.uid, target, until)
    return answer(responses.MuteSet(roomId=room_id, userId=target, mutedUntil=wire.iso(until)))


def ban_member(req: Request) -> dict[str, Any]:
    """Owners and admins ban userId: removed now, not re-addable or invitable until unbanned."""
    return _ban_change(req, BAN_MEMBER, banned=True)


def unban_member(req: Request) -> dict[str, Any]:
    """Owners and admins lift a ban (the user is not re-added)."""
    return _ban_change(req, UNBAN_MEMBER, banned=False)


def _ban_change(req: Request, schema: Schema, *, banned: bool) -> dict[str, Any]:
    change = moderation.ban if banned else moderation.unban
    with calling(req, schema) as call:
        room_id, target = call.args["roomId"], call.args["userId"]
        changed = change(call.session, room_id, call.uid, target)
    shape = responses.BanChanged(roomId=room_id, userId=target, banned=banned, changed=changed)
    return answer(shape)


def list_bans(req: Request) -> dict[str, Any]:
    """The room's bans (owners and admins)."""
    with calling(req, LIST_BANS) as call:
        room_id = call.args["roomId"]
        found = moderation.list_bans(call.session, room_id, call.uid)
    return answer(wire.bans(room_id, found))


def report_message(req: Request) -> dict[str, Any]:
    """A member reports messageId of roomId to the room's admins, with a reason."""
    with calling(req, REPORT_MESSAGE) as call:
        args = call.args
        filed = reports.report(
            call.session, args["roomId"], call.uid, args["messageId"], args["reason"]
        )
    return answer(wire.report_filed(filed))


def resolve_report(req: Request) -> dict[str, Any]:
    """Owners and admins close a report (optional resolution note)."""
    with calling(req, RESOLVE_REPORT) as call:
        args = call.args
        resolved = reports.resolve(
            call.session, args["roomId"], call.uid, args["reportId"], args["resolution"]
        )
    return answer(wire.report_resolved(resolved))
