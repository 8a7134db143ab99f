"""create_room, rename_room, get_room, list_my_rooms."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import responses
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.api.schema import (
    BAD_CURSOR,
    NOT_A_MEMBER,
    Failure,
    Schema,
    an_id,
    choice,
    cursor,
    flag,
    ids,
    optional_text,
    page_size,
    raw,
    text,
)
from flowchat.errors import InvalidInput
from flowchat.services import hidden_rooms, room_requests, rooms
from flowchat.services.domain import RoomKind
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
ADMINS_ONLY = Failure("PERMISSION_DENIED", "the caller is not an owner or admin of the room")
DIRECT_ROOM = Failure("FAILED_PRECONDITION", "the room is a direct room")

CREATE_ROOM = Schema(
    "Create a group room, or open the one direct room of the caller and another user.",
    (
        choice("kind", RoomKind, "a group room, or a direct room of two"),
        raw(
            "name",
            "string",
            False,
            f"1-{rooms.MAX_NAME} characters, trimmed; required for a group",
            "the group's name (ignored for a direct room)",
        ),
        ids("memberIds", "the other members; exactly one for a direct room"),
        optional_text(
            "requestId",
            128,
            "8-128 letters, digits, '_' or '-', unique per caller: a retried group creation "
            "returns the room of the first call",
        ),
    ),
    responses.RoomCreated,
    (
        Failure(
            "INVALID_ARGUMENT", "a direct room without exactly one other user, or with oneself"
        ),
        Failure("NOT_FOUND", "a listed user does not exist or is disabled"),
        Failure("PERMISSION_DENIED", "a block exists between the caller and a listed user"),
    ),
)
RENAME_ROOM = Schema(
    "Rename a group room (owners and admins).",
    (an_id("roomId", "the room"), text("name", rooms.MAX_NAME, "the new name, trimmed")),
    responses.RoomRenamed,
    (NOT_A_MEMBER, ADMINS_ONLY, DIRECT_ROOM),
)
GET_ROOM = Schema(
    "A room and its first members (members only).",
    (an_id("roomId", "the room"),),
    responses.RoomDetails,
    (NOT_A_MEMBER,),
)
LIST_MY_ROOMS = Schema(
    "The caller's rooms, a page at a time.",
    (page_size(20, rooms.MAX_PAGE), cursor()),
    responses.MyRooms,
    (BAD_CURSOR,),
)


def create_room(req: Request) -> dict[str, Any]:
    """A group room (name, memberIds) or the direct room with one other user (memberIds).

    An optional requestId (unique per caller) makes a retried group creation return the
    room of the first call; a direct room is one per pair anyway."""
    with translated_errors():
        uid = caller_uid(req)
        args = CREATE_ROOM.parse(req)
        member_ids, request_id = args["memberIds"], args["requestId"]
        if request_id is not None:
            room_requests.validate(request_id)
        if args["kind"] == RoomKind.DIRECT:
            if len(member_ids) != 1:
                raise InvalidInput("a direct room takes exactly one other user in memberIds")
            with unit_of_work() as session:
                return rooms.create_direct(session, uid, member_ids[0])
        name = CREATE_ROOM_NAME.check(req.data)
        with unit_of_work() as session:
            return rooms.create_group(session, uid, name, member_ids, request_id)


# A group's name is required, a direct room's is not: checked once the kind is known.
CREATE_ROOM_NAME = text("name", rooms.MAX_NAME, "the group's name")


def rename_room(req: Request) -> dict[str, Any]:
    """Owners and admins rename a group room."""
    with translated_errors():
        uid = caller_uid(req)
        args = RENAME_ROOM.parse(req)
        with unit_of_work() as session:
            rooms.rename(session, args["roomId"], uid, args["name"])
    return {"roomId": args["roomId"], "name": args["name"].strip()}


def get_room(req: Request) -> dict[str, Any]:
    """The room and its members, for members."""
    with translated_errors():
        uid = caller_uid(req)
        args = GET_ROOM.parse(req)
        with unit_of_work() as session:
            return rooms.get(session, args["roomId"], uid)


def list_my_rooms(req: Request) -> dict[str, Any]:
    """The caller's rooms, a page at a time (limit, cursor)."""
    with translated_errors():
        uid = caller_uid(req)
        args = LIST_MY_ROOMS.parse(req)
        with unit_of_work() as session:
            return rooms.list_mine(session, uid, args["limit"], args["cursor"])


HIDE_ROOM = Schema(
    "Hide (archive) a room in the caller's own list, or show it again; the next new message "
    "in the room shows it again by itself.",
    (
        an_id("roomId", "the room"),
        flag("hidden", True, "true hides the room (the default), false shows it"),
    ),
    responses.RoomHidden,
    (NOT_A_MEMBER,),
)


def hide_room(req: Request) -> dict[str, Any]:
    """Hide (hidden: true, the default) or show a room in the caller's list."""
    with translated_errors():
        uid = caller_uid(req)
        args = HIDE_ROOM.parse(req)
        room_id, hidden = args["roomId"], args["hidden"]
        with unit_of_work() as session:
            changed = hidden_rooms.set_hidden(session, room_id, uid, hidden)
    return {"roomId": room_id, "hidden": hidden, "changed": changed}
