"""Login and registration throttling, stored in PostgreSQL: each attempt is counted before
its password is checked or hashed, in one atomic statement, so parallel attempts cannot slip
past the limit.

Login buckets: an unknown client (no trusted-device token) counts in the account's bucket
and its address's bucket; a trusted device counts in its own bucket only (see
login_devices). A success resets the bucket the attempt was counted in. Registrations count
in their address's own bucket, successful or not, and nothing resets it before its window
ends.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat import config
from flowchat.adapters.tables import login_throttle
from flowchat.errors import Throttled


@dataclass(frozen=True, slots=True)
class Bucket:
    """One counter and the number of attempts it allows per window."""

    key: str
    max_failures: int


def buckets_for(
    account_key: str, client_address: str | None, device: str | None = None
) -> list[Bucket]:
    """A trusted device's own bucket; else the account bucket plus the address bucket."""
    if device is not None:
        return [Bucket(f"device:{device}", config.LOGIN_MAX_FAILURES_PER_DEVICE.value)]
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


def registration_bucket(client_address: str) -> Bucket:
    """The bucket every registration from one address counts in."""
    return Bucket(f"register:{client_address}", config.REGISTER_MAX_PER_ADDRESS.value)


def claim_registration(session: Session, client_address: str) -> None:
    """Count one registration from the address; Throttled once the window's are used up.
    Committed before the account is created, like a login attempt before its password."""
    _claim(session, [registration_bucket(client_address)], "Too many new accounts")


def claim_attempt(session: Session, buckets: list[Bucket]) -> None:
    """Count one login attempt in every bucket; Throttled if any is now over its limit."""
    _claim(session, buckets, "Too many failed logins")


def _claim(session: Session, buckets: list[Bucket], too_many: str) -> None:
    """Count one attempt in every bucket (one INSERT ... ON CONFLICT ... RETURNING, rows
    locked until commit); Throttled if any bucket is now over its limit. The caller rolls
    back on Throttled, so refused attempts do not count, and commits otherwise before
    checking the password."""
    window = timedelta(seconds=config.LOGIN_WINDOW_SECONDS.value)
    expired = login_throttle.c.window_started_at < func.now() - window
    stmt = insert(login_throttle).values([{"bucket": b.key, "failures": 1} for b in buckets])
    counted = session.execute(
        stmt.on_conflict_do_update(
            index_elements=[login_throttle.c.bucket],
            set_={
                "failures": case((expired, 1), else_=login_throttle.c.failures + 1),
                "window_started_at": case(
                    (expired, func.now()), else_=login_throttle.c.window_started_at
                ),
            },
        ).returning(
            login_throttle.c.bucket,
            login_throttle.c.failures,
            login_throttle.c.window_started_at,
            func.now().label("now"),
        )
    ).all()
    limits = {b.key: b.max_failures for b in buckets}
    over = [row for row in counted if row.failures > limits[row.bucket]]
    if over:
        wait = max(
            retry_after_seconds(row.window_started_at, row.now, int(window.total_seconds()))
            for row in over
        )
        raise Throttled(f"{too_many}; try again later.", wait)


def reset(session: Session, bucket: Bucket) -> None:
    """Forget the attempts of a bucket (after a successful login)."""
    session.execute(delete(login_throttle).where(login_throttle.c.bucket == bucket.key))


def prune(session: Session) -> int:
    """Delete counters whose window has ended (they no longer throttle anyone)."""
    window = timedelta(seconds=config.LOGIN_WINDOW_SECONDS.value)
    ended = delete(login_throttle).where(login_throttle.c.window_started_at < func.now() - window)
    return len(session.execute(ended.returning(login_throttle.c.bucket)).all())
