"""Transactions through the official client: contention, retries, rollback, read-only."""

from __future__ import annotations

import threading
import time

import pytest
from google.api_core import exceptions
from google.cloud import firestore

from tests.support.firestore_clients import ROOT, gapic_client

DATABASE = ROOT.removesuffix("/documents")
OWNER = [("authorization", "Bearer owner")]


def _increment(db: firestore.Client, path: str) -> None:
    @firestore.transactional
    def run(transaction: firestore.Transaction) -> None:
        snapshot = db.document(path).get(transaction=transaction)
        count = snapshot.get("n") if snapshot.exists else 0
        transaction.set(db.document(path), {"n": count + 1})

    run(db.transaction())  # the client's default of 5 attempts


def test_concurrent_increments_all_count(db: firestore.Client) -> None:
    threads = [threading.Thread(target=_increment, args=(db, "c/counter")) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert db.document("c/counter").get().get("n") == 10


def test_opposite_lock_orders_do_not_deadlock(db: firestore.Client) -> None:
    db.document("c/a").set({"n": 0})
    db.document("c/b").set({"n": 0})

    def move(first: str, second: str) -> None:
        @firestore.transactional
        def run(transaction: firestore.Transaction) -> None:
            one = db.document(first).get(transaction=transaction)
            two = db.document(second).get(transaction=transaction)
            transaction.update(one.reference, {"n": one.get("n") + 1})
            transaction.update(two.reference, {"n": two.get("n") + 1})

        for _ in range(3):
            run(db.transaction())

    threads = [
        threading.Thread(target=move, args=pair) for pair in [("c/a", "c/b"), ("c/b", "c/a")] * 2
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert db.document("c/a").get().get("n") == 12
    assert db.document("c/b").get().get("n") == 12


def test_write_outside_the_transaction_aborts_it_and_the_client_retries(
    db: firestore.Client,
) -> None:
    db.document("c/a").set({"n": 0})
    attempts: list[int] = []

    @firestore.transactional
    def run(transaction: firestore.Transaction) -> None:
        snapshot = db.document("c/a").get(transaction=transaction)
        attempts.append(snapshot.get("n"))
        if len(attempts) == 1:
            db.document("c/a").set({"n": 100})  # a plain write behind the transaction's back
        transaction.update(db.document("c/a"), {"n": snapshot.get("n") + 1})

    run(db.transaction())
    assert attempts == [0, 100]
    assert db.document("c/a").get().get("n") == 101


def test_commit_of_a_stale_read_is_aborted(db: firestore.Client, address: str) -> None:
    db.document("c/a").set({"n": 0})
    api = gapic_client(address)
    transaction = _begin(api)
    list(
        api.batch_get_documents(
            request={
                "database": DATABASE,
                "documents": [f"{ROOT}/c/a"],
                "transaction": transaction,
            },
            metadata=OWNER,
        )
    )
    db.document("c/a").set({"n": 5})
    commit = {"database": DATABASE, "writes": [_set_n(1)], "transaction": transaction}
    with pytest.raises(exceptions.Aborted):
        api.commit(request=commit, metadata=OWNER)
    assert db.document("c/a").get().get("n") == 5
    with pytest.raises(exceptions.InvalidArgument):  # a failed commit ends the transaction
        api.commit(request=commit, metadata=OWNER)


def _begin(api: object, **options: object) -> bytes:
    request = {"database": DATABASE, "options": options}
    return api.begin_transaction(request=request, metadata=OWNER).transaction


def _set_n(value: int) -> dict:
    return {"update": {"name": f"{ROOT}/c/a", "fields": {"n": {"integer_value": value}}}}


def test_exception_rolls_back(db: firestore.Client) -> None:
    @firestore.transactional
    def run(transaction: firestore.Transaction) -> None:
        transaction.set(db.document("c/a"), {"n": 1})
        raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        run(db.transaction())
    assert not db.document("c/a").get().exists
    # the lock is gone: a new transaction on the same document goes through at once
    _increment(db, "c/a")
    assert db.document("c/a").get().get("n") == 1


def test_transaction_reads_queries(db: firestore.Client) -> None:
    db.document("c/a").set({"n": 1})
    db.document("c/b").set({"n": 2})

    @firestore.transactional
    def run(transaction: firestore.Transaction) -> int:
        total = sum(s.get("n") for s in transaction.get(db.collection("c").order_by("n")))
        transaction.set(db.document("totals/t"), {"sum": total})
        return total

    assert run(db.transaction()) == 3
    assert db.document("totals/t").get().get("sum") == 3


def test_read_only_transaction_reads_but_cannot_write(
    db: firestore.Client,
    address: str,
) -> None:
    db.document("c/a").set({"n": 1})

    @firestore.transactional
    def read(transaction: firestore.Transaction) -> int:
        return db.document("c/a").get(transaction=transaction).get("n")

    assert read(db.transaction(read_only=True)) == 1
    api = gapic_client(address)
    transaction = _begin(api, read_only={})
    commit = {"database": DATABASE, "writes": [_set_n(2)], "transaction": transaction}
    with pytest.raises(exceptions.InvalidArgument):
        api.commit(request=commit, metadata=OWNER)
    assert db.document("c/a").get().get("n") == 1


def test_transaction_is_all_or_nothing(db: firestore.Client) -> None:
    db.document("c/taken").set({"v": 0})

    @firestore.transactional
    def run(transaction: firestore.Transaction) -> None:
        db.document("c/taken").get(transaction=transaction)
        transaction.set(db.document("c/new"), {"v": 1})
        transaction.create(db.document("c/taken"), {"v": 1})

    with pytest.raises(exceptions.AlreadyExists):
        run(db.transaction())
    assert not db.document("c/new").get().exists


def test_deadlock_dooms_the_younger_transaction(db: firestore.Client, address: str) -> None:
    db.document("c/a").set({"n": 0})
    db.document("c/b").set({"n": 0})
    api = gapic_client(address)
    older, younger = _begin(api), _begin(api)

    def read(transaction: bytes, path: str) -> None:
        request = {
            "database": DATABASE,
            "documents": [f"{ROOT}/{path}"],
            "transaction": transaction,
        }
        list(api.batch_get_documents(request=request, metadata=OWNER))

    read(older, "c/a")
    read(younger, "c/b")
    waiting = threading.Thread(target=read, args=(older, "c/b"))  # waits for younger
    waiting.start()
    time.sleep(0.2)
    read(younger, "c/a")  # closes the cycle: younger is doomed, neither read fails
    waiting.join(timeout=10)
    assert not waiting.is_alive()
    with pytest.raises(exceptions.Aborted):
        api.commit(
            request={"database": DATABASE, "writes": [_set_n(1)], "transaction": younger},
            metadata=OWNER,
        )
    api.commit(
        request={"database": DATABASE, "writes": [_set_n(2)], "transaction": older}, metadata=OWNER
    )
    assert db.document("c/a").get().get("n") == 2
