"""The shape of one rules case: rules, existing data, who acts, what they do, the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Read:
    """A read of ``path``; ``query`` holds REST query parameters (values JSON-encoded)."""

    path: str
    query: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Set:
    """A set (REST PUT) of ``value`` at ``path``; None deletes."""

    path: str
    value: Any


@dataclass(frozen=True)
class Update:
    """A multi-location update (REST PATCH) at ``path``: relative child path -> value."""

    path: str
    values: dict[str, Any]


Operation = Read | Set | Update


@dataclass(frozen=True)
class RulesCase:
    """One row of the allow/deny table."""

    name: str
    rules: dict[str, Any]
    op: Operation
    allowed: bool
    data: Any = None
    auth: dict[str, Any] | None = None  # ID token claims; None = unauthenticated
    doc: str = ""  # the Firebase documentation page the expectation comes from


def user(uid: str, provider: str = "password", **claims: Any) -> dict[str, Any]:
    """ID token claims of a signed-in user, as Firebase Auth puts them in an ID token."""
    return {
        "sub": uid,
        "user_id": uid,
        "firebase": {"sign_in_provider": provider, "identities": {}},
        **claims,
    }
