"""Push ids in Firebase's format: 8 characters of time, 12 random, ordered within a millisecond."""

from __future__ import annotations

import secrets
import time

_ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


class PushIdGenerator:
    """Generates lexicographically time-ordered, unique push ids."""

    def __init__(self) -> None:
        self._last_ms = -1
        self._last_random: list[int] = []

    def next_id(self, now_ms: int | None = None) -> str:
        """A new push id for the given (or current) time in milliseconds."""
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        if now_ms == self._last_ms:
            self._increment_random()
        else:
            self._last_ms = now_ms
            self._last_random = [secrets.randbelow(64) for _ in range(12)]
        stamp = []
        remaining = now_ms
        for _ in range(8):
            stamp.append(_ALPHABET[remaining % 64])
            remaining //= 64
        return "".join(reversed(stamp)) + "".join(_ALPHABET[i] for i in self._last_random)

    def _increment_random(self) -> None:
        # Same millisecond: add one to the random part so ids stay strictly increasing.
        for position in range(11, -1, -1):
            if self._last_random[position] < 63:
                self._last_random[position] += 1
                return
            self._last_random[position] = 0
