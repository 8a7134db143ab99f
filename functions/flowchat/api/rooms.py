"""create_room, rename_room, get_room, list_my_rooms."""

from __future__ import annotations

from typing import Any

from flowchat.api import responses, wire
from flowchat.api.handling import Request, answer, calling
from flowchat.api.schema import (
    BAD_CURSOR,
    DIRECT_ROOM,
    MODERATORS_ONLY,
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
        Failure(
            "ALREADY_EXISTS",
            "the requestId created a room with another name or other memberIds",
        ),
    ),
)
RENAME_ROOM = Schema(
    "Rename a group room (owners and admins).",
    (an_id("roomId", "the room"), text("name", rooms.MAX_NAME, "the new name, trimmed")),
    responses.RoomRenamed,
    (NOT_A_MEMBER, MODERATORS_ONLY, DIRECT_ROOM),
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
    with calling(req, CREATE_ROOM) as call:
        args, session, uid = call.args, call.session, call.uid
        member_ids, request_id = args["memberIds"], args["requestId"]
        if request_id is not None:
            room_requests.validate(request_id)
        if args["kind"] == RoomKind.DIRECT:
            if len(member_ids) != 1:
                raise InvalidInput("a direct room takes exactly one other user in memberIds")
            created = rooms.create_direct(session, uid, member_ids[0])
        else:
            name = CREATE_ROOM_NAME.check(req.data)
            created = rooms.create_group(session, uid, name, member_ids, request_id)
    return answer(wire.room_created(created))


# A group's name is required, a direct room's is not: checked once the kind is known.
CREATE_ROOM_NAME = text("name", rooms.MAX_NAME, "the group's name")


def rename_room(req: Request) -> dict[str, Any]:
    """Owners and admins rename a group room."""
    with calling(req, RENAME_ROOM) as call:
        room_id, name = call.args["roomId"], call.args["name"]
        rooms.rename(call.session, room_id, call.uid, name)
    return answer(responses.RoomRenamed(roomId=room_id, name=name.strip()))


def get_room(req: Request) -> dict[str, Any]:
    """The room and its members, for members."""
    with calling(req, GET_ROOM) as call:
        details = rooms.get(call.session, call.args["roomId"], call.uid)
    return answer(wire.room_details(details))


def list_my_rooms(req: Request) -> dict[str, Any]:
    """The caller's rooms, a page at a time (limit, cursor)."""
    with calling(req, LIST_MY_ROOMS) as call:
        page = rooms.list_mine(call.session, call.uid, call.args["limit"], call.args["cursor"])
    return answer(wire.my_rooms(page))


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
    with calling(req, HIDE_ROOM) as call:
        room_id, hidden = call.args["roomId"], call.args["hidden"]
        changed = hidden_rooms.set_hidden(call.session, room_id, call.uid, hidden)
    return answer(responses.RoomHidden(roomId=room_id, hidden=hidden, changed=changed))
