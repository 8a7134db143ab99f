"""A new message: push notifications to the members who are offline (services/push.py).

Three short steps, so that no transaction waits on the network: read the candidates
(members who want this message, have a device and were not pushed about the room within
the interval); ask the RTDB which of them are online; then claim the event and the
members' intervals together (a redelivered event sends nothing twice). FCM is called
after that commit, and the tokens it reports dead are pruned in a last small transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from flowchat.adapters import fcm, rtdb_presence
from flowchat.services import devices, processed_events, push
from flowchat.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

HANDLER = "message_push"


@dataclass
class FanOut:
    """What one message's fan-out did (for tests, logs and the bench)."""

    recipients: list[str] = field(default_factory=list)
    throttled: list[str] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    pruned: int = 0


def fan_out(
    event_id: str, room_id: str, message_id: str, author_id: str, doc: dict[str, Any]
) -> FanOut:
    """Notify the offline members about a new message (once per event id)."""
    with unit_of_work() as session:
        candidates = push.load_candidates(session, room_id, author_id)
        targets = push.wanted(candidates, push.mentioned_ids(doc, candidates))
        with_devices = set(devices.tokens_of(session, targets))
        recent = push.recently_pushed(session, room_id, targets)
    eligible = [u for u in targets if u in with_devices and u not in recent]
    online = rtdb_presence.online_users(eligible)  # presence is read for these only
    result = FanOut(
        recipients=[u for u in eligible if u not in online],
        throttled=[u for u in targets if u in with_devices and u in recent],
    )
    with unit_of_work() as session:
        if not processed_events.claim(session, event_id, HANDLER):
            return FanOut()
        tokens = devices.tokens_of(session, result.recipients)
        allowed = push.claim_interval(session, room_id, list(tokens))
        result.throttled += [u for u in tokens if u not in allowed]
        pushes = push.pushes_for(session, room_id, message_id, author_id, doc, tokens, allowed)
    outcomes = fcm.send(pushes) if pushes else {}
    dead = [t for t, o in outcomes.items() if o == "dead"]
    result.sent = sum(o == "sent" for o in outcomes.values())
    result.failed = sum(o == "failed" for o in outcomes.values())
    if dead:
        with unit_of_work() as session:
            result.pruned = devices.prune(session, dead)
    if result.failed:
        log.warning("message %s/%s: %d pushes failed", room_id, message_id, result.failed)
    return result
