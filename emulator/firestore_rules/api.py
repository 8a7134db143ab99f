"""The contract between the Firestore store (emulator.firestore) and the rules engine.

The store builds an ``AccessRequest`` for every operation a non-admin caller makes and
asks the loaded ``Ruleset`` (see ``emulator.firestore_rules.load_ruleset``) for a
``Decision``. Documents reach the engine in the native value form of
``emulator.firestore.values``; paths are relative to the documents root
(``rooms/r1/messages/m1``), without a leading slash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from emulator.firestore_value_types import Timestamp

Method = Literal["get", "list", "create", "update", "delete"]

# Operators as the rules language names them in query constraints.
FilterOp = Literal[
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not-in",
    "array-contains",
    "array-contains-any",
    "is-null",
    "is-not-null",
    "is-nan",
    "is-not-nan",
]


@dataclass(frozen=True)
class FieldFilter:
    field: str  # dotted field path, e.g. "author" or "meta.kind"
    op: FilterOp
    value: Any = None


@dataclass(frozen=True)
class QueryConstraints:
    """What a list query asks for; rules are judged against this, not stored data.

    ``disjuncts`` is the query's filter in disjunctive normal form: the query matches
    a document when every filter of at least one inner list holds. A query without
    filters is ``[[]]``.
    """

    disjuncts: list[list[FieldFilter]] = field(default_factory=lambda: [[]])
    limit: int | None = None
    offset: int | None = None
    order_by: list[tuple[str, Literal["ASCENDING", "DESCENDING"]]] = field(default_factory=list)


@dataclass(frozen=True)
class StoredDocument:
    path: str  # e.g. "rooms/r1"
    data: dict[str, Any]
    create_time: Timestamp | None = None
    update_time: Timestamp | None = None


@dataclass(frozen=True)
class AccessRequest:
    method: Method
    # Document path for get / create / update / delete. For list: the collection path
    # ("rooms/r1/messages"); for a collection-group list: just the collection id.
    path: str
    auth: dict[str, Any] | None  # {"uid": str, "token": {claims}} or None
    time: Timestamp
    resource: StoredDocument | None = None  # the stored document before the request
    new_data: dict[str, Any] | None = None  # request.resource.data: the post-write document
    query: QueryConstraints | None = None  # list only
    collection_group: bool = False
    database: str = "(default)"


class DocumentReader(Protocol):
    """What get()/exists() and getAfter()/existsAfter() read. Paths are relative."""

    def get(self, path: str) -> StoredDocument | None: ...

    def get_after(self, path: str) -> StoredDocument | None: ...


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # As the official emulator words it, e.g. "false for 'create' @ L12" or
    # "Null value error. for 'list' @ L5"; empty when allowed.
    message: str = ""


class RulesLoadError(ValueError):
    """A rules source that cannot be parsed or uses an unsupported construct."""


class Ruleset(Protocol):
    """What ``emulator.firestore_rules.load_ruleset(source)`` returns."""

    def authorize(self, request: AccessRequest, reader: DocumentReader) -> Decision:
        """One single-document request or one list query (at most 10 get()/exists() calls)."""
        ...

    def authorize_all(self, requests: list[AccessRequest], reader: DocumentReader) -> Decision:
        """Every write of a batch or transaction, judged against the post-batch state
        (``reader.get_after``); all must be allowed; 20 access calls in total."""
        ...
