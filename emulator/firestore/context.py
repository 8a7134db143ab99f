"""What every request handler shares: the databases and the rules gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.firestore.authorization import Gate
from emulator.firestore.backend import Backend, Database
from emulator.firestore.errors import invalid
from emulator.firestore.history import StoreView
from emulator.firestore.names import parse_database, split_name
from emulator.firestore.protos import from_timestamp_pb
from emulator.firestore.store import Store, StoredDoc
from emulator.firestore.values import Timestamp


@dataclass
class Context:
    backend: Backend
    gate: Gate

    def database(self, name: str) -> Database:
        """The database a resource name (or ``projects/p/databases/d``) points into."""
        return self.backend.database(parse_database(name))

    def parent(self, name: str) -> tuple[Database, str]:
        """A query / list parent: the documents root or a document."""
        database_id, path = split_name(name)
        if path and len(path.split("/")) % 2:
            raise invalid(f"Parent {name!r} is not a document or the documents root.")
        return self.backend.database(database_id), path

    def read_in(self, database: Database, request: Any, path: str) -> StoredDoc | None:
        """A document read, inside the request's transaction if it has one."""
        transaction = _transaction_of(request)
        if transaction:
            return database.transactions.read(transaction, path)
        return snapshot_of(database, request).get(path)


def snapshot_of(database: Database, request: Any) -> Store | StoreView:
    """What a read request reads: the store as of its ``read_time`` (or its read-only
    transaction's), else the store now. Call under the store lock."""
    selector = _selector(request)
    if selector == "read_time":
        return database.store.at(from_timestamp_pb(request.read_time))
    if selector == "transaction":
        read_time = database.transactions.lookup(request.transaction).read_time
        if read_time is not None:
            return database.store.at(read_time)
    return database.store


def read_time_of(database: Database, request: Any) -> Timestamp:
    """The read time a read answers: the one asked for, else a fresh one (under the lock)."""
    view = snapshot_of(database, request)
    if isinstance(view, StoreView):
        return view.read_time
    return database.store.next_time()


def _selector(request: Any) -> str | None:
    try:
        return request.WhichOneof("consistency_selector")
    except ValueError:  # a request type without one
        return None


def _transaction_of(request: Any) -> bytes | None:
    if _selector(request) == "transaction":
        return request.transaction
    return None


def begin_if_asked(database: Database, request: Any) -> bytes | None:
    """Starts the transaction a read asks for with ``new_transaction``; sets it on the
    request so the read runs inside it. Returns its id."""
    if request.WhichOneof("consistency_selector") != "new_transaction":
        return None
    options = request.new_transaction
    read_only = options.WhichOneof("mode") == "read_only"
    read_time = None
    if read_only and options.read_only.HasField("read_time"):
        read_time = from_timestamp_pb(options.read_only.read_time)
        database.store.at(read_time)  # the backend's error for a time out of the window
    transaction = database.transactions.begin(read_only, read_time=read_time)
    request.transaction = transaction
    return transaction
