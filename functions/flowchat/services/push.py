"""Push notifications for a new message: who gets one, at most one per interval, pruning.

Recipients are the room's members except the author who are offline (no presence
session), not blocked either way with the author, have not muted the author, and either
keep the room at level 'all' or are @mentioned (a mention gets through any level). Each
member is pushed about a room at most once per PUSH_INTERVAL_SECONDS, and every push of a
room shares one collapse key, so the device shows only the latest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, exists, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat import config
from flowchat.adapters import fcm
from flowchat.adapters.tables import (
    muted_authors,
    notification_levels,
    push_throttle,
    room_members,
    rooms,
    users,
)
from flowchat.services import blocks
from flowchat.services.domain import NotificationLevel

MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9_.]{3,32})")
MAX_BODY = 120


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member of the room other than the author, with what decides their push."""

    user_id: str
    username: str
    level: NotificationLevel
    muted_author: bool
    blocked: bool


def mentioned_ids(doc: dict[str, Any], candidates: list[Candidate]) -> set[str]:
    """Members named in the message's `mentions` list (uids) or as @username in its text."""
    by_name = {c.username.lower(): c.user_id for c in candidates}
    named = {m.lower() for m in MENTION.findall(str(doc.get("text") or ""))}
    found = {by_name[n] for n in named if n in by_name}
    listed = doc.get("mentions")
    if isinstance(listed, list):
        ids = {c.user_id for c in candidates}
        found |= {m for m in listed if isinstance(m, str) and m in ids}
    return found


def wanted(candidates: list[Candidate], mentioned: set[str]) -> list[str]:
    """Members who would be notified if offline (the author is never a candidate)."""
    return [
        c.user_id
        for c in candidates
        if not c.blocked
        and not c.muted_author
        and (c.level == NotificationLevel.ALL or c.user_id in mentioned)
    ]


def load_candidates(session: Session, room_id: str, author_id: str) -> list[Candidate]:
    """Every active member but the author, with their level, author mute and block."""
    muted = exists().where(
        and_(
            muted_authors.c.user_id == room_members.c.user_id,
            muted_authors.c.author_id == author_id,
        )
    )
    rows = session.execute(
        select(
            room_members.c.user_id,
            users.c.username,
            func.coalesce(notification_levels.c.level, NotificationLevel.ALL.value).label("level"),
            muted.label("muted_author"),
            blocks.blocked_either_way(room_members.c.user_id, author_id).label("blocked"),
        )
        .join(users, and_(users.c.id == room_members.c.user_id, users.c.disabled.is_(False)))
        .outerjoin(
            notification_levels,
            and_(
                notification_levels.c.user_id == room_members.c.user_id,
                notification_levels.c.room_id == room_members.c.room_id,
            ),
        )
        .where(room_members.c.room_id == room_id, room_members.c.user_id != author_id)
    ).all()
    return [
        Candidate(r.user_id, r.username, NotificationLevel(r.level), r.muted_author, r.blocked)
        for r in rows
    ]


def recently_pushed(session: Session, room_id: str, user_ids: list[str]) -> set[str]:
    """Users pushed about this room within the interval (read only; claim_interval decides)."""
    if not user_ids:
        return set()
    found = session.execute(
        select(push_throttle.c.user_id).where(
            push_throttle.c.room_id == room_id,
            push_throttle.c.user_id.in_(user_ids),
            push_throttle.c.last_push_at > func.now() - _interval(),
        )
    )
    return set(found.scalars())


def _interval() -> Any:
    return func.make_interval(0, 0, 0, 0, 0, 0, config.PUSH_INTERVAL_SECONDS.value)


def claim_interval(session: Session, room_id: str, user_ids: list[str]) -> set[str]:
    """The users not pushed about this room within the interval, stamped now."""
    if not user_ids:
        return set()
    interval = _interval()
    stamped = session.execute(
        insert(push_throttle)
        .values([{"user_id": u, "room_id": room_id, "last_push_at": func.now()} for u in user_ids])
        .on_conflict_do_update(
            index_elements=[push_throttle.c.user_id, push_throttle.c.room_id],
            set_={"last_push_at": func.now()},
            where=push_throttle.c.last_push_at <= func.now() - interval,
        )
        .returning(push_throttle.c.user_id)
    )
    return set(stamped.scalars())


def pushes_for(
    session: Session,
    room_id: str,
    message_id: str,
    author_id: str,
    doc: dict[str, Any],
    tokens: dict[str, list[str]],
    allowed: set[str],
) -> list[fcm.Push]:
    room = session.execute(select(rooms.c.kind, rooms.c.name).where(rooms.c.id == room_id)).one()
    author = session.execute(select(users.c.display_name).where(users.c.id == author_id)).scalar()
    title, body = _texts(room, author or "Someone", doc)
    data = {"type": "message", "roomId": room_id, "messageId": message_id, "authorId": author_id}
    collapse_key = room_id.replace("-", "")  # 32 characters: fits webpush's Topic header
    return [
        fcm.Push(token, title, body, data, collapse_key)
        for uid in allowed
        for token in tokens.get(uid, [])
    ]


def _texts(room: Row[Any, Any], author: str, doc: dict[str, Any]) -> tuple[str, str]:
    text = str(doc.get("text") or "").strip()
    if not text:
        text = "sent an image" if doc.get("kind") == "image" else "sent a file"
    if len(text) > MAX_BODY:
        text = text[: MAX_BODY - 1] + "…"
    if room.kind == "direct":
        return author, text
    return room.name or "FlowChat", f"{author}: {text}"
