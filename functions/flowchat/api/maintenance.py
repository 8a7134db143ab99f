"""The scheduled outbox drain."""

from __future__ import annotations

import logging
import time

from firebase_functions import scheduler_fn

from flowchat.services import outbox

log = logging.getLogger(__name__)
TIME_BUDGET_SECONDS = 45


def drain_outbox(event: scheduler_fn.ScheduledEvent | None = None) -> int:
    """Apply pending projection rows until none are due or the time budget is spent."""
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    total = 0
    while time.monotonic() < deadline:
        applied = outbox.drain()
        total += applied
        if applied == 0:
            break
    log.info("outbox drain applied %d path(s); %d row(s) pending", total, outbox.pending_count())
    return total
