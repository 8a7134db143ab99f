"""Transactions and listeners under load, as a reviewer stresses them with the official
Python clients (sync, async, firebase_admin)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import firebase_admin
import pytest
from firebase_admin import firestore as admin_firestore
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from tests.support.firestore_clients import PROJECT, admin_client


def _in_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            work(k)
        except BaseException as error:  # collected and asserted on below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_contended_increments_lose_nothing(address: str, db: firestore.Client) -> None:
    db.document("counters/c").set({"n": 0})

    def work(_: int) -> None:
        client = admin_client(address)
        ref = client.document("counters/c")

        @firestore.transactional
        def increment(transaction: firestore.Transaction) -> None:
            current = ref.get(transaction=transaction).get("n")
            transaction.update(ref, {"n": current + 1})

        for _ in range(5):
            increment(client.transaction(max_attempts=50))

    assert _in_threads(8, work) == []
    assert db.document("counters/c").get().get("n") == 40


def test_transfers_locking_in_opposite_orders_keep_the_total(
    address: str, db: firestore.Client
) -> None:
    db.document("accounts/a").set({"n": 0})
    db.document("accounts/b").set({"n": 0})

    def work(k: int) -> None:
        client = admin_client(address)
        a, b = client.document("accounts/a"), client.document("accounts/b")

        @firestore.transactional
        def transfer(transaction: firestore.Transaction, source: object, target: object) -> None:
            from_n = source.get(transaction=transaction).get("n")  # type: ignore[attr-defined]
            to_n = target.get(transaction=transaction).get("n")  # type: ignore[attr-defined]
            transaction.update(source, {"n": from_n - 1})
            transaction.update(target, {"n": to_n + 1})

        for i in range(4):
            pair = (a, b) if (k + i) % 2 else (b, a)
            transfer(client.transaction(max_attempts=100), *pair)

    assert _in_threads(6, work) == []
    totals = [db.document(f"accounts/{x}").get().get("n") for x in "ab"]
    assert sum(totals) == 0


def test_a_write_outside_the_transaction_makes_it_retry(db: firestore.Client) -> None:
    ref = db.document("counters/outside")
    ref.set({"n": 0})
    attempts: list[int] = []

    @firestore.transactional
    def bump(transaction: firestore.Transaction) -> None:
        current = ref.get(transaction=transaction).get("n")
        attempts.append(current)
        if len(attempts) == 1:
            ref.set({"n": 100})  # a plain write lands between the read and the commit
        transaction.update(ref, {"n": current + 1})

    bump(db.transaction())
    assert attempts == [0, 100]
    assert ref.get().get("n") == 101


def test_read_only_transaction_reads(db: firestore.Client) -> None:
    db.document("ro/d").set({"v": 1})

    @firestore.transactional
    def read(transaction: firestore.Transaction) -> dict:
        return db.document("ro/d").get(transaction=transaction).to_dict()

    assert read(db.transaction(read_only=True)) == {"v": 1}


@pytest.fixture
def emulator_host(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Admin SDKs find the emulator through FIRESTORE_EMULATOR_HOST (restored after)."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", address)


@pytest.mark.usefixtures("emulator_host")
def test_async_client_writes_streams_counts_and_transacts() -> None:
    async def scenario() -> tuple:
        client = firestore.AsyncClient(project=PROJECT, credentials=AnonymousCredentials())
        ref = client.document("async/one")
        await ref.set({"x": 1})

        @firestore.async_transactional
        async def bump(transaction: firestore.AsyncTransaction) -> None:
            snapshot = await ref.get(transaction=transaction)
            transaction.update(ref, {"x": snapshot.get("x") + 1})

        await bump(client.transaction())
        ids = [s.id async for s in client.collection("async").stream()]
        count = (await client.collection("async").count().get())[0][0].value
        return (await ref.get()).to_dict(), ids, count

    assert asyncio.run(scenario()) == ({"x": 2}, ["one"], 1)


@pytest.mark.usefixtures("emulator_host")
def test_firebase_admin_firestore_client() -> None:
    class Anonymous(firebase_admin.credentials.Base):
        def get_credential(self) -> AnonymousCredentials:
            return AnonymousCredentials()

    app = firebase_admin.initialize_app(Anonymous(), {"projectId": PROJECT}, name="audit")
    try:
        client = admin_firestore.client(app)
        client.document("admin/doc").set({"y": 2})
        assert client.document("admin/doc").get().to_dict() == {"y": 2}
    finally:
        firebase_admin.delete_app(app)


def _wait(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_limit_listener_sees_documents_leave_the_window(db: firestore.Client) -> None:
    for i in range(5):
        db.document(f"window/d{i}").set({"n": i})
    states: list[list[str]] = []
    watch = (
        db.collection("window")
        .order_by("n")
        .limit(3)
        .on_snapshot(lambda docs, changes, read_time: states.append([d.id for d in docs]))
    )
    try:
        assert _wait(lambda: states[-1:] == [["d0", "d1", "d2"]])
        db.document("window/z").set({"n": -1})
        assert _wait(lambda: states[-1] == ["z", "d0", "d1"])
        db.document("window/d0").delete()
        assert _wait(lambda: states[-1] == ["z", "d1", "d2"])
        db.document("window/d1").update({"n": 10})
        assert _wait(lambda: states[-1] == ["z", "d2", "d3"])
    finally:
        watch.unsubscribe()


def test_fifty_listeners_at_once_then_unsubscribed(db: firestore.Client) -> None:
    seen = [0] * 50
    lock = threading.Lock()

    def listener(i: int) -> Callable[..., None]:
        def record(docs: list, changes: list, read_time: object) -> None:
            with lock:
                seen[i] = len(docs)

        return record

    watches = [
        db.document(f"many/{i % 5}").on_snapshot(listener(i))
        if i % 2
        else db.collection("many").on_snapshot(listener(i))
        for i in range(50)
    ]
    try:
        for i in range(5):
            db.document(f"many/{i}").set({"i": i})
        expected = [1 if i % 2 else 5 for i in range(50)]
        assert _wait(lambda: seen == expected), seen
    finally:
        for watch in watches:
            watch.unsubscribe()
    db.document("many/extra").set({"i": 9})
    time.sleep(0.3)
    assert seen == expected  # nothing arrives after unsubscribe
