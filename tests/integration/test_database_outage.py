"""PostgreSQL out of reach: callers get UNAVAILABLE with a retry hint, never INTERNAL, and a
create_room retried with its requestId after a lost answer returns the same room."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flowchat.adapters import db
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from scripts.dev.ports import free_port


@pytest.fixture
def dead_database() -> Iterator[None]:
    """Every unit of work connects to a port where no PostgreSQL listens."""
    dead = create_engine(
        f"postgresql+pg8000://postgres@127.0.0.1:{free_port()}/postgres", pool_pre_ping=True
    )
    with db.sessions_bound_to(sessionmaker(bind=dead, expire_on_commit=False)):
        yield
    dead.dispose()


CALLS: list[tuple[str, dict[str, Any], bool]] = [
    ("login", {"usernameOrEmail": "someone", "password": "whatever pass"}, False),
    ("register", {"username": "nobody_x", "password": "a fine pass 1", "displayName": "N"}, False),
    ("create_room", {"kind": "group", "name": "Team", "memberIds": []}, True),
    ("check_membership", {"roomId": str(uuid.uuid4())}, True),
    ("list_my_rooms", {}, True),
    ("search_users", {"query": "ali"}, True),
]


@pytest.mark.parametrize(("name", "data", "signed_in"), CALLS, ids=[c[0] for c in CALLS])
def test_a_dead_database_answers_unavailable_with_a_retry_hint(
    call, dead_database, name, data, signed_in
) -> None:
    out = call(name, data, uid=str(uuid.uuid4()) if signed_in else None)
    assert out.http_status == 503
    assert out.status == "UNAVAILABLE"
    assert out.details == {"retryAfterSeconds": 5}
    assert "retry" in out.body["error"]["message"]


class _AnswerLostAfterCommit:
    """Sessions whose first COMMIT reaches the server but whose answer is then lost."""

    def __init__(self, engine: Engine) -> None:
        self.factory = sessionmaker(bind=engine, expire_on_commit=False)
        self.armed = True
        event.listen(self.factory, "after_commit", self._lose_answer)

    def _lose_answer(self, session: Session) -> None:
        if self.armed:
            self.armed = False
            raise OperationalError("COMMIT", {}, ConnectionResetError("network error"))


def _rooms_created_by(engine: Engine, uid: str) -> list[str]:
    with engine.connect() as conn:
        query = text("SELECT id FROM rooms WHERE created_by = :u ORDER BY created_at")
        return [str(r) for r in conn.execute(query, {"u": uid}).scalars()]


def test_create_room_retried_after_a_lost_answer_returns_the_same_room(
    committed, engine, firestore, scheduled_drain
) -> None:
    owner, friend = committed.user("own"), committed.user("fri")
    data = {
        "kind": "group",
        "name": "Launch",
        "memberIds": [friend["uid"]],
        "requestId": f"req-{uuid.uuid4().hex}",
    }
    lossy = _AnswerLostAfterCommit(engine)
    with db.sessions_bound_to(lossy.factory):
        first = committed.call("create_room", data, uid=owner["uid"])
    assert first.status == "UNAVAILABLE"  # the commit went through; the caller cannot know
    [room_id] = _rooms_created_by(engine, owner["uid"])

    retry = committed.call("create_room", data, uid=owner["uid"])
    assert retry.result == {"roomId": room_id, "created": False}
    again = committed.call("create_room", data, uid=owner["uid"])
    assert again.result == {"roomId": room_id, "created": False}
    assert _rooms_created_by(engine, owner["uid"]) == [room_id]
    # The first call's projection rows committed with it; the scheduled drain applies them.
    assert scheduled_drain() == 200
    assert firestore.document(f"rooms/{room_id}/members/{friend['uid']}").get().exists


def test_a_request_id_is_per_creator_and_names_one_room(call, new_user) -> None:
    alice, bob = new_user(prefix="ali"), new_user(prefix="bob")
    request_id = "same-id-for-both"
    group = {"kind": "group", "name": "One", "memberIds": [], "requestId": request_id}
    mine = call("create_room", group, uid=alice["uid"]).result
    theirs = call("create_room", group, uid=bob["uid"]).result
    assert mine["created"] and theirs["created"] and mine["roomId"] != theirs["roomId"]
    other = call("create_room", {**group, "name": "Two"}, uid=alice["uid"])
    assert other.status == "ALREADY_EXISTS"


@pytest.mark.parametrize("request_id", ["short", "has space 123", "x" * 129, 42, ""])
def test_a_malformed_request_id_is_invalid(call, counts, new_user, request_id) -> None:
    owner = new_user()
    before = counts()
    data = {"kind": "group", "name": "T", "memberIds": [], "requestId": request_id}
    assert call("create_room", data, uid=owner["uid"]).status == "INVALID_ARGUMENT"
    assert counts() == before
