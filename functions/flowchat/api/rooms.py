"""create_room, rename_room, get_room, list_my_rooms."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.errors import InvalidInput
from flowchat.services import rooms
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def create_room(req: Request) -> dict[str, Any]:
    """A group room (name, memberIds) or the direct room with one other user (memberIds)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "kind", "name", "memberIds")
        kind = fields.choice(data, "kind", ("group", "direct"))
        member_ids = fields.user_ids(data, "memberIds")
        if kind == "direct":
            if len(member_ids) != 1:
                raise InvalidInput("a direct room takes exactly one other user in memberIds")
            with unit_of_work() as session:
                return rooms.create_direct(session, uid, member_ids[0])
        name = fields.text(data, "name", rooms.MAX_NAME)
        with unit_of_work() as session:
            return rooms.create_group(session, uid, name, member_ids)


def rename_room(req: Request) -> dict[str, Any]:
    """Owners and admins rename a group room."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "roomId", "name")
        room_id = fields.user_id(data, "roomId")
        name = fields.text(data, "name", rooms.MAX_NAME)
        with unit_of_work() as session:
            rooms.rename(session, room_id, uid, name)
    return {"roomId": room_id, "name": name.strip()}


def get_room(req: Request) -> dict[str, Any]:
    """The room and its members, for members."""
    with translated_errors():
        uid = caller_uid(req)
        room_id = fields.user_id(fields.data_of(req, "roomId"), "roomId")
        with unit_of_work() as session:
            return rooms.get(session, room_id, uid)


def list_my_rooms(req: Request) -> dict[str, Any]:
    """The caller's rooms, a page at a time (limit, cursor)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "limit", "cursor")
        limit = fields.page_size(data)
        cursor = fields.optional_text(data, "cursor", 512)
        with unit_of_work() as session:
            return rooms.list_mine(session, uid, limit, cursor)
