"""Client actions as data, and how to perform them over REST as a given user.

An ``Action`` is what a table row says a client does: read a document, run a query, send
a message (the message and the sender's rate-limit stamp in one batch, as the client
guide does it) or write one document. Paths and string values may say ``{uid}`` for the
acting user; ``CreatedAt(id)`` stands for the creation time of a seeded message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from tests.rules.world import created_at
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest, Write

Verb = Literal[
    "get",
    "list",
    "list_group",
    "send",
    "send_unstamped",
    "create",
    "set",
    "merge",
    "update",
    "delete",
]
# When nobody is signed in, {uid} means alice: a signed-out client acting on a real
# user's documents.
SIGNED_OUT_TARGET = "alice"


@dataclass(frozen=True)
class CreatedAt:
    """The createdAt of a seeded message of room r1."""

    message_id: str


@dataclass(frozen=True)
class Action:
    verb: Verb
    # Document path; collection path for "list"; collection id for "list_group"; room id
    # for "send".
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    where: tuple[str, str, Any] | None = None  # for "list"
    # Given: the acting user's memberships carry mutedUntil = seeding time + mute
    # (negative: a mute that has already ended).
    mute: dt.timedelta | None = None
    slot: str = "slot0"  # for "send": the rate-limit slot the stamp takes

    @property
    def is_read(self) -> bool:
        return self.verb in ("get", "list", "list_group")


def valid_message(**overrides: Any) -> dict[str, Any]:
    """A valid text message by the acting user, before placeholders are resolved."""
    return {
        "authorId": "{uid}",
        "kind": "text",
        "text": "hi there",
        "attachments": [],
        "createdAt": SERVER_TIME,
        "parentId": None,
        **overrides,
    }


def resolve(value: Any, uid: str, now: dt.datetime) -> Any:
    """Replaces ``{uid}`` and ``CreatedAt`` placeholders inside a value."""
    if isinstance(value, str):
        return value.replace("{uid}", uid)
    if isinstance(value, CreatedAt):
        return created_at(value.message_id, now)
    if isinstance(value, dict):
        return {key: resolve(item, uid, now) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, uid, now) for item in value]
    if isinstance(value, tuple):
        return tuple(resolve(item, uid, now) for item in value)
    return value


def sent_message_path(room_id: str, uid: str) -> str:
    return f"rooms/{room_id}/messages/new-by-{uid}"


def written_paths(action: Action, uid: str) -> list[str]:
    """The documents a write action touches."""
    if action.verb in ("send", "send_unstamped"):
        paths = [sent_message_path(action.path, uid)]
        if action.verb == "send":
            paths.append(f"rooms/{action.path}/rateLimits/{uid}")
        return paths
    return [action.path.replace("{uid}", uid)]


def _writes(fs: FirestoreRest, action: Action, uid: str, now: dt.datetime) -> list[Write]:
    data = resolve(action.data, uid, now)
    path = action.path.replace("{uid}", uid)
    if action.verb in ("send", "send_unstamped"):
        writes = [fs.create_write(sent_message_path(path, uid), data)]
        if action.verb == "send":
            stamp = {
                "lastMessageAt": SERVER_TIME,
                action.slot: SERVER_TIME,
                "lastMessageId": sent_message_path(path, uid).rpartition("/")[2],
            }
            writes.append(fs.merge_write(f"rooms/{path}/rateLimits/{uid}", stamp))
        return writes
    if action.verb == "create":
        return [fs.create_write(path, data)]
    if action.verb == "set":
        return [fs.set_write(path, data)]
    if action.verb == "merge":
        return [fs.merge_write(path, data)]
    if action.verb == "update":
        return [fs.update_write(path, data)]
    return [fs.delete_write(path)]


def perform(
    fs: FirestoreRest,
    action: Action,
    uid: str | None,
    now: dt.datetime,
) -> httpx.Response:
    """Sends the action as ``uid`` (None: signed out) and returns the raw answer."""
    placeholder = uid or SIGNED_OUT_TARGET
    if action.verb == "get":
        return fs.get(action.path.replace("{uid}", placeholder), uid)
    if action.verb in ("list", "list_group"):
        where = resolve(action.where, placeholder, now) if action.where else None
        return fs.query(
            action.path.replace("{uid}", placeholder),
            uid,
            where=where,
            group=action.verb == "list_group",
        )
    return fs.commit(_writes(fs, action, placeholder, now), uid)


def expected_fields(action: Action, uid: str, now: dt.datetime) -> dict[str, Any]:
    """The plain (not server-stamped) fields an allowed write must leave in its document."""
    data = resolve(action.data, uid, now)
    return {key: value for key, value in data.items() if value is not SERVER_TIME}


def mute_actor(fs: FirestoreRest, uid: str, until: dt.datetime) -> None:
    """Stamps mutedUntil on every membership of uid (as the backend's projection would)."""
    for room in ("r1", "r2", "d1"):
        path = f"rooms/{room}/members/{uid}"
        member = fs.read(path)
        if member is not None:
            fs.seed({path: {**member, "mutedUntil": until}})
