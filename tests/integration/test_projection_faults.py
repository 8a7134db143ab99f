"""The outbox: a Firestore outage after commit loses nothing and leaves no revoked access."""

from __future__ import annotations

import uuid
from typing import Any

from flowchat.adapters.projector import projecting_with
from sqlalchemy import Engine, text


def _pending(engine: Engine, room_id: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT path, op, attempts, last_error FROM outbox "
                    "WHERE done_at IS NULL AND path LIKE :p ORDER BY id"
                ),
                {"p": f"%{room_id}%"},
            )
        )


def _time_passes(engine: Engine) -> None:
    """Make every backed-off row due now, as if the backoff had elapsed."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET next_attempt_at = now() WHERE done_at IS NULL"))


def _mirrored(firestore: Any, room_id: str, uid: str) -> tuple[bool, bool]:
    return (
        firestore.document(f"rooms/{room_id}/members/{uid}").get().exists,
        firestore.document(f"users/{uid}/rooms/{room_id}").get().exists,
    )


def test_outage_then_drain_completes_the_projection(
    committed, unreachable_projector, firestore, engine, scheduled_drain
) -> None:
    owner, leaver, joiner, flicker = (committed.user(p) for p in ("own", "lea", "joi", "fli"))
    room_id = committed.call(
        "create_room",
        {"kind": "group", "name": "Outage", "memberIds": [leaver["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    assert _mirrored(firestore, room_id, leaver["uid"]) == (True, True)

    with projecting_with(unreachable_projector):
        # Each change commits in PostgreSQL although Firestore is unreachable.
        assert committed.call(
            "remove_member", {"roomId": room_id, "userId": leaver["uid"]}, uid=owner["uid"]
        ).ok
        assert committed.call(
            "add_members", {"roomId": room_id, "memberIds": [joiner["uid"]]}, uid=owner["uid"]
        ).ok
        assert committed.call(
            "add_members", {"roomId": room_id, "memberIds": [flicker["uid"]]}, uid=owner["uid"]
        ).ok
        assert committed.call(
            "remove_member", {"roomId": room_id, "userId": flicker["uid"]}, uid=owner["uid"]
        ).ok

    pending = _pending(engine, room_id)
    # Later applies retry the earlier rows of the same path, so some have several attempts.
    assert pending and all(p.attempts >= 1 and "refused" in p.last_error for p in pending)
    # Firestore still shows the pre-outage state: the revoked member is visible there.
    assert _mirrored(firestore, room_id, leaver["uid"]) == (True, True)
    assert _mirrored(firestore, room_id, joiner["uid"]) == (False, False)

    # A drain while Firestore is still down keeps everything pending and backs off.
    _time_passes(engine)
    with projecting_with(unreachable_projector):
        assert scheduled_drain() == 200
    after = _pending(engine, room_id)
    assert [p.attempts for p in after] == [p.attempts + 1 for p in pending]

    _time_passes(engine)
    assert scheduled_drain() == 200
    assert _pending(engine, room_id) == []
    assert _mirrored(firestore, room_id, leaver["uid"]) == (False, False)
    assert _mirrored(firestore, room_id, joiner["uid"]) == (True, True)
    assert _mirrored(firestore, room_id, flicker["uid"]) == (False, False)
    assert firestore.document(f"rooms/{room_id}").get().get("memberCount") == 2


def test_a_stale_pending_row_never_overwrites_a_newer_one(
    committed, unreachable_projector, firestore, engine, scheduled_drain
) -> None:
    owner, guest = committed.user("own"), committed.user("gue")
    room_id = committed.call(
        "create_room", {"kind": "group", "name": "Order", "memberIds": []}, uid=owner["uid"]
    ).result["roomId"]
    with projecting_with(unreachable_projector):
        assert committed.call(
            "add_members", {"roomId": room_id, "memberIds": [guest["uid"]]}, uid=owner["uid"]
        ).ok
    assert _mirrored(firestore, room_id, guest["uid"]) == (False, False)
    # Firestore is back: the removal's own apply takes the older pending "set" rows along.
    assert committed.call(
        "remove_member", {"roomId": room_id, "userId": guest["uid"]}, uid=owner["uid"]
    ).ok
    assert _pending(engine, room_id) == []
    _time_passes(engine)
    scheduled_drain()
    assert _mirrored(firestore, room_id, guest["uid"]) == (False, False)


def test_a_refused_write_holds_back_only_its_own_path(
    committed, firestore, engine, scheduled_drain
) -> None:
    tag = uuid.uuid4().hex
    good, bad = f"projector/{tag}-good", f"projector/{tag}-bad"
    insert = text(
        "INSERT INTO outbox (target, path, op, payload) VALUES "
        "('firestore', :good, 'set', '{\"ok\": true}'), "
        "('firestore', :bad, 'set', '{\"__reserved__\": 1}')"
    )
    with engine.begin() as conn:
        conn.execute(insert, {"good": good, "bad": bad})
    try:
        assert scheduled_drain() == 200
        assert firestore.document(good).get().to_dict() == {"ok": True}
        [refused] = _pending(engine, tag)
        assert refused.path == bad and "reserved" in refused.last_error
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("DELETE FROM outbox WHERE path IN (:good, :bad)"), {"good": good, "bad": bad}
            )
