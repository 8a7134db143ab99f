"""Read-write transactions with pessimistic document locks, as the official emulator
has them: a document read in a transaction is locked until it commits or rolls back,
and another transaction reading it waits. Reads never fail: a transaction that waited
too long, or the younger one of a deadlocked pair, is *doomed* instead — it loses its
locks, reads on unlocked, and its commit answers ABORTED, which is where the clients'
``@transactional`` / ``runTransaction`` retry. A commit also re-checks that nothing it
read has changed (non-transactional writes do not wait for locks)."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from emulator.firestore.errors import aborted, invalid
from emulator.firestore.store import Store, StoredDoc
from emulator.firestore.values import Timestamp

LOCK_WAIT_SECONDS = 5.0
# A transaction untouched this long loses its locks to anyone waiting for them.
IDLE_EXPIRY_SECONDS = 30.0
_REMEMBERED_AGES = 10_000


@dataclass
class Transaction:
    id: bytes
    read_only: bool
    reads: dict[str, Timestamp | None] = field(default_factory=dict)
    locks: set[str] = field(default_factory=set)
    waiting_for: str | None = None
    doomed: bool = False
    age: int = 0  # begin order: the lower, the older
    last_used: float = field(default_factory=time.monotonic)
    # A read-only transaction reading the database as it was at this time.
    read_time: Timestamp | None = None


class TransactionManager:
    """The open transactions of one store; every method runs under the store lock."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._changed = threading.Condition(store.lock)
        self._open: dict[bytes, Transaction] = {}
        self._owners: dict[str, bytes] = {}
        self._ages = itertools.count()
        self._ended_ages: OrderedDict[bytes, int] = OrderedDict()

    def begin(
        self, read_only: bool, retry_of: bytes = b"", read_time: Timestamp | None = None
    ) -> bytes:
        """Starts a transaction; a retry keeps the age of the one it retries, so a
        transaction that keeps losing deadlocks becomes the older one and wins."""
        with self._changed:
            age = self._ended_ages.get(retry_of)
            if age is None:
                age = next(self._ages)
            transaction = Transaction(os.urandom(16), read_only, age=age, read_time=read_time)
            self._open[transaction.id] = transaction
            return transaction.id

    def lookup(self, transaction_id: bytes) -> Transaction:
        with self._changed:
            transaction = self._open.get(transaction_id)
            if transaction is None:
                raise invalid("The referenced transaction has expired or is no longer valid.")
            transaction.last_used = time.monotonic()
            return transaction

    def read(self, transaction_id: bytes, path: str) -> StoredDoc | None:
        """Reads a document in a transaction, locking it for read-write ones."""
        with self._changed:
            transaction = self.lookup(transaction_id)
            if transaction.read_time is not None:
                return self.store.at(transaction.read_time).get(path)
            if not transaction.read_only:
                self._lock(transaction, path)
            doc = self.store.get(path)
            transaction.reads.setdefault(path, doc.update_time if doc else None)
            return doc

    def note_read(self, transaction_id: bytes, path: str, doc: StoredDoc | None) -> None:
        """Records a query result's version for the commit-time check (no lock)."""
        with self._changed:
            transaction = self.lookup(transaction_id)
            if transaction.read_time is None:  # a past snapshot cannot go stale
                transaction.reads.setdefault(path, doc.update_time if doc else None)

    def prepare_commit(self, transaction_id: bytes, written: list[str]) -> Transaction:
        """Locks what the commit writes and checks its reads are still current."""
        with self._changed:
            transaction = self.lookup(transaction_id)
            if transaction.read_only and written:
                self.finish(transaction_id)
                raise invalid("Cannot modify entities in a read-only transaction.")
            try:
                for path in written:
                    self._lock(transaction, path)
                if transaction.doomed:
                    raise aborted(
                        "Transaction lock timeout or contention: another "
                        "transaction held a document this one used."
                    )
                for path, seen in transaction.reads.items():
                    doc = self.store.get(path)
                    if (doc.update_time if doc else None) != seen:
                        raise aborted(
                            "Transaction lock timeout or contention: a document "
                            f"read by this transaction changed: {path}"
                        )
            except Exception:
                self.finish(transaction_id)
                raise
            return transaction

    def finish(self, transaction_id: bytes) -> None:
        """Ends a transaction (commit or rollback) and releases its locks."""
        with self._changed:
            transaction = self._open.pop(transaction_id, None)
            if transaction is None:
                return
            self._ended_ages[transaction_id] = transaction.age
            if len(self._ended_ages) > _REMEMBERED_AGES:
                self._ended_ages.popitem(last=False)
            for path in transaction.locks:
                if self._owners.get(path) == transaction_id:
                    del self._owners[path]
            self._changed.notify_all()

    def clear(self) -> None:
        with self._changed:
            for transaction_id in list(self._open):
                self.finish(transaction_id)

    def _lock(self, transaction: Transaction, path: str) -> None:
        """Takes a document lock, waiting for its owner; dooms instead of failing."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while not transaction.doomed:
            owner_id = self._owners.get(path)
            if owner_id is None or owner_id == transaction.id:
                self._owners[path] = transaction.id
                transaction.locks.add(path)
                return
            owner = self._open.get(owner_id)
            if owner is None or time.monotonic() - owner.last_used > IDLE_EXPIRY_SECONDS:
                self.finish(owner_id)
                continue
            if self._deadlocked(transaction, owner):
                self._doom(transaction if transaction.age > owner.age else owner)
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._doom(transaction)
                return
            transaction.waiting_for = path
            self._changed.wait(remaining)
            transaction.waiting_for = None
            if transaction.id not in self._open:  # cleared while it waited
                raise aborted("The transaction ended while waiting for a lock.")

    def _doom(self, transaction: Transaction) -> None:
        """Releases a transaction's locks; its commit will answer ABORTED."""
        transaction.doomed = True
        for path in transaction.locks:
            if self._owners.get(path) == transaction.id:
                del self._owners[path]
        transaction.locks.clear()
        self._changed.notify_all()

    def _deadlocked(self, transaction: Transaction, owner: Transaction) -> bool:
        """The owner waits (directly) for a lock this transaction holds."""
        return owner.waiting_for is not None and owner.waiting_for in transaction.locks
