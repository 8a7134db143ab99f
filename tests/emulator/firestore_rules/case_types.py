"""The shape of one rules case: rules, seeded documents, who acts, what they send, the verdict.

Requests are described as a client sends them (a get, a create, a merge update, a query
with filters, a batch); the runners turn them into REST calls or engine requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ServerTime:
    """The server-timestamp sentinel (REST: setToServerValue REQUEST_TIME)."""

    def __repr__(self) -> str:
        return "SERVER_TIME"


SERVER_TIME = ServerTime()


@dataclass(frozen=True)
class Actor:
    """A signed-in user (uid and extra ID-token claims) or nobody (uid None)."""

    uid: str | None
    claims: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return self.uid or "nobody"


ALICE = Actor("alice", {"email": "alice@example.com", "email_verified": True})
BOB = Actor("bob", {"email": "bob@example.com", "email_verified": False})
ADMIN_CLAIM = Actor("root", {"admin": True})
CAROL = Actor("carol")  # signed in, member of nothing
NOBODY = Actor(None)


@dataclass(frozen=True)
class Get:
    path: str


@dataclass(frozen=True)
class Create:
    """A create that must not overwrite (REST: currentDocument.exists=false)."""

    path: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Set:
    """A whole-document set: a create when missing, an update when present."""

    path: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Update:
    """A merge update of the given top-level fields (REST: updateMask, exists=true)."""

    path: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Delete:
    path: str


@dataclass(frozen=True)
class Query:
    """A query of ``collection`` (a collection path, or an id when ``group``).

    ``where`` is ANDed; ``any_of`` makes an OR query of AND-groups instead.
    Filters are (field, op, value) with the rules' operator names.
    """

    collection: str
    where: tuple[tuple[str, str, Any], ...] = ()
    any_of: tuple[tuple[tuple[str, str, Any], ...], ...] = ()
    limit: int | None = None
    offset: int | None = None
    order_by: tuple[tuple[str, str], ...] = ()
    group: bool = False


@dataclass(frozen=True)
class Batch:
    """Several writes committed together (REST :commit)."""

    writes: tuple[Create | Set | Update | Delete, ...]


@dataclass(frozen=True)
class Transaction:
    """Writes committed in a transaction (REST :beginTransaction, then :commit with it)."""

    writes: tuple[Create | Set | Update | Delete, ...]


Write = Create | Set | Update | Delete
Request = Get | Write | Query | Batch | Transaction


@dataclass(frozen=True)
class RulesCase:
    name: str
    rules: str  # statements inside match /databases/{database}/documents { ... }
    request: Request
    allowed: bool
    actor: Actor = ALICE
    seed: dict[str, dict[str, Any]] = field(default_factory=dict)
    doc: str = ""  # the Firebase page the verdict follows

    @property
    def id(self) -> str:
        return self.name


def rules_file(body: str) -> str:
    """A whole rules file around a match-block body."""
    return (
        "rules_version = '2';\n"
        "service cloud.firestore {\n"
        "  match /databases/{database}/documents {\n"
        f"{body}\n"
        "  }\n"
        "}\n"
    )
