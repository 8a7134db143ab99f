"""Re-checking the signed-in user's password before a sensitive change, and changing it.

A stolen ID token must not become a password oracle: wrong passwords count in the same
per-account throttle as failed logins.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from flowchat.adapters.tables import users
from flowchat.services import accounts, audit, passwords, throttling


def password_matches(session: Session, uid: str, password: str) -> bool:
    """True if password is the caller's; a miss is recorded (commit it, then refuse)."""
    accounts.require_active_user(session, uid)
    buckets = throttling.buckets_for(uid, None)
    throttling.claim_attempt(session, buckets)  # counted atomically before the check
    stored = session.execute(select(users.c.password_hash).where(users.c.id == uid)).scalar()
    if passwords.verify(stored, password):
        throttling.reset(session, buckets[0])  # as a successful login does
        return True
    audit.record(session, "password_check_failed", uid)
    return False


def change_password(session: Session, uid: str, new_password: str) -> None:
    """Store a new password hash (the current one was checked by password_matches)."""
    row = session.execute(select(users.c.username, users.c.email).where(users.c.id == uid)).one()
    accounts.validate_password(new_password, row.username, row.email)
    session.execute(
        update(users)
        .where(users.c.id == uid)
        .values(password_hash=passwords.hash_password(new_password), updated_at=func.now())
    )
    audit.record(session, "password_changed", uid)
