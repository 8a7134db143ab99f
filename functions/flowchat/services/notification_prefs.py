"""What a user wants to be notified about: a level per room, and authors they muted."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat.adapters.tables import muted_authors, notification_levels, users
from flowchat.errors import InvalidInput, NotFound
from flowchat.services import accounts, membership
from flowchat.services.domain import NotificationLevel

# all: every message; mentions / none: only messages that @mention you (issue 12: a mention
# gets through a muted room); none also hides the room's badge in clients that show one.
DEFAULT_LEVEL = NotificationLevel.ALL


def set_level(session: Session, uid: str, room_id: str, level: NotificationLevel) -> None:
    """The caller's level for a room they belong to ('all' is stored as no row)."""
    membership.require_member(session, room_id, uid)
    where = (notification_levels.c.user_id == uid, notification_levels.c.room_id == room_id)
    if level == DEFAULT_LEVEL:
        session.execute(delete(notification_levels).where(*where))
        return
    session.execute(
        insert(notification_levels)
        .values(user_id=uid, room_id=room_id, level=level.value)
        .on_conflict_do_update(
            index_elements=[notification_levels.c.user_id, notification_levels.c.room_id],
            set_={"level": level.value},
        )
    )


def level_of(session: Session, uid: str, room_id: str) -> NotificationLevel:
    found = session.execute(
        select(notification_levels.c.level).where(
            notification_levels.c.user_id == uid, notification_levels.c.room_id == room_id
        )
    ).scalar()
    return NotificationLevel(found) if found else DEFAULT_LEVEL


def mute_author(session: Session, uid: str, author_id: str, muted: bool) -> bool:
    """Stop (or resume) notifications about one author's messages; True if it changed."""
    accounts.require_active_user(session, uid)
    if author_id == uid:
        raise InvalidInput("you cannot mute yourself")
    if session.execute(select(users.c.id).where(users.c.id == author_id)).first() is None:
        raise NotFound("user not found")
    if muted:
        added = session.execute(
            insert(muted_authors)
            .values(user_id=uid, author_id=author_id)
            .on_conflict_do_nothing()
            .returning(muted_authors.c.user_id)
        )
        return added.first() is not None
    removed = session.execute(
        delete(muted_authors)
        .where(muted_authors.c.user_id == uid, muted_authors.c.author_id == author_id)
        .returning(muted_authors.c.user_id)
    )
    return removed.first() is not None
