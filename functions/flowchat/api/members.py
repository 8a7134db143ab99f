"""add_members, remove_member, leave_room, set_role, check_membership, invitations, add policy."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import responses
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.api.schema import NOT_A_MEMBER, Failure, Schema, an_id, choice, ids
from flowchat.services import accounts, invitations, membership
from flowchat.services.domain import AddPolicy, Role
from flowchat.unit_of_work import read_only, unit_of_work

Request = https_fn.CallableRequest[Any]
DIRECT_ROOM = Failure("FAILED_PRECONDITION", "the room is a direct room")
NOT_IN_ROOM = Failure("NOT_FOUND", "userId is not a member of the room")

ADD_MEMBERS = Schema(
    "Add users to a group room (owners and admins); users whose add policy does not allow "
    "the caller get an invitation instead.",
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
    "Leave a group or direct room (create_room for the pair rejoins a direct room).",
    (an_id("roomId", "the room"),),
    responses.RoomLeft,
    (
        NOT_A_MEMBER,
        Failure("FAILED_PRECONDITION", "the caller is the last owner of a group and others remain"),
    ),
)
SET_ROLE = Schema(
    "Give a member the role owner, admin or member (owners).",
    (
        an_id("roomId", "the room"),
        an_id("userId", "the member"),
        choice("role", Role, "the new role"),
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
    "Whether the caller belongs to a room, with which role, and whether a block holds in it "
    "(no room: not a member; blocked out of a direct room: not a member).",
    (an_id("roomId", "the room"),),
    responses.MembershipStatus,
)


def add_members(req: Request) -> dict[str, Any]:
    """Owners and admins add users (memberIds) to a group room; users whose add policy does
    not allow it get an invitation instead."""
    with translated_errors():
        uid = caller_uid(req)
        args = ADD_MEMBERS.parse(req)
        with unit_of_work() as session:
            added, invited = membership.add_members(session, args["roomId"], uid, args["memberIds"])
    return {"roomId": args["roomId"], "added": added, "invited": invited}


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
    return {"roomId": args["roomId"], "userId": args["userId"], "role": args["role"].value}


def check_membership(req: Request) -> dict[str, Any]:
    """{isMember, role, blocked, canPost} of the caller in a room."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = CHECK_MEMBERSHIP.parse(req)["roomId"]
        with read_only() as session:
            return membership.check(session, room_id, uid)


NO_INVITATION = Failure("NOT_FOUND", "the caller has no pending invitation to the room")
ACCEPT_INVITATION = Schema(
    "Join a group room one was invited to (an add one's add policy did not allow directly).",
    (an_id("roomId", "the room of the invitation"),),
    responses.InvitationAccepted,
    (NO_INVITATION, Failure("PERMISSION_DENIED", "the caller was banned from the room since")),
)
DECLINE_INVITATION = Schema(
    "Decline an invitation to a group room: it is deleted and gives no access.",
    (an_id("roomId", "the room of the invitation"),),
    responses.InvitationDeclined,
    (NO_INVITATION,),
)
SET_ADD_POLICY = Schema(
    "Choose who may add the caller to group rooms without an invitation: anyone; shared "
    "(the default: people the caller shares a group room with, or a direct room the caller "
    "opened); nobody.",
    (choice("policy", AddPolicy, "who may add the caller directly"),),
    responses.AddPolicy,
)


def accept_invitation(req: Request) -> dict[str, Any]:
    """The invitee joins the room they were invited to."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = ACCEPT_INVITATION.parse(req)["roomId"]
        with unit_of_work() as session:
            accounts.require_active_user(session, uid)
            membership.join_by_invitation(session, room_id, uid)
    return {"roomId": room_id, "joined": True}


def decline_invitation(req: Request) -> dict[str, Any]:
    """The invitee declines: the invitation is gone and gives no access."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = DECLINE_INVITATION.parse(req)["roomId"]
        with unit_of_work() as session:
            accounts.require_active_user(session, uid)
            membership.decline_invitation(session, room_id, uid)
    return {"roomId": room_id, "declined": True}


def set_add_policy(req: Request) -> dict[str, Any]:
    """Who may add the caller to group rooms directly: anyone, shared or nobody."""
    with translated_errors():
        uid = caller_uid(req)
        policy = SET_ADD_POLICY.parse(req)["policy"]
        with unit_of_work() as session:
            accounts.require_active_user(session, uid)
            return {"policy": invitations.set_policy(session, uid, policy).value}
