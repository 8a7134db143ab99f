"""What every request handler shares: the databases and the rules gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.firestore.authorization import Gate
from emulator.firestore.backend import Backend, Database
from emulator.firestore.errors import invalid
from emulator.firestore.names import parse_database, split_name
from emulator.firestore.store import StoredDoc


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
        return database.store.get(path)


def _transaction_of(request: Any) -> bytes | None:
    if request.WhichOneof("consistency_selector") == "transaction":
        return request.transaction
    return None


def begin_if_asked(database: Database, request: Any) -> bytes | None:
    """Starts the transaction a read asks for with ``new_transaction``; sets it on the
    request so the read runs inside it. Returns its id."""
    if request.WhichOneof("consistency_selector") != "new_transaction":
        return None
    read_only = request.new_transaction.WhichOneof("mode") == "read_only"
    transaction = database.transactions.begin(read_only)
    request.transaction = transaction
    return transaction

