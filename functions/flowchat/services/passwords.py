"""argon2id password hashing with a constant-time answer for unknown accounts."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from flowchat import config


@functools.cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hasher() -> PasswordHasher:
    """The argon2id hasher for the configured cost."""
    return _hasher(config.ARGON2_TIME_COST.value, config.ARGON2_MEMORY_KIB.value)


@functools.cache
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return _hasher(time_cost, memory_kib).hash("flowchat-dummy-password")


def hash_password(password: str) -> str:
    """A fresh argon2id hash of the password."""
    return hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True if the password matches; unknown accounts (None) cost the same time and fail."""
    h = hasher()
    target = password_hash or _dummy_hash(h.time_cost, h.memory_cost)
    try:
        matched = h.verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash uses weaker parameters than configured now."""
    return hasher().check_needs_rehash(password_hash)
