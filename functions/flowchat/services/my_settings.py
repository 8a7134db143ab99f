"""The caller's own settings, read back in one statement: who may add them to group rooms,
whom they block and whose messages they muted for push (each set by its own callable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from flowchat.adapters.tables import blocks, muted_authors, users
from flowchat.errors import NotFound
from flowchat.services.domain import AddPolicy


@dataclass(frozen=True, slots=True)
class MySettings:
    """add_policy; blocked and muted users' ids, oldest first."""

    add_policy: AddPolicy
    blocked_ids: list[str]
    muted_ids: list[str]


def load(session: Session, uid: str) -> MySettings:
    """The settings of uid (NotFound for an account that no longer exists)."""
    blocked = _ids_oldest_first(blocks.c.blocked_id, blocks.c.created_at, blocks.c.blocker_id)
    muted = _ids_oldest_first(
        muted_authors.c.author_id, muted_authors.c.created_at, muted_authors.c.user_id
    )
    row = session.execute(
        select(users.c.add_policy, blocked, muted).where(users.c.id == uid)
    ).first()
    if row is None:
        raise NotFound("no such user")
    policy, blocked_ids, muted_ids = row
    return MySettings(AddPolicy(policy), _strings(blocked_ids), _strings(muted_ids))


def _ids_oldest_first(ids: Any, created_at: Any, owner: Any) -> Any:
    """The owner's ids as one array (NULL when none), a scalar subquery on users."""
    ordered = aggregate_order_by(ids, created_at, ids)
    return select(func.array_agg(ordered)).where(owner == users.c.id).scalar_subquery()


def _strings(ids: list[Any] | None) -> list[str]:
    return [str(i) for i in ids or []]
