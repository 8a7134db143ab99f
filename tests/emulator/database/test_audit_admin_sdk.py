"""Acceptance probes through firebase_admin.db, unchanged, as its documentation uses it
(https://firebase.google.com/docs/database/admin/save-data, .../retrieve-data)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator

import firebase_admin
import pytest
from firebase_admin import db

from emulator.database.server import DatabaseEmulator
from tests.emulator.database.test_admin_sdk import _app


@pytest.fixture
def app(rtdb: DatabaseEmulator, ns: str) -> Iterator[firebase_admin.App]:
    app = _app(rtdb, ns)
    yield app
    firebase_admin.delete_app(app)


def test_get_if_changed_returns_the_new_etag(app: firebase_admin.App) -> None:
    item = db.reference("item", app=app)
    item.set("a")
    _, old = item.get(etag=True)
    item.set("b")
    changed, value, new = item.get_if_changed(old)
    assert (changed, value) == (True, "b")
    assert new == item.get(etag=True)[1] != old
    assert item.get_if_changed(new) == (False, None, None)


def test_set_if_unchanged_returns_the_new_etag(app: firebase_admin.App) -> None:
    item = db.reference("item", app=app)
    _, tag = item.get(etag=True)
    ok, value, new = item.set_if_unchanged(tag, {"v": 1})
    assert (ok, value) == (True, {"v": 1})
    assert new == item.get(etag=True)[1]
    ok, current, current_tag = item.set_if_unchanged(tag, {"v": 2})
    assert (ok, current, current_tag) == (False, {"v": 1}, new)
    # The returned ETag is usable for the next conditional write.
    assert item.set_if_unchanged(new, {"v": 3})[0] is True


def test_order_by_child_over_mixed_types_in_firebase_order(app: firebase_admin.App) -> None:
    scores = db.reference("scores", app=app)
    scores.set(
        {
            "obj": {"s": {"x": 1}},
            "str": {"s": "a"},
            "n2": {"s": 2.5},
            "n1": {"s": 1},
            "t": {"s": True},
            "f": {"s": False},
            "none": {"other": 1},
        }
    )
    result = scores.order_by_child("s").get()
    assert isinstance(result, OrderedDict)
    assert list(result) == ["none", "f", "t", "n1", "n2", "str", "obj"]
    window = scores.order_by_child("s").start_at(1).limit_to_first(2).get()
    assert list(window) == ["n1", "n2"]
    assert list(scores.order_by_child("s").limit_to_last(2).get()) == ["str", "obj"]
    assert list(scores.order_by_child("s").equal_to(True).get()) == ["t"]


def test_whole_numbers_come_back_as_ints(app: firebase_admin.App) -> None:
    number = db.reference("n", app=app)
    number.set(3.0)
    assert repr(number.get()) == "3"
    number.set(2.5)
    assert number.get() == 2.5


def test_transactions_from_threads_with_a_shared_parent(app: firebase_admin.App) -> None:
    # Two counters under one parent, each transaction replacing the whole parent.
    stats = db.reference("stats", app=app)

    def bump(name: str) -> None:
        for _ in range(5):
            stats.transaction(
                lambda cur, name=name: {**(cur or {}), name: (cur or {}).get(name, 0) + 1}
            )

    threads = [threading.Thread(target=bump, args=(name,)) for name in ("a", "b", "a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert stats.get() == {"a": 10, "b": 10}


def test_update_with_none_deletes_and_empty_parents_vanish(app: firebase_admin.App) -> None:
    root = db.reference("/", app=app)
    root.child("room").set({"typing": {"alice": True}, "name": "x"})
    root.update({"room/typing/alice": None})
    assert root.child("room").get() == {"name": "x"}
    assert root.child("room").get(shallow=True) == {"name": True}
