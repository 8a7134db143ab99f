"""Login in two steps around the password check, so that the attempt is counted first.

begin() counts the attempt (and refuses it when over the limit) in a transaction the
caller commits *before* the password is checked; finish() records the outcome in a second
one. Parallel guesses therefore cannot all pass the check before any failure is counted,
and no row lock is held during the (deliberately slow) argon2id verification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from flowchat.adapters.tables import users
from flowchat.errors import Forbidden
from flowchat.services import accounts, audit, login_devices, passwords, throttling
from flowchat.services.accounts import SignedIn


@dataclass(frozen=True, slots=True)
class Attempt:
    """A counted login attempt, waiting for its password check."""

    uid: str | None
    username: str | None
    password_hash: str | None
    disabled: bool
    bucket: throttling.Bucket  # the bucket a success resets
    device_token: str | None  # the trusted-device token presented, if valid


def begin(
    session: Session, identifier: str, device_token: str | None, client_address: str | None
) -> Attempt:
    """Find the account and count the attempt; Throttled when over the limit."""
    row = _find_by_identifier(session, identifier.strip())  # forms add stray spaces
    uid = row.id if row else None
    device = login_devices.device_id(session, device_token, uid)
    # Known accounts count by uid, so username and email share one budget.
    buckets = throttling.buckets_for(uid or identifier.strip(), client_address, device)
    throttling.claim_attempt(session, buckets)
    return Attempt(
        uid=uid,
        username=row.username if row else None,
        password_hash=row.password_hash if row else None,
        disabled=bool(row and row.disabled),
        bucket=buckets[0],
        device_token=device_token if device else None,
    )


def password_matches(attempt: Attempt, password: str) -> bool:
    """Verify even for unknown accounts (against a dummy hash): same time either way."""
    return passwords.verify(attempt.password_hash, password)


def finish(
    session: Session,
    attempt: Attempt,
    password: str,
    matched: bool,
    client_address: str | None,
) -> SignedIn | None:
    """A token (and device token) for good credentials; None for bad ones, audited."""
    if attempt.uid is None or attempt.username is None or not matched:
        audit.record(session, "login_failed", attempt.uid, client_address=client_address)
        return None
    if attempt.disabled:
        raise Forbidden("this account is disabled")
    throttling.reset(session, attempt.bucket)
    if attempt.password_hash and passwords.needs_rehash(attempt.password_hash):
        new_hash = passwords.hash_password(password)
        session.execute(
            update(users).where(users.c.id == attempt.uid).values(password_hash=new_hash)
        )
    audit.record(session, "login", attempt.uid, client_address=client_address)
    return accounts.mint(
        session, attempt.uid, attempt.username, client_address, attempt.device_token
    )


def _find_by_identifier(session: Session, identifier: str) -> Any:
    """The account named by username, or by email when the name holds '@' (or None)."""
    column = users.c.email if "@" in identifier else users.c.username
    return session.execute(
        select(users.c.id, users.c.username, users.c.password_hash, users.c.disabled).where(
            func.lower(column) == identifier.lower()
        )
    ).one_or_none()
