"""send_message, search_messages."""

from __future__ import annotations

from typing import Any

from flowchat.api import responses, wire
from flowchat.api.handling import Request, answer, calling
from flowchat.api.schema import (
    BAD_CURSOR,
    NOT_A_MEMBER,
    Failure,
    Schema,
    an_id,
    cursor,
    optional_id,
    page_size,
    raw,
    text,
)
from flowchat.services import message_index, message_shape, messages

SHAPE = message_shape
ATTACHMENT_LIMITS = (
    f"none for text; 1-{SHAPE.MAX_ATTACHMENTS} for image and file (image: kind image only); "
    "url and thumbUrl in the room's folder of the project's Cloudinary cloud, no dot segments; "
    f"name 1-{SHAPE.MAX_NAME} characters; contentType a MIME type of at most "
    f"{SHAPE.MAX_CONTENT_TYPE} (image/* for kind image); size 0-{SHAPE.MAX_ATTACHMENT_BYTES}; "
    f"width, height 1-{SHAPE.MAX_DIMENSION}"
)

SEND_MESSAGE = Schema(
    "Post a message server-side, at most once per idempotencyKey (the same checks as the rules).",
    (
        an_id("roomId", "the room"),
        text(
            "idempotencyKey",
            128,
            "8-128 letters, digits, '_' or '-', chosen by the client; "
            "a retry with the same key returns the same message",
        ),
        raw("kind", '"text" | "image" | "file"', False, "default text", "the message kind"),
        raw(
            "text",
            "string",
            False,
            f"at most {SHAPE.MAX_TEXT} characters; 1 or more for a text message",
            "the text, or an image or file message's caption",
        ),
        raw(
            "attachments",
            "Attachment[]",
            False,
            ATTACHMENT_LIMITS,
            "uploaded files (see get_upload_signature)",
            (responses.Attachment,),
        ),
        raw(
            "parentId",
            "string | null",
            False,
            "a message id of a live top-level message of the room",
            "makes the message a thread reply",
        ),
        raw(
            "mentions",
            "string[]",
            False,
            f"at most {SHAPE.MAX_MENTIONS} distinct user ids, each a member of the room",
            "the users the message @mentions",
        ),
    ),
    responses.MessageSent,
    (
        NOT_A_MEMBER,
        Failure("PERMISSION_DENIED", "a moderator muted the caller in the room"),
        Failure("NOT_FOUND", "parentId is not a live message of the room"),
        Failure("INVALID_ARGUMENT", "parentId is itself a reply (threads are one level deep)"),
        Failure("INVALID_ARGUMENT", "mentions names someone who is not a member of the room"),
        Failure("ALREADY_EXISTS", "the idempotencyKey was used for a different message"),
        Failure(
            "RESOURCE_EXHAUSTED",
            "sending faster than the room's rate limit; "
            "details.retryAfterSeconds says when to retry",
        ),
    ),
)
SEARCH_MESSAGES = Schema(
    "Full-text search over the messages of the caller's rooms, or of one room.",
    (
        text("query", message_index.MAX_QUERY, "words to find"),
        optional_id("roomId", "only this room"),
        page_size(20, message_index.MAX_PAGE),
        cursor(),
    ),
    responses.FoundMessages,
    (NOT_A_MEMBER, BAD_CURSOR),
)


def send_message(req: Request) -> dict[str, Any]:
    """Post a message to roomId (kind, text, attachments, parentId, mentions) once per
    idempotencyKey."""
    with calling(req, SEND_MESSAGE) as call:
        room_id = call.args["roomId"]
        draft = message_shape.draft_from(req.data, room_id)
        sent = messages.send(call.session, call.uid, room_id, draft, call.args["idempotencyKey"])
    return answer(wire.message_sent(sent))


def search_messages(req: Request) -> dict[str, Any]:
    """Messages matching query in the caller's rooms, or in roomId (limit, cursor)."""
    with calling(req, SEARCH_MESSAGES) as call:
        args = call.args
        page = message_index.search(
            call.session, call.uid, args["query"], args["roomId"], args["limit"], args["cursor"]
        )
    return answer(wire.found_messages(page))
