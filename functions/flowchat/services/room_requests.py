"""Client request ids of create_room: the first call with an id creates, retries find it."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import room_requests
from flowchat.errors import InvalidInput

REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,128}")


def validate(request_id: str) -> str:
    """The id itself; InvalidInput unless 8-128 letters, digits, '_' or '-'."""
    if not REQUEST_ID.fullmatch(request_id):
        raise InvalidInput("requestId must be 8-128 letters, digits, '_' or '-'")
    return request_id


def claim(session: Session, uid: str, request_id: str) -> tuple[str, bool]:
    """(room id, True) with a fresh id reserved for this request, or (the room an earlier
    call with this id created, False).

    ON CONFLICT waits for a concurrent call with the same id to commit or roll back, so
    two racing retries never both create.
    """
    fresh = str(uuid.uuid4())
    claimed = session.execute(
        insert(room_requests)
        .values(created_by=uid, request_id=validate(request_id), room_id=fresh)
        .on_conflict_do_nothing()
        .returning(room_requests.c.room_id)
    ).scalar()
    if claimed is not None:
        return claimed, True
    earlier = select(room_requests.c.room_id).where(
        room_requests.c.created_by == uid, room_requests.c.request_id == request_id
    )
    return session.execute(earlier).scalar_one(), False
