"""add_members, remove_member, leave_room, set_role, check_membership."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import responses
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.api.schema import NOT_A_MEMBER, Failure, Schema, an_id, choice, ids
from flowchat.services import membership
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
DIRECT_ROOM = Failure("FAILED_PRECONDITION", "the room is a direct room")
NOT_IN_ROOM = Failure("NOT_FOUND", "userId is not a member of the room")

ADD_MEMBERS = Schema(
    "Add users to a group room (owners and admins).",
    (
        an_id("roomId", "the room"),
        ids("memberIds", "the users to add", membership.MAX_MEMBERS_PER_CALL),
    ),
    responses.MembersAdded,
    (
        NOT_A_MEMBER,
        Failure(
            "PERMISSION_DENIED",
            "the caller is not an owner or admin, "
            "or a block exists between the caller and a listed user",
        ),
        Failure("NOT_FOUND", "a listed user does not exist or is disabled"),
        DIRECT_ROOM,
    ),
)
REMOVE_MEMBER = Schema(
    "Remove someone of lower rank from a group room "
    "(owners remove admins and members, admins remove members).",
    (an_id("roomId", "the room"), an_id("userId", "the member to remove")),
    responses.MemberRemoved,
    (
        Failure("INVALID_ARGUMENT", "userId is the caller (use leave_room)"),
        NOT_A_MEMBER,
        Failure("PERMISSION_DENIED", "the caller's role is not above the member's"),
        NOT_IN_ROOM,
        DIRECT_ROOM,
    ),
)
LEAVE_ROOM = Schema(
    "Leave a group room.",
    (an_id("roomId", "the room"),),
    responses.RoomLeft,
    (
        NOT_A_MEMBER,
        DIRECT_ROOM,
        Failure("FAILED_PRECONDITION", "the caller is the last owner and others remain"),
    ),
)
SET_ROLE = Schema(
    "Give a member the role owner, admin or member (owners).",
    (
        an_id("roomId", "the room"),
        an_id("userId", "the member"),
        choice("role", membership.ROLES, "the new role"),
    ),
    responses.RoleSet,
    (
        NOT_A_MEMBER,
        Failure("PERMISSION_DENIED", "the caller is not an owner"),
        NOT_IN_ROOM,
        DIRECT_ROOM,
        Failure("FAILED_PRECONDITION", "the room would have no owner left"),
    ),
)
CHECK_MEMBERSHIP = Schema(
    "Whether the caller belongs to a room, and with which role (no room: not a member).",
    (an_id("roomId", "the room"),),
    responses.MembershipStatus,
)


def add_members(req: Request) -> dict[str, Any]:
    """Owners and admins add users (memberIds) to a group room."""
    with translated_errors():
        uid = caller_uid(req)
        args = ADD_MEMBERS.parse(req)
        with unit_of_work() as session:
            added = membership.add_members(session, args["roomId"], uid, args["memberIds"])
    return {"roomId": args["roomId"], "added": added}


def remove_member(req: Request) -> dict[str, Any]:
    """Owners and admins remove someone of lower rank (userId)."""
    with translated_errors():
        uid = caller_uid(req)
        args = REMOVE_MEMBER.parse(req)
        with unit_of_work() as session:
            membership.remove_member(session, args["roomId"], uid, args["userId"])
    return {"roomId": args["roomId"], "removed": args["userId"]}


def leave_room(req: Request) -> dict[str, Any]:
    """The caller leaves a group or direct room (a direct room is rejoined by opening it)."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = LEAVE_ROOM.parse(req)["roomId"]
        with unit_of_work() as session:
            membership.leave(session, room_id, uid)
    return {"roomId": room_id, "left": True}


def set_role(req: Request) -> dict[str, Any]:
    """Owners give a member (userId) the role owner, admin or member."""
    with translated_errors():
        uid = caller_uid(req)
        args = SET_ROLE.parse(req)
        with unit_of_work() as session:
            membership.set_role(session, args["roomId"], uid, args["userId"], args["role"])
    return {"roomId": args["roomId"], "userId": args["userId"], "role": args["role"]}


def check_membership(req: Request) -> dict[str, Any]:
    """{isMember, role, blocked, canPost} of the caller in a room."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = CHECK_MEMBERSHIP.parse(req)["roomId"]
        with unit_of_work() as session:
            return membership.check(session, room_id, uid)
