"""add_members, remove_member, leave_room, set_role, check_membership."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.services import membership
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def add_members(req: Request) -> dict[str, Any]:
    """Owners and admins add users (memberIds) to a group room."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "memberIds")
        room_id = fields.user_id(data, "roomId")
        member_ids = fields.user_ids(data, "memberIds")
        with unit_of_work() as session:
            added = membership.add_members(session, room_id, uid, member_ids)
    return {"roomId": room_id, "added": added}


def remove_member(req: Request) -> dict[str, Any]:
    """Owners and admins remove someone of lower rank (userId)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "userId")
        room_id = fields.user_id(data, "roomId")
        target = fields.user_id(data, "userId")
        with unit_of_work() as session:
            membership.remove_member(session, room_id, uid, target)
    return {"roomId": room_id, "removed": target}


def leave_room(req: Request) -> dict[str, Any]:
    """The caller leaves a group room."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = fields.user_id(fields.data_of(req, "roomId"), "roomId")
        with unit_of_work() as session:
            membership.leave(session, room_id, uid)
    return {"roomId": room_id, "left": True}


def set_role(req: Request) -> dict[str, Any]:
    """Owners give a member (userId) the role owner, admin or member."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "userId", "role")
        room_id = fields.user_id(data, "roomId")
        target = fields.user_id(data, "userId")
        role = fields.choice(data, "role", membership.ROLES)
        with unit_of_work() as session:
            membership.set_role(session, room_id, uid, target, role)
    return {"roomId": room_id, "userId": target, "role": role}


def check_membership(req: Request) -> dict[str, Any]:
    """{isMember, role} of the caller in a room."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = fields.user_id(fields.data_of(req, "roomId"), "roomId")
        with unit_of_work() as session:
            return membership.check(session, room_id, uid)
