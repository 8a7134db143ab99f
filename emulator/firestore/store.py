"""In-memory documents of one database, with atomic multi-document commits and a
listener hook (``subscribe``) for Listen streams and, later, Cloud Functions triggers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from emulator.firestore.history import History, StoreView, check_read_time
from emulator.firestore.names import last_segment, parent_of
from emulator.firestore.values import Timestamp


@dataclass(frozen=True)
class StoredDoc:
    data: dict[str, Any]
    create_time: Timestamp
    update_time: Timestamp


# (path, before, after): after a committed write; None means "did not exist".
ChangeListener = Callable[[str, StoredDoc | None, StoredDoc | None], None]
# ({path: (before, after)}, commit time): once per commit, after its ChangeListeners.
CommitListener = Callable[[dict[str, tuple[StoredDoc | None, StoredDoc | None]], Timestamp], None]


class Store:
    """Documents keyed by relative path. ``lock`` guards every read-modify-write."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._docs: dict[str, StoredDoc] = {}
        self._by_collection: dict[str, dict[str, StoredDoc]] = {}
        self._listeners: list[ChangeListener] = []
        self._commit_listeners: list[CommitListener] = []
        self._last_nanos = 0
        self._history = History()

    @classmethod
    def holding(cls, documents: dict[str, StoredDoc]) -> Store:
        """A store with these documents and no history (a point-in-time scan)."""
        store = cls()
        for path, doc in documents.items():
            store._put(path, doc)
        return store

    def at(self, read_time: Timestamp) -> StoreView:
        """The store as it was at ``read_time``; FirestoreError (the backend's) when that
        is in the future or older than the one-hour window."""
        with self.lock:
            check_read_time(read_time, self._last_nanos)
            return StoreView(self, self._history.overlay_after(read_time.total_nanos()), read_time)

    def get(self, path: str) -> StoredDoc | None:
        return self._docs.get(path)

    def next_time(self) -> Timestamp:
        """A commit time strictly after every earlier one."""
        with self.lock:
            nanos = max(time.time_ns() // 1000 * 1000, self._last_nanos + 1000)
            self._last_nanos = nanos
            return Timestamp(nanos // 1_000_000_000, nanos % 1_000_000_000)

    def apply(
        self, changes: dict[str, StoredDoc | None], commit_time: Timestamp | None = None
    ) -> None:
        """Commits writes atomically (None deletes) at ``commit_time`` (default: a fresh
        time), keeps what they replaced for point-in-time reads, then tells every listener."""
        with self.lock:
            stamp = commit_time or self.next_time()
            befores = {path: self._docs.get(path) for path in changes}
            self._history.record(stamp.total_nanos(), befores)
            for path, doc in changes.items():
                self._put(path, doc)
            for path, after in changes.items():
                for listener in list(self._listeners):
                    listener(path, befores[path], after)
            if self._commit_listeners:
                commit = {path: (befores[path], after) for path, after in changes.items()}
                for commit_listener in list(self._commit_listeners):
                    commit_listener(commit, stamp)

    def _put(self, path: str, doc: StoredDoc | None) -> None:
        collection = parent_of(path)
        if doc is None:
            self._docs.pop(path, None)
            members = self._by_collection.get(collection)
            if members is not None:
                members.pop(path, None)
                if not members:
                    del self._by_collection[collection]
            return
        self._docs[path] = doc
        self._by_collection.setdefault(collection, {})[path] = doc

    def clear(self) -> None:
        """Deletes every document (listeners see each delete)."""
        with self.lock:
            self.apply(dict.fromkeys(list(self._docs)))

    def in_collection(self, collection: str) -> Iterator[tuple[str, StoredDoc]]:
        """Documents directly in a collection."""
        return iter(list(self._by_collection.get(collection, {}).items()))

    def in_group(self, parent: str, collection_id: str) -> Iterator[tuple[str, StoredDoc]]:
        """Documents of every collection named ``collection_id`` below ``parent``
        (every collection when ``collection_id`` is empty)."""
        prefix = f"{parent}/" if parent else ""
        for collection, members in list(self._by_collection.items()):
            if collection_id and last_segment(collection) != collection_id:
                continue
            if collection == parent or not collection.startswith(prefix):
                continue
            yield from list(members.items())

    def collection_ids(self, parent: str) -> list[str]:
        """Ids of the collections directly below a document ('' = root) holding any
        document at any depth."""
        prefix = f"{parent}/" if parent else ""
        depth = parent.count("/") + 1 if parent else 0
        found = {
            collection.split("/")[depth]
            for collection in self._by_collection
            if collection.startswith(prefix)
        }
        return sorted(found)

    def document_paths_with_children(self, collection: str) -> set[str]:
        """Paths of documents in a collection that have subcollections (may not exist)."""
        prefix = f"{collection}/"
        depth = collection.count("/") + 2
        return {
            "/".join(path.split("/")[:depth])
            for path in self._docs
            if path.startswith(prefix) and path.count("/") >= depth
        }

    def all_documents(self) -> list[tuple[str, StoredDoc]]:
        return sorted(self._docs.items())

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Calls ``listener(path, before, after)`` after each committed write, under the
        store lock and in commit order, so it must be quick. Returns an unsubscribe."""
        with self.lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self.lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def on_commit(self, listener: CommitListener) -> None:
        """Calls ``listener(changes, commit_time)`` once per commit, under the store lock
        and in commit order (the Listen fan-out; it stays for the store's lifetime)."""
        with self.lock:
            self._commit_listeners.append(listener)

    def __len__(self) -> int:
        return len(self._docs)
