"""Failed-login throttling per account and per client address, stored in PostgreSQL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat import config
from flowchat.adapters.tables import login_throttle
from flowchat.errors import Throttled


@dataclass(frozen=True)
class Bucket:
    """One counter and the number of failures it tolerates per window."""

    key: str
    max_failures: int


def buckets_for(account_key: str, client_address: str | None) -> list[Bucket]:
    """The account bucket, plus the address bucket when the address is known."""
    limit = config.LOGIN_MAX_FAILURES_PER_ACCOUNT.value
    found = [Bucket(f"account:{account_key.lower()}", limit)]
    if client_address:
        found.append(
            Bucket(f"address:{client_address}", config.LOGIN_MAX_FAILURES_PER_ADDRESS.value)
        )
    return found


def retry_after_seconds(window_started_at: datetime, now: datetime, window_seconds: int) -> int:
    """Whole seconds until the window that tripped the limit ends (at least 1)."""
    remaining = (window_started_at + timedelta(seconds=window_seconds) - now).total_seconds()
    return max(1, math.ceil(remaining))


def ensure_allowed(session: Session, buckets: list[Bucket]) -> None:
    """Raise Throttled if any bucket is over its limit in the current window."""
    window = config.LOGIN_WINDOW_SECONDS.value
    now = session.execute(select(func.now())).scalar_one()
    rows = session.execute(
        select(login_throttle).where(login_throttle.c.bucket.in_([b.key for b in buckets]))
    ).all()
    limits = {b.key: b.max_failures for b in buckets}
    for row in rows:
        in_window = row.window_started_at + timedelta(seconds=window) > now
        if in_window and row.failures >= limits[row.bucket]:
            wait = retry_after_seconds(row.window_started_at, now, window)
            raise Throttled("Too many failed logins; try again later.", wait)


def record_failure(session: Session, buckets: list[Bucket]) -> None:
    """Count one failure in every bucket, starting a new window where the old one ended."""
    window = timedelta(seconds=config.LOGIN_WINDOW_SECONDS.value)
    expired = login_throttle.c.window_started_at < func.now() - window
    for bucket in buckets:
        stmt = insert(login_throttle).values(bucket=bucket.key, failures=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[login_throttle.c.bucket],
            set_={
                "failures": case((expired, 1), else_=login_throttle.c.failures + 1),
                "window_started_at": case(
                    (expired, func.now()), else_=login_throttle.c.window_started_at
                ),
            },
        )
        session.execute(stmt)


def reset(session: Session, bucket: Bucket) -> None:
    """Forget the failures of a bucket (after a successful login)."""
    session.execute(delete(login_throttle).where(login_throttle.c.bucket == bucket.key))


def prune(session: Session) -> int:
    """Delete counters whose window has ended (they no longer throttle anyone)."""
    window = timedelta(seconds=config.LOGIN_WINDOW_SECONDS.value)
    ended = delete(login_throttle).where(login_throttle.c.window_started_at < func.now() - window)
    return len(session.execute(ended.returning(login_throttle.c.bucket)).all())
