"""The transactional outbox: queue projection writes with a change, apply them after commit.

Rows for one path are applied newest-only under row locks, so an older state can never
overwrite a newer one, and a failed apply leaves the rows pending for the drain.
Revocations (priority REVOKE) are drained ahead of grants and never back off for longer
than the drain's interval, so access taken away in PostgreSQL leaves Firestore within a
minute even after a crash between commit and projection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from firebase_admin.exceptions import FirebaseError
from google.api_core.exceptions import (
    DeadlineExceeded,
    GoogleAPIError,
    RetryError,
    ServiceUnavailable,
)
from sqlalchemy import Row, case, delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from flowchat.adapters import db
from flowchat.adapters.projector import (
    GRANT,
    REVOKE,
    Op,
    Priority,
    ProjectionError,
    Target,
    Write,
    encode_value,
    projector,
)
from flowchat.adapters.tables import outbox

log = logging.getLogger(__name__)

QUEUED_IDS = "outbox_ids"
# Backoff caps: the drain runs every minute, so a revocation is retried at every run.
MAX_BACKOFF_SECONDS = 300
MAX_REVOKE_BACKOFF_SECONDS = 30
# Applied rows stay a while for operators to inspect, then the drain deletes them.
DONE_RETENTION_DAYS = 7
# Failures the drain can recover from; anything else is a bug and propagates.
TRANSIENT_ERRORS = (GoogleAPIError, FirebaseError, OSError, ProjectionError)
# Failures meaning the service is out of reach: retrying path by path would only wait longer.
OUTAGE_ERRORS = (ServiceUnavailable, DeadlineExceeded, RetryError, OSError, ProjectionError)


def enqueue(session: Session, writes: Sequence[Write]) -> None:
    """Queue writes in the caller's transaction (one INSERT); applied after it commits."""
    if not writes:
        return
    rows = [
        {
            "target": str(w.target),
            "path": w.path,
            "op": str(w.op),
            "payload": encode_value(w.payload),
            "priority": int(w.priority),
        }
        for w in writes
    ]
    ids = session.execute(insert(outbox).values(rows).returning(outbox.c.id)).scalars()
    session.info.setdefault(QUEUED_IDS, []).extend(ids)


def queued_ids(session: Session) -> list[int]:
    """Ids queued in this session's unit of work."""
    return list(session.info.get(QUEUED_IDS, []))


def apply(ids: Sequence[int]) -> bool:
    """Apply the paths touched by these rows (right after commit); True when all done."""
    if not ids:
        return True
    with db.sessions()() as session, session.begin():
        paths = select(outbox.c.target, outbox.c.path).where(outbox.c.id.in_(list(ids)))
        return _apply_paths(session, paths)


def drain(limit: int = 200) -> int:
    """Apply due pending rows (scheduled): paths with a due revocation first, in their own
    transaction and batches, then the rest; returns how many paths were brought up to date."""
    applied = 0
    for priority in (REVOKE, GRANT):
        with db.sessions()() as session, session.begin():
            paths = _due_paths(session, priority, limit)
            if paths and _apply_paths(session, paths):
                applied += len(paths)
    return applied


def _due_paths(session: Session, priority: Priority, limit: int) -> list[tuple[str, str]]:
    due = (
        select(outbox.c.target, outbox.c.path)
        .where(
            outbox.c.done_at.is_(None),
            outbox.c.priority == priority,
            outbox.c.next_attempt_at <= func.now(),
        )
        .distinct()
        .limit(limit)
    )
    return [(r.target, r.path) for r in session.execute(due)]


def pending_count() -> int:
    """Rows not applied yet (for tests and monitoring)."""
    with db.sessions()() as session:
        return session.execute(
            select(func.count()).select_from(outbox).where(outbox.c.done_at.is_(None))
        ).scalar_one()


def prune(session: Session, limit: int = 10_000) -> int:
    """Delete up to limit applied rows older than the retention; returns how many."""
    old = (
        select(outbox.c.id)
        .where(outbox.c.done_at < func.now() - func.make_interval(0, 0, 0, DONE_RETENTION_DAYS))
        .limit(limit)
    )
    return len(
        session.execute(delete(outbox).where(outbox.c.id.in_(old)).returning(outbox.c.id)).all()
    )


def _apply_paths(session: Session, paths: Any) -> bool:
    """Lock every pending row of these paths, apply the newest per path, record the outcome.

    One statement locks the rows (in id order, as every applier does) and marks them done
    in this transaction; a failure marks its rows pending again before the commit, so the
    common case costs one round trip instead of a SELECT ... FOR UPDATE and an UPDATE."""
    pending = (
        select(outbox.c.id)
        .where(outbox.c.done_at.is_(None), tuple_(outbox.c.target, outbox.c.path).in_(paths))
        .order_by(outbox.c.id)
        .with_for_update()
    )
    marked = session.execute(
        update(outbox)
        .where(outbox.c.id.in_(pending.scalar_subquery()))
        .values(done_at=func.now())
        .returning(outbox)
    ).all()
    rows = sorted(marked, key=lambda r: r.id)
    if not rows:
        return True
    try:
        projector().apply(newest_per_path(rows))
    except OUTAGE_ERRORS as exc:
        log.warning("projection failed, left for the drain: %s", exc)
        _mark_failed(session, [r.id for r in rows], exc)
        return False
    except TRANSIENT_ERRORS:
        # Firestore refused something in the batch: go path by path so that one bad
        # write holds back only its own path.
        return _apply_each_path(session, rows)
    return True


def _apply_each_path(session: Session, rows: Sequence[Row[Any]]) -> bool:
    by_path: dict[tuple[str, str], list[Row[Any]]] = {}
    for r in rows:
        by_path.setdefault((r.target, r.path), []).append(r)
    all_done = True
    for path_rows in by_path.values():
        ids = [r.id for r in path_rows]
        try:
            projector().apply(newest_per_path(path_rows))
        except TRANSIENT_ERRORS as exc:
            log.error("projection of %s refused, left for an operator: %s", path_rows[0].path, exc)
            _mark_failed(session, ids, exc)
            all_done = False
    return all_done


def newest_per_path(rows: Iterable[Row[Any]]) -> list[Write]:
    """The last write of each path, in first-seen order (later rows supersede earlier ones)."""
    latest: dict[tuple[str, str], Write] = {}
    for r in rows:
        key = (r.target, r.path)
        latest.pop(key, None)
        latest[key] = Write(Target(r.target), r.path, Op(r.op), r.payload)
    return list(latest.values())


def _mark_failed(session: Session, ids: list[int], exc: BaseException) -> None:
    cap = case((outbox.c.priority == REVOKE, MAX_REVOKE_BACKOFF_SECONDS), else_=MAX_BACKOFF_SECONDS)
    backoff = func.least(func.power(2, outbox.c.attempts), cap)
    session.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids))
        .values(
            done_at=None,
            attempts=outbox.c.attempts + 1,
            next_attempt_at=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, backoff),
            last_error=str(exc)[:1000],
        )
    )
