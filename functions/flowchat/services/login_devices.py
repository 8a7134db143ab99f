"""Trusted login devices: an opaque token per device that logged in successfully.

OWASP's "device cookies": a login presenting a valid token of the account is throttled per
device, not with the account-wide budget of unknown clients, so someone guessing from
elsewhere cannot lock the owner out of their own devices. Only the token's SHA-256 is
stored; the token itself is as strong as a session secret (256 random bits).
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func, insert, update
from sqlalchemy.orm import Session

from flowchat import config
from flowchat.adapters.tables import login_devices

MAX_TOKEN = 128


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def issue(session: Session, uid: str) -> str:
    """A new device token for uid."""
    token = secrets.token_urlsafe(32)
    session.execute(insert(login_devices).values(token_hash=_digest(token), user_id=uid))
    return token


def device_id(session: Session, token: str | None, uid: str | None) -> str | None:
    """The throttle id of a valid, unexpired token of uid (and mark it used); else None."""
    if not token or uid is None or len(token) > MAX_TOKEN:
        return None
    max_age = func.make_interval(0, 0, 0, config.LOGIN_DEVICE_DAYS.value)
    found = session.execute(
        update(login_devices)
        .where(
            login_devices.c.token_hash == _digest(token),
            login_devices.c.user_id == uid,
            login_devices.c.created_at > func.now() - max_age,
        )
        .values(last_used_at=func.now())
        .returning(login_devices.c.token_hash)
    ).scalar()
    return found.hex()[:32] if found is not None else None
