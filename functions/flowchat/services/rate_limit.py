"""The message rate limit shared by firestore.rules and send_message: a sliding window.

A member's stamp ``rooms/{roomId}/rateLimits/{uid}`` holds one send time per slot; a send
takes a slot that is free (never used, or used at least a window ago). With ``BURST``
slots no window of ``WINDOW_SECONDS`` holds more than ``BURST`` sends: "ok" then
"thanks" passes, a steady 1 message a second passes, the sixth message of a burst waits.
firestore.rules states the same numbers (rateLimitSlots(), rateLimitWindowSeconds());
tests/unit/test_rate_limit_policy.py checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

BURST = 5
WINDOW_SECONDS = 5
SLOTS = tuple(f"slot{i}" for i in range(BURST))
WINDOW = timedelta(seconds=WINDOW_SECONDS)


@dataclass(frozen=True, slots=True)
class SlotChoice:
    """The slot a send may take, or how long until one is free."""

    slot: str | None
    retry_after: timedelta = timedelta(0)


def choose_slot(stamp: dict[str, Any] | None, now: datetime) -> SlotChoice:
    """The free slot used longest ago (an unused one first), judged at ``now``."""
    stamp = stamp or {}
    used: dict[str, datetime] = {
        slot: at for slot in SLOTS if isinstance(at := stamp.get(slot), datetime)
    }
    unused = [slot for slot in SLOTS if slot not in used]
    if unused:
        return SlotChoice(unused[0])
    oldest = min(SLOTS, key=lambda slot: used[slot])
    free_at = used[oldest] + WINDOW
    if now >= free_at:
        return SlotChoice(oldest)
    return SlotChoice(None, free_at - now)
