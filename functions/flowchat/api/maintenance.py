"""The scheduled outbox drain."""

from __future__ import annotations

import logging
import time

from firebase_functions import scheduler_fn

from flowchat.services import outbox, throttling
from flowchat.unit_of_work import unit_of_work

log = logging.getLogger(__name__)
TIME_BUDGET_SECONDS = 45


def drain_outbox(event: scheduler_fn.ScheduledEvent | None = None) -> int:
    """Apply pending projection rows until none are due or the time budget is spent; then
    prune applied rows past their retention and ended login counters."""
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    total = 0
    while time.monotonic() < deadline:
        applied = outbox.drain()
        total += applied
        if applied == 0:
            break
    with unit_of_work() as session:
        pruned = outbox.prune(session), throttling.prune(session)
    log.info(
        "outbox drain applied %d path(s); %d row(s) pending; pruned %d outbox, %d throttle row(s)",
        total,
        outbox.pending_count(),
        *pruned,
    )
    return total
