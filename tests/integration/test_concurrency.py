"""Simultaneous calls: one direct room per pair, one membership per user."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, text

PARALLEL = 20


def _count(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def test_twenty_simultaneous_direct_rooms_make_one(committed, engine, firestore) -> None:
    alice, bob = committed.user("alice"), committed.user("bob")

    def open_room(i: int):
        caller, peer = (alice, bob) if i % 2 else (bob, alice)
        return committed.call(
            "create_room", {"kind": "direct", "memberIds": [peer["uid"]]}, uid=caller["uid"]
        )

    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(open_room, range(PARALLEL)))
    assert all(r.ok for r in results), [r.body for r in results if not r.ok]
    room_ids = {r.result["roomId"] for r in results}
    assert len(room_ids) == 1
    assert sum(r.result["created"] for r in results) == 1
    room_id = room_ids.pop()
    key = ":".join(sorted((alice["uid"], bob["uid"])))
    assert _count(engine, "SELECT count(*) FROM rooms WHERE direct_key = :k", k=key) == 1
    assert _count(engine, "SELECT count(*) FROM room_members WHERE room_id = :r", r=room_id) == 2
    assert (
        _count(
            engine,
            "SELECT count(*) FROM audit_log WHERE room_id = :r AND action = 'room_created'",
            r=room_id,
        )
        == 1
    )
    assert firestore.document(f"rooms/{room_id}").get().get("memberCount") == 2


def test_twenty_simultaneous_adds_make_one_membership(committed, engine, firestore) -> None:
    owner, newcomer = committed.user("owner"), committed.user("new")
    room_id = committed.call(
        "create_room", {"kind": "group", "name": "Race", "memberIds": []}, uid=owner["uid"]
    ).result["roomId"]

    def add(_: int):
        return committed.call(
            "add_members", {"roomId": room_id, "memberIds": [newcomer["uid"]]}, uid=owner["uid"]
        )

    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(add, range(PARALLEL)))
    assert all(r.ok for r in results), [r.body for r in results if not r.ok]
    assert sorted(len(r.result["added"]) for r in results) == [0] * (PARALLEL - 1) + [1]
    assert (
        _count(
            engine,
            "SELECT count(*) FROM room_members WHERE room_id = :r AND user_id = :u",
            r=room_id,
            u=newcomer["uid"],
        )
        == 1
    )
    assert _count(engine, "SELECT member_count FROM rooms WHERE id = :r", r=room_id) == 2
    assert (
        _count(
            engine,
            "SELECT count(*) FROM audit_log WHERE room_id = :r AND action = 'member_added'",
            r=room_id,
        )
        == 1
    )
    assert firestore.document(f"rooms/{room_id}").get().get("memberCount") == 2
    assert firestore.document(f"users/{newcomer['uid']}/rooms/{room_id}").get().exists


def test_simultaneous_registrations_of_one_name_make_one_account(committed, engine) -> None:
    name = f"race_{uuid.uuid4().hex[:10]}"

    def register(i: int):
        variant = name.upper() if i % 2 else name
        data = {"username": variant, "password": "correct horse 1", "displayName": "Racer"}
        return committed.call("register", data)

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(register, range(10)))
    committed.uids += [r.result["uid"] for r in results if r.ok]
    assert sum(r.ok for r in results) == 1
    assert {r.status for r in results if not r.ok} == {"ALREADY_EXISTS"}
    sql = "SELECT count(*) FROM users WHERE lower(username) = :n"
    assert _count(engine, sql, n=name) == 1
