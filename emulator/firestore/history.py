"""Point-in-time reads: the store as it was at a past ``read_time``.

Each commit keeps the documents it replaced (their before-images) for one hour, the read
window production gives without point-in-time recovery; older ones are dropped at the
next commit, so memory stays bounded by one hour of writes. The store at time T is the
current store with, for every document written after T, its before-image of the first
such write laid over it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

import grpc

from emulator.firestore.errors import FirestoreError, invalid
from emulator.firestore.names import parent_of
from emulator.firestore.values import Timestamp

if TYPE_CHECKING:
    from emulator.firestore.store import Store, StoredDoc

WINDOW_NANOS = 3600 * 1_000_000_000
FUTURE_MESSAGE = "read_time cannot be in the future"
TOO_OLD_MESSAGE = "The requested snapshot version is too old."


class History:
    """Before-images of the last hour's commits, oldest first."""

    def __init__(self) -> None:
        self._commits: deque[tuple[int, dict[str, StoredDoc | None]]] = deque()

    def record(self, commit_nanos: int, befores: dict[str, StoredDoc | None]) -> None:
        """Keeps one commit's before-images; drops commits older than the window."""
        self._commits.append((commit_nanos, befores))
        while self._commits and self._commits[0][0] < commit_nanos - WINDOW_NANOS:
            self._commits.popleft()

    def overlay_after(self, read_nanos: int) -> dict[str, StoredDoc | None]:
        """Each document written after ``read_nanos`` -> what it was then (None: absent)."""
        overlay: dict[str, StoredDoc | None] = {}
        for commit_nanos, befores in reversed(self._commits):
            if commit_nanos <= read_nanos:
                break
            overlay.update(befores)  # older commits come later and win
        return overlay

    def __len__(self) -> int:
        return len(self._commits)


def check_read_time(read_time: Timestamp, latest_nanos: int) -> None:
    """The backend's errors for a read time in the future or older than the window."""
    now = max(time.time_ns(), latest_nanos)
    nanos = read_time.total_nanos()
    if nanos > now:
        raise invalid(FUTURE_MESSAGE)
    if nanos < now - WINDOW_NANOS:
        raise FirestoreError(grpc.StatusCode.FAILED_PRECONDITION, TOO_OLD_MESSAGE)


class StoreView:
    """The read side of a Store as it was at one read time (same methods as Store)."""

    def __init__(
        self, store: Store, overlay: dict[str, StoredDoc | None], read_time: Timestamp
    ) -> None:
        self._store = store
        self._overlay = overlay
        self.read_time = read_time
        self.lock = store.lock
        self._materialized: Store | None = None

    def get(self, path: str) -> StoredDoc | None:
        if path in self._overlay:
            return self._overlay[path]
        return self._store.get(path)

    def in_collection(self, collection: str) -> Iterator[tuple[str, StoredDoc]]:
        members = dict(self._store.in_collection(collection))
        for path, doc in self._overlay.items():
            if parent_of(path) != collection:
                continue
            if doc is None:
                members.pop(path, None)
            else:
                members[path] = doc
        return iter(sorted(members.items()))

    def in_group(self, parent: str, collection_id: str) -> Iterator[tuple[str, StoredDoc]]:
        return self._then().in_group(parent, collection_id)

    def collection_ids(self, parent: str) -> list[str]:
        return self._then().collection_ids(parent)

    def document_paths_with_children(self, collection: str) -> set[str]:
        return self._then().document_paths_with_children(collection)

    def all_documents(self) -> list[tuple[str, StoredDoc]]:
        return self._then().all_documents()

    def _then(self) -> Store:
        """A throw-away store holding every document as it was (for whole-store scans)."""
        if self._materialized is None:
            from emulator.firestore.store import Store

            documents = dict(self._store.all_documents())
            for path, doc in self._overlay.items():
                if doc is None:
                    documents.pop(path, None)
                else:
                    documents[path] = doc
            self._materialized = Store.holding(documents)
        return self._materialized
