"""Accounts: registration, login, public profiles."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from flowchat.adapters import tokens
from flowchat.adapters.tables import users
from flowchat.errors import AlreadyExists, Forbidden, InvalidInput
from flowchat.services import audit, file_urls, login_devices, names, passwords, projection

# Matched with fullmatch: "$" would also accept a trailing newline.
USERNAME = re.compile(r"[A-Za-z0-9_.]{3,32}")
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
MIN_PASSWORD, MAX_PASSWORD = 8, 256
# The most common passwords of at least 8 characters (NIST 800-63B: refuse known-bad ones).
COMMON_PASSWORDS = frozenset(
    {
        "password", "password1", "password123", "12345678", "123456789", "1234567890",
        "qwertyuiop", "qwerty123", "iloveyou", "sunshine", "princess", "football",
        "baseball", "welcome1", "abc12345", "abcdefgh", "11111111", "00000000",
        "letmein1", "trustno1", "passw0rd", "starwars", "superman", "1q2w3e4r",
    }
)  # fmt: skip
MAX_DISPLAY_NAME = 64
MAX_AVATAR_URL = 1024


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A user id and the custom token the client signs in with."""

    uid: str
    custom_token: str
    device_token: str  # present it at the next login: see services/login_devices.py


@dataclass(frozen=True, slots=True)
class PublicProfile:
    """What other users see of an account (avatar_thumb_url derived from avatar_url)."""

    username: str
    display_name: str
    avatar_url: str | None
    avatar_thumb_url: str | None


def validate_new_account(
    username: str, password: str, display_name: str, email: str | None
) -> None:
    """Raise InvalidInput for a malformed username, password, display name or email."""
    if not USERNAME.fullmatch(username):
        raise InvalidInput("username must be 3-32 letters, digits, '_' or '.'")
    validate_password(password, username, email)
    validate_display_name(display_name)
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        raise InvalidInput("email is not a valid address")


def validate_password(password: str, username: str, email: str | None) -> None:
    """Raise InvalidInput for a password of the wrong length or one too easy to guess."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"password must be {MIN_PASSWORD}-{MAX_PASSWORD} characters")
    lowered = password.lower()
    holds_name = len(username) >= 4 and username.lower() in lowered
    if (
        lowered in COMMON_PASSWORDS
        or len(set(password)) == 1
        or holds_name
        or lowered == (email or "").lower()
    ):
        raise InvalidInput("password is too easy to guess (common, repeated or your name)")


def validate_display_name(display_name: str) -> str:
    """The display name as stored (NFKC, trimmed); InvalidInput unless 1-64 characters,
    some visible, none a control or bidirectional control character (see names.py)."""
    return names.clean_name(display_name, "displayName", MAX_DISPLAY_NAME)


def has_control_characters(value: str) -> bool:
    """True if the text holds a control character (newline, tab, NUL...)."""
    return any(unicodedata.category(c) == "Cc" for c in value)


def register(
    session: Session,
    username: str,
    password: str,
    display_name: str,
    email: str | None,
    client_address: str | None,
) -> SignedIn:
    """Create an account, project its public profile and mint its first custom token."""
    validate_new_account(username, password, display_name, email)
    display_name = validate_display_name(display_name)
    _ensure_free(session, username, email)
    try:
        with session.begin_nested():
            uid = session.execute(
                insert(users)
                .values(
                    username=username,
                    username_skeleton=names.skeleton(username),
                    email=email,
                    password_hash=passwords.hash_password(password),
                    display_name=display_name,
                )
                .returning(users.c.id)
            ).scalar_one()
    except IntegrityError as exc:  # a concurrent registration took the name first
        raise AlreadyExists("username or email is already taken") from exc
    projection.profile(session, uid)
    audit.record(session, "register", uid, client_address=client_address)
    return mint(session, uid, username, client_address)


def update_profile(
    session: Session, uid: str, display_name: str | None, avatar_url: str | None
) -> PublicProfile:
    """Change the display name and/or avatar URL; returns the public profile."""
    require_active_user(session, uid)
    changes: dict[str, str | None] = {}
    if display_name is not None:
        changes["display_name"] = validate_display_name(display_name)
    if avatar_url is not None:
        changes["avatar_url"] = _checked_avatar_url(uid, avatar_url)
    if not changes:
        raise InvalidInput("nothing to update: give displayName and/or avatarUrl")
    current = session.execute(
        select(users.c.username, users.c.display_name, users.c.avatar_url).where(users.c.id == uid)
    ).one()
    changed = sorted(k for k, v in changes.items() if getattr(current, k) != v)
    if not changed:  # same values again: no audit row, no projection
        return _public_profile(current)
    row = session.execute(
        update(users)
        .where(users.c.id == uid)
        .values(**changes, updated_at=func.now())
        .returning(users.c.username, users.c.display_name, users.c.avatar_url)
    ).one()
    projection.profile(session, uid)
    audit.record(session, "profile_updated", uid, fields=changed)
    return _public_profile(row)


def _public_profile(row: Row[Any, Any, Any]) -> PublicProfile:
    thumb = file_urls.avatar_thumbnail(row.avatar_url)
    return PublicProfile(row.username, row.display_name, row.avatar_url, thumb)


def require_active_user(session: Session, uid: str) -> None:
    """Raise Forbidden unless the caller has an active account (ID tokens outlive disabling)."""
    refuse_inactive(session.execute(select(users.c.disabled).where(users.c.id == uid)).scalar())


def refuse_inactive(disabled: bool | None) -> None:
    """Forbidden for a caller without an account (None) or with a disabled one."""
    if disabled is None:
        raise Forbidden("no FlowChat account for this sign-in")
    if disabled:
        raise Forbidden("this account is disabled")


def _checked_avatar_url(uid: str, url: str) -> str | None:
    if url == "":
        return None
    if len(url) > MAX_AVATAR_URL or not file_urls.is_avatar_url(url, uid):
        raise InvalidInput(
            "avatarUrl must be an https image URL of your avatar folder of the app's Cloudinary "
            f"cloud (res.cloudinary.com/{file_urls.cloud_name()}/image/upload/v.../"
            f"flowchat/avatars/{uid}/<file>), without '.' or '..' segments"
        )
    return url


def _ensure_free(session: Session, username: str, email: str | None) -> None:
    taken = select(users.c.id).where(
        (func.lower(users.c.username) == username.lower())
        | (users.c.username_skeleton == names.skeleton(username))
    )
    if session.execute(taken).first():
        raise AlreadyExists("username is already taken (or one that looks the same)")
    if email is not None:
        taken = select(users.c.id).where(func.lower(users.c.email) == email.lower())
        if session.execute(taken).first():
            raise AlreadyExists("email is already registered")


def mint(
    session: Session,
    uid: str,
    username: str,
    client_address: str | None,
    device_token: str | None = None,
) -> SignedIn:
    """A custom token for uid, audited; with a trusted-device token (a new one if None)."""
    token = tokens.custom_token(uid, {"username": username})
    audit.record(session, "token_minted", uid, client_address=client_address)
    device = device_token or login_devices.issue(session, uid)
    return SignedIn(uid=uid, custom_token=token, device_token=device)
