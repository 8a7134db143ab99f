"""Pure outbox logic: newest write per path, timestamp codec."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from flowchat.adapters.projector import Op, Target, Write, decode_value, encode_value
from flowchat.services.outbox import newest_per_path


def _row(id_: int, path: str, op: str, payload=None, target: str = "firestore"):
    return SimpleNamespace(id=id_, target=target, path=path, op=op, payload=payload)


def test_later_rows_supersede_earlier_ones_per_path() -> None:
    rows = [
        _row(1, "rooms/r/members/u", "set", {"role": "member"}),
        _row(2, "users/u/rooms/r", "set", {"role": "member"}),
        _row(3, "rooms/r/members/u", "delete"),
        _row(4, "rooms/r/members/v", "set", {"role": "admin"}),
    ]
    assert newest_per_path(rows) == [
        Write(Target.FIRESTORE, "users/u/rooms/r", Op.SET, {"role": "member"}),
        Write(Target.FIRESTORE, "rooms/r/members/u", Op.DELETE, None),
        Write(Target.FIRESTORE, "rooms/r/members/v", Op.SET, {"role": "admin"}),
    ]


def test_same_path_on_two_targets_is_two_writes() -> None:
    rows = [
        _row(1, "roomMembers/r/u", "set", True, "rtdb"),
        _row(2, "roomMembers/r/u", "set", {"x": 1}),
    ]
    writes = newest_per_path(rows)
    assert len(writes) == 2
    # Rows read back as strings become the enums the projector matches on.
    assert [type(w.target) for w in writes] == [Target, Target]
    assert {w.target for w in writes} == {Target.RTDB, Target.FIRESTORE}
    assert [w.op for w in writes] == [Op.SET, Op.SET]


def test_timestamps_survive_the_json_round_trip() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    doc = {"joinedAt": when, "role": "owner", "nested": {"at": when}, "n": 3, "none": None}
    encoded = encode_value(doc)
    assert encoded["joinedAt"] == {"$timestamp": when.isoformat()}
    assert decode_value(encoded) == doc
