"""All emulated databases of one emulator process, created on first use."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from emulator.firestore.listen_hub import ListenHub
from emulator.firestore.names import DatabaseId
from emulator.firestore.store import Store
from emulator.firestore.transactions import TransactionManager


@dataclass
class Database:
    id: DatabaseId
    store: Store
    transactions: TransactionManager
    listens: ListenHub


class Backend:
    """Databases keyed by (project, database id)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._databases: dict[DatabaseId, Database] = {}

    def database(self, database_id: DatabaseId) -> Database:
        with self._lock:
            found = self._databases.get(database_id)
            if found is None:
                store = Store()
                found = Database(database_id, store, TransactionManager(store), ListenHub(store))
                self._databases[database_id] = found
            return found

    def databases(self) -> list[Database]:
        with self._lock:
            return list(self._databases.values())

    def clear(self, database_id: DatabaseId) -> None:
        """Deletes every document and open transaction of one database."""
        database = self.database(database_id)
        with database.store.lock:
            database.transactions.clear()
            database.store.clear()
