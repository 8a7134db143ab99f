"""add_members, remove_member, leave_room, set_role, check_membership, invitations, add policy,
get_my_settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from flowchat.api import responses, wire
from flowchat.api.handling import Request, answer, calling
from flowchat.api.schema import (
    DIRECT_ROOM,
    NOT_A_MEMBER,
    NOT_IN_ROOM,
    Failure,
    Schema,
    an_id,
    choice,
    ids,
)
from flowchat.services import accounts, invitations, membership, my_settings
from flowchat.services.domain import AddPolicy, Role
from flowchat.unit_of_work import read_only

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
    with calling(req, ADD_MEMBERS) as call:
        room_id = call.args["roomId"]
        additions = membership.add_members(call.session, room_id, call.uid, call.args["memberIds"])
    shape = responses.MembersAdded(roomId=room_id, added=additions.added, invited=additions.invited)
    return answer(shape)


def remove_member(req: Request) -> dict[str, Any]:
    """Owners and admins remove someone of lower rank (userId)."""
    with calling(req, REMOVE_MEMBER) as call:
        room_id, target = call.args["roomId"], call.args["userId"]
        membership.remove_member(call.session, room_id, call.uid, target)
    return answer(responses.MemberRemoved(roomId=room_id, removed=target))


def leave_room(req: Request) -> dict[str, Any]:
    """The caller leaves a group or direct room (a direct room is rejoined by opening it)."""
    with calling(req, LEAVE_ROOM) as call:
        room_id = call.args["roomId"]
        membership.leave(call.session, room_id, call.uid)
    return answer(responses.RoomLeft(roomId=room_id, left=True))


def set_role(req: Request) -> dict[str, Any]:
    """Owners give a member (userId) the role owner, admin or member."""
    with calling(req, SET_ROLE) as call:
        room_id, target, role = call.args["roomId"], call.args["userId"], call.args["role"]
        membership.set_role(call.session, room_id, call.uid, target, role)
    return answer(responses.RoleSet(roomId=room_id, userId=target, role=role))


def check_membership(req: Request) -> dict[str, Any]:
    """{isMember, role, blocked, canPost} of the caller in a room."""
    with calling(req, CHECK_MEMBERSHIP, read_only) as call:
        status = membership.check(call.session, call.args["roomId"], call.uid)
    return answer(wire.membership_status(status))


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

GET_MY_SETTINGS = Schema(
    "The caller's own settings: the add policy (set_add_policy), the users the caller blocks "
    "(block_user) and the users whose messages send the caller no push (mute_user).",
    (),
    responses.MySettings,
)


def accept_invitation(req: Request) -> dict[str, Any]:
    """The invitee joins the room they were invited to."""
    room_id = _take_invitation(req, ACCEPT_INVITATION, membership.join_by_invitation)
    return answer(responses.InvitationAccepted(roomId=room_id, joined=True))


def decline_invitation(req: Request) -> dict[str, Any]:
    """The invitee declines: the invitation is gone and gives no access."""
    room_id = _take_invitation(req, DECLINE_INVITATION, membership.decline_invitation)
    return answer(responses.InvitationDeclined(roomId=room_id, declined=True))


def _take_invitation(
    req: Request, schema: Schema, take: Callable[[Session, str, str], None]
) -> str:
    """Accept or decline the caller's invitation to roomId; returns the room id."""
    with calling(req, schema) as call:
        room_id: str = call.args["roomId"]
        accounts.require_active_user(call.session, call.uid)
        take(call.session, room_id, call.uid)
    return room_id


def set_add_policy(req: Request) -> dict[str, Any]:
    """Who may add the caller to group rooms directly: anyone, shared or nobody."""
    with calling(req, SET_ADD_POLICY) as call:
        accounts.require_active_user(call.session, call.uid)
        policy = invitations.set_policy(call.session, call.uid, call.args["policy"])
    return answer(responses.AddPolicy(policy=policy))


def get_my_settings(req: Request) -> dict[str, Any]:
    """The caller's add policy, blocked users and push-muted users."""
    with calling(req, GET_MY_SETTINGS, read_only) as call:
        found = my_settings.load(call.session, call.uid)
    return answer(wire.settings(found))
