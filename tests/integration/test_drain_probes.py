"""The scheduled drain: idempotent on an up-to-date projection, prunes what is no longer needed."""

from __future__ import annotations


def test_a_drain_after_success_changes_nothing(call, rows, firestore, scheduled_drain, new_user):
    owner, friend = new_user(), new_user()
    rid = call(
        "create_room",
        {"kind": "group", "name": "Calm", "memberIds": [friend["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    pending = rows("SELECT id FROM outbox WHERE done_at IS NULL AND path LIKE :p", p=f"%{rid}%")
    assert pending == []
    before = firestore.document(f"users/{friend['uid']}/rooms/{rid}").get()
    from flowchat.services import outbox

    done = [r.id for r in rows("SELECT id FROM outbox WHERE path LIKE :p", p=f"%{rid}%")]
    assert done and outbox.apply(done) is True  # re-applying committed rows is a no-op
    assert scheduled_drain() == 200
    after = firestore.document(f"users/{friend['uid']}/rooms/{rid}").get()
    assert after.to_dict() == before.to_dict() and after.update_time == before.update_time


def test_drain_prunes_old_applied_rows_and_ended_login_windows(rows, scheduled_drain, call) -> None:
    rows(
        "INSERT INTO outbox (target, path, op, payload, created_at, done_at) VALUES "
        "('firestore', 'probe/old', 'set', '{}', now() - interval '30 days', "
        " now() - interval '8 days'), "
        "('firestore', 'probe/recent', 'set', '{}', now(), now() - interval '1 day'), "
        "('firestore', 'probe/pending', 'set', '{}', now() - interval '30 days', NULL) "
        "RETURNING id"
    )
    rows(  # not due yet: the drain must neither apply nor prune it
        "UPDATE outbox SET next_attempt_at = now() + interval '1 hour' "
        "WHERE path = 'probe/pending' RETURNING id"
    )
    rows(
        "INSERT INTO login_throttle (bucket, failures, window_started_at) VALUES "
        "('account:probe-ended', 3, now() - interval '1 hour'), "
        "('account:probe-current', 3, now()) RETURNING bucket"
    )
    assert scheduled_drain() == 200
    left = {r.path for r in rows("SELECT path FROM outbox WHERE path LIKE 'probe/%'")}
    assert left == {"probe/recent", "probe/pending"}
    buckets = {
        r.bucket for r in rows("SELECT bucket FROM login_throttle WHERE bucket LIKE '%probe-%'")
    }
    assert buckets == {"account:probe-current"}
