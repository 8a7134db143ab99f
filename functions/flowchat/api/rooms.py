"""create_room, rename_room, get_room, list_my_rooms."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.errors import InvalidInput
from flowchat.services import room_requests, rooms
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def create_room(req: Request) -> dict[str, Any]:
    """A group room (name, memberIds) or the direct room with one other user (memberIds).

    An optional requestId (unique per caller) makes a retried group creation return the
    room of the first call; a direct room is one per pair anyway."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "kind", "name", "memberIds", "requestId")
        kind = fields.choice(data, "kind", ("group", "direct"))
        member_ids = fields.user_ids(data, "memberIds")
        request_id = fields.optional_text(data, "requestId", 128)
        if request_id is not None:
            room_requests.validate(request_id)
        if kind == "direct":
            if len(member_ids) != 1:
                raise InvalidInput("a direct room takes exactly one other user in memberIds")
            with unit_of_work() as session:
                return rooms.create_direct(session, uid, member_ids[0])
        name = fields.text(data, "name", rooms.MAX_NAME)
        with unit_of_work() as session:
            return rooms.create_group(session, uid, name, member_ids, request_id)


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
