"""Revocations first: access taken away in PostgreSQL leaves Firestore within a minute, even
after a crash between the commit and its projection, and ahead of any backlog of grants."""

from __future__ import annotations

import uuid
from typing import Any

from flowchat.adapters.projector import projecting_with
from flowchat.services import outbox
from sqlalchemy import Engine, text

from tests.rules.assertions import assert_allowed, assert_denied

# The drain runs every minute (functions/main.py); a revocation must never wait longer.
DRAIN_INTERVAL_SECONDS = 60


def _pending(engine: Engine, like: str) -> list[Any]:
    with engine.connect() as conn:
        query = text(
            "SELECT path, priority, attempts, extract(epoch FROM next_attempt_at - now()) AS wait "
            "FROM outbox WHERE done_at IS NULL AND path LIKE :p ORDER BY id"
        )
        return list(conn.execute(query, {"p": like}))


def _scheduler_tick(engine: Engine) -> None:
    """The next drain run: at most DRAIN_INTERVAL_SECONDS later, rows due by then are due."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE outbox SET next_attempt_at = now() WHERE done_at IS NULL "
                "AND next_attempt_at <= now() + make_interval(secs => :s)"
            ),
            {"s": DRAIN_INTERVAL_SECONDS},
        )


def test_a_removed_member_is_denied_by_the_next_drain_after_a_crash(
    committed, unreachable_projector, rest, engine, scheduled_drain
) -> None:
    owner, member = committed.user("own"), committed.user("mem")
    room_id = committed.call(
        "create_room",
        {"kind": "group", "name": "Crash", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    assert_allowed(rest.get(f"rooms/{room_id}", member["uid"]))

    with projecting_with(unreachable_projector):
        removed = committed.call(
            "remove_member", {"roomId": room_id, "userId": member["uid"]}, uid=owner["uid"]
        )
    assert removed.ok  # committed in PostgreSQL
    assert_allowed(rest.get(f"rooms/{room_id}", member["uid"]))  # the stale grant remains

    revocations = [p for p in _pending(engine, f"%{member['uid']}%") if p.priority == 0]
    assert {p.path for p in revocations} >= {f"rooms/{room_id}/members/{member['uid']}"}
    assert all(p.wait <= DRAIN_INTERVAL_SECONDS for p in revocations)

    _scheduler_tick(engine)
    assert scheduled_drain() == 200
    assert_denied(rest.get(f"rooms/{room_id}", member["uid"]))
    assert_denied(rest.query(f"rooms/{room_id}/messages", member["uid"]))
    assert _pending(engine, f"%{room_id}%") == []


def test_a_long_outage_never_backs_a_revocation_off_past_the_drain_interval(
    committed, unreachable_projector, rest, engine, scheduled_drain
) -> None:
    owner, member = committed.user("own"), committed.user("mem")
    room_id = committed.call(
        "create_room",
        {"kind": "group", "name": "Outage", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    with projecting_with(unreachable_projector):
        assert committed.call(
            "remove_member", {"roomId": room_id, "userId": member["uid"]}, uid=owner["uid"]
        ).ok
        # Hours of failed drains: the attempts grow, the backoff does not.
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE outbox SET attempts = 20, next_attempt_at = now() "
                    "WHERE done_at IS NULL AND path LIKE :p"
                ),
                {"p": f"%{room_id}%"},
            )
        assert scheduled_drain() == 200
    pending = _pending(engine, f"%{room_id}%")
    assert pending and all(p.attempts == 21 for p in pending)
    for p in pending:
        cap = outbox.MAX_REVOKE_BACKOFF_SECONDS if p.priority == 0 else outbox.MAX_BACKOFF_SECONDS
        assert p.wait <= cap + 1, p
    assert all(p.wait <= DRAIN_INTERVAL_SECONDS for p in pending if p.priority == 0)
    assert outbox.MAX_BACKOFF_SECONDS <= 600  # well below an hour in general

    _scheduler_tick(engine)  # Firestore is back by the next run
    assert scheduled_drain() == 200
    assert_denied(rest.get(f"rooms/{room_id}", member["uid"]))


def test_a_drain_applies_revocations_ahead_of_a_backlog_of_grants(
    committed, unreachable_projector, rest, engine
) -> None:
    owner, member = committed.user("own"), committed.user("mem")
    room_id = committed.call(
        "create_room",
        {"kind": "group", "name": "Backlog", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    tag = uuid.uuid4().hex
    backlog = [f"projector/{tag}-{i}" for i in range(30)]
    with engine.begin() as conn:  # older grants, queued before the removal
        conn.execute(
            text(
                "INSERT INTO outbox (target, path, op, payload) "
                "SELECT 'firestore', p, 'set', '{\"ok\": true}' FROM unnest(CAST(:ps AS text[])) p"
            ),
            {"ps": backlog},
        )
    try:
        with projecting_with(unreachable_projector):
            assert committed.call(
                "remove_member", {"roomId": room_id, "userId": member["uid"]}, uid=owner["uid"]
            ).ok
        _scheduler_tick(engine)
        # A round smaller than the backlog still takes the revocation first.
        outbox.drain(limit=5)
        assert_denied(rest.get(f"rooms/{room_id}", member["uid"]))
        assert len(_pending(engine, f"projector/{tag}-%")) >= len(backlog) - 5
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM outbox WHERE path LIKE :p"), {"p": f"projector/{tag}-%"})
