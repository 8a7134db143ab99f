"""The PostgreSQL message index: kept by the message trigger, searched by search_messages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    FetchedValue,
    MetaData,
    Table,
    Text,
    Uuid,
    delete,
    func,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import TSVECTOR, insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import room_members
from flowchat.errors import InvalidInput
from flowchat.services import accounts, blocks, cursors, membership
from flowchat.services.domain import MessageKind

MIN_QUERY, MAX_QUERY = 1, 256
MAX_PAGE = 50

# Mirrors sql/0007_message_index.sql and sql/0008_message_index_lifecycle.sql.
message_index = Table(
    "message_index",
    MetaData(),
    Column("room_id", Uuid(as_uuid=False), primary_key=True),
    Column("message_id", Text, primary_key=True),
    Column("thread_id", Text),
    Column("author_id", Uuid(as_uuid=False), nullable=False),
    Column("kind", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("edited_at", DateTime(timezone=True)),
    Column("deleted_at", DateTime(timezone=True)),
    Column("body", Text, nullable=False),
    Column("body_tsv", TSVECTOR, server_default=FetchedValue()),
)


@dataclass(frozen=True, slots=True)
class IndexedMessage:
    """What the index keeps of one message."""

    room_id: str
    message_id: str
    thread_id: str | None
    author_id: str
    kind: MessageKind
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    body: str


@dataclass(frozen=True, slots=True)
class FoundMessage:
    """A live message matching a search (parent_id: the thread it replies in)."""

    room_id: str
    message_id: str
    parent_id: str | None
    author_id: str
    kind: MessageKind
    text: str
    created_at: datetime
    edited_at: datetime | None


@dataclass(frozen=True, slots=True)
class MessagePage:
    """Newest first; next_cursor is None on the last page."""

    messages: list[FoundMessage]
    next_cursor: str | None


def upsert(session: Session, m: IndexedMessage) -> None:
    """Insert the message, or bring its row up to date (edits, soft deletes)."""
    values = {
        "room_id": m.room_id,
        "message_id": m.message_id,
        "thread_id": m.thread_id,
        "author_id": m.author_id,
        "kind": m.kind.value,
        "created_at": m.created_at,
        "edited_at": m.edited_at,
        "deleted_at": m.deleted_at,
        "body": "" if m.deleted_at else m.body,
    }
    stmt = insert(message_index).values(values)
    changes = {k: stmt.excluded[k] for k in ("kind", "edited_at", "deleted_at", "body")}
    key = ["room_id", "message_id"]
    session.execute(stmt.on_conflict_do_update(index_elements=key, set_=changes))


def remove(session: Session, room_id: str, message_id: str) -> None:
    """Forget a message that no longer exists (hard deletes by operators)."""
    session.execute(
        delete(message_index).where(
            message_index.c.room_id == room_id, message_index.c.message_id == message_id
        )
    )


def lock_message(session: Session, room_id: str, message_id: str) -> None:
    """Hold one message's lock until the transaction ends (trigger runs take turns)."""
    key = func.hashtextextended(f"message:{room_id}:{message_id}", 0)
    session.execute(select(func.pg_advisory_xact_lock(key)))


def thread_stats(session: Session, room_id: str, parent_id: str) -> tuple[int, datetime | None]:
    """(live replies, newest reply time) of a thread, serialised per thread.

    The transaction-scoped lock orders concurrent trigger runs of one thread, so the
    counters each run writes to Firestore are never older than an earlier run's.
    """
    lock_key = func.hashtextextended(f"thread:{room_id}:{parent_id}", 0)
    session.execute(select(func.pg_advisory_xact_lock(lock_key)))
    row = session.execute(
        select(func.count(), func.max(message_index.c.created_at)).where(
            message_index.c.room_id == room_id,
            message_index.c.thread_id == parent_id,
            message_index.c.deleted_at.is_(None),
        )
    ).one()
    return int(row[0]), row[1]


def search(
    session: Session,
    uid: str,
    query: str,
    room_id: str | None,
    limit: int,
    cursor: str | None,
) -> MessagePage:
    """Live messages matching query (web-search syntax), newest first, in the caller's rooms."""
    q = query.strip()
    if not MIN_QUERY <= len(q) <= MAX_QUERY:
        raise InvalidInput(f"query must be {MIN_QUERY}-{MAX_QUERY} characters")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be 1-{MAX_PAGE}")
    accounts.require_active_user(session, uid)
    if room_id is not None:
        membership.require_member(session, room_id, uid)
    mi = message_index.c
    order = (mi.created_at, mi.room_id, mi.message_id)
    stmt = (
        select(
            mi.room_id,
            mi.message_id,
            mi.thread_id,
            mi.author_id,
            mi.kind,
            mi.created_at,
            mi.edited_at,
            mi.body,
        )
        .join(
            room_members, (room_members.c.room_id == mi.room_id) & (room_members.c.user_id == uid)
        )
        .where(
            mi.body_tsv.bool_op("@@")(func.websearch_to_tsquery("simple", q)),
            mi.deleted_at.is_(None),
            mi.room_id.not_in(blocks.direct_rooms_blocked_for(uid)),
        )
        .order_by(*(c.desc() for c in order))
        .limit(limit + 1)
    )
    if room_id is not None:
        stmt = stmt.where(mi.room_id == room_id)
    if cursor:
        types: list[Any] = [DateTime(timezone=True), Uuid(as_uuid=False), Text()]
        stmt = stmt.where(tuple_(*order) < tuple_(*_after(cursor), types=types))
    rows = session.execute(stmt).all()
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    next_cursor = None
    if more and last:
        next_cursor = cursors.encode([last.created_at.isoformat(), last.room_id, last.message_id])
    return MessagePage([_found(r) for r in page], next_cursor)


def _found(r: Any) -> FoundMessage:
    return FoundMessage(
        room_id=r.room_id,
        message_id=r.message_id,
        parent_id=r.thread_id,
        author_id=r.author_id,
        kind=MessageKind(r.kind),
        text=r.body,
        created_at=r.created_at,
        edited_at=r.edited_at,
    )


def _after(cursor: str) -> tuple[datetime, str, str]:
    created_at, room_id, message_id = cursors.decode(cursor, 3)
    try:
        if not isinstance(message_id, str):
            raise ValueError("message id")
        return datetime.fromisoformat(created_at), str(uuid.UUID(room_id)), message_id
    except (TypeError, ValueError) as exc:
        raise InvalidInput("cursor is not valid") from exc
