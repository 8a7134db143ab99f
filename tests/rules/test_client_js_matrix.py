"""Every refusal of the Firestore rules matrix, walked through client/js: each denied
(row, actor) the client can express maps to the typed error of its cause, predicted before
the server's bare permission-denied, never an UnexpectedDenial; the rest are rows the client
offers no way to express (it always writes as its own user, stamps every message, ...).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.rules.firestore_actions import Action, mute_actor
from tests.rules.test_firestore_matrix import MATRIX
from tests.rules.world import ACTORS, BLOCKED_PAIR, ROLES, USERS, seed_documents
from tests.support.database_rest import DatabaseRest
from tests.support.firestore_rest import FirestoreRest

pytestmark = [pytest.mark.node, pytest.mark.timeout(600)]

CLIENT = Path(__file__).resolve().parents[2] / "client" / "js"
MEMBERS_OF = {"r1": set(ROLES), "r2": {"sam"}, "d1": {"alice", "mia"}, "d2": set(BLOCKED_PAIR)}
MODERATORS_OF = {"r1": {"adam", "owen"}, "r2": {"sam"}, "d1": set(), "d2": set()}
# d2, the direct room under alice's block of bob: each side's flag (world.BLOCKED_PAIR).
BLOCKS = {"d2": BLOCKED_PAIR}
# Seeded messages of r1 and what the client's checks learn from reading them.
AUTHOR = {
    "m-old": "alice",
    "m-first": "alice",
    "m-deleted": "alice",
    "m-reply": "mia",
    "m-image": "alice",
    "m-last": "mia",
    "other": "sam",
    "hi": "mia",
    "from-bob": "bob",
    "from-alice": "alice",
}
DELETED = {"m-deleted"}
# Why a denied row cannot be expressed through client/js at all.
UNEXPRESSIBLE = {
    "backend": "written only by the backend (callables); the client has no such write",
    "as-self": "the client always acts as its own user (author, reaction, receipt ids)",
    "stamp": "the client always writes the rate-limit stamp with the message, taking a "
    "free slot (it waits for one instead of taking a busy one)",
    "hard-delete": "the client only soft-deletes",
    "query": "the client runs no such query (collection groups, other users' lists)",
    "deleted-by": "the client names the deleting moderator itself",
    "not-offered": "the client offers no operation on this path",
    "parent-null": "the client always writes parentId (null on a top-level message)",
    "mentions": "the client refuses more than MAX_MENTIONS mentions itself (checkDraft), "
    "before any write",
}


@dataclass(frozen=True)
class Case:
    """One client operation standing for a denied (row, actor), and the error expected."""

    id: str
    uid: str | None
    op: str
    room_id: str
    expected: str
    message_id: str | None = None
    parent_id: str | None = None
    muted: bool = False


def _parts(action: Action, uid: str) -> list[str]:
    return action.path.replace("{uid}", uid).split("/")


def classify(name: str, action: Action, uid: str | None) -> Case | str:
    """The client operation for a denied row and its expected error, or why it has none."""
    me = uid or "alice"
    parts = _parts(action, me)
    top = parts[0]
    if action.verb == "list_group" or top == "secrets":
        return "query" if action.is_read else "not-offered"
    if top == "users":
        if action.is_read and len(parts) == 3 and parts[1] == me:
            return _case(name, uid, "roomList", "", None)
        return "backend" if not action.is_read else "query"
    if action.verb in ("send", "send_unstamped"):
        return _send(name, action, uid)
    if len(parts) < 2:
        return "query"
    room = parts[1]
    if len(parts) == 2 or parts[2] == "members":
        return "backend" if not action.is_read else "not-offered"
    kind = parts[2]
    if kind == "reports":
        return "backend" if not action.is_read else "not-offered"
    if kind == "rateLimits":
        return "stamp" if not action.is_read else "not-offered"
    if kind == "receipts":
        return _receipt(name, action, uid, room, parts)
    if kind == "messages":
        return _message(name, action, uid, room, parts)
    return "not-offered"


def _case(
    name: str, uid: str | None, op: str, room: str, expected: str | None, **extra: Any
) -> Case:
    if uid is None:
        expected = "NotSignedIn"
    return Case(name, uid, op, room, expected or "", **extra)


def _membership_error(uid: str | None, room: str, muted: bool, adds: bool) -> str | None:
    """What membership alone says: not signed in, not a member, blocked (the blocked side:
    everything; the blocking side: additions), muted (for additions)."""
    if uid is None:
        return "NotSignedIn"
    if uid not in MEMBERS_OF[room]:
        return "NotAMember"
    block = BLOCKS.get(room, {}).get(uid)
    if block == "blocked" or (block == "blocking" and adds):
        return "Blocked"
    if muted and adds:
        return "Muted"
    return None


def _send(name: str, action: Action, uid: str | None) -> Case | str:
    data = action.data
    if action.verb == "send_unstamped" or action.slot != "slot0":
        return "stamp"
    if data.get("authorId") != "{uid}":
        return "as-self"
    if "parentId" not in data:
        return "parent-null"
    if len(data.get("mentions", [])) > 10:
        return "mentions"
    room, parent = action.path, data.get("parentId")
    muted = bool(action.mute and action.mute > dt.timedelta(0))
    expected = _membership_error(uid, room, muted, adds=True)
    if expected is None and parent is not None:
        expected = _parent_error(room, parent)
    return _case(name, uid, "send", room, expected, parent_id=parent, muted=muted)


def _exists(room: str, message: str) -> bool:
    """Whether a seeded message of that id is in the room (m-{uid}: one per user in r1)."""
    if room != "r1":
        return message in {"r2": {"other"}, "d1": {"hi"}, "d2": {"from-bob", "from-alice"}}[room]
    return message not in ("other", "hi") and (message in AUTHOR or message[2:] in USERS)


def _parent_error(room: str, parent: str) -> str:
    """What the client finds reading a thread parent (or a reaction's message)."""
    if not _exists(room, parent):
        return "MessageNotFound"
    if parent in DELETED:
        return "MessageDeleted"
    return "ThreadTooDeep" if parent == "m-reply" else "none"


def _message(name: str, action: Action, uid: str | None, room: str, parts: list[str]) -> Case | str:
    muted = bool(action.mute and action.mute > dt.timedelta(0))
    message = parts[3] if len(parts) > 3 else None
    if len(parts) == 3:  # the collection: history pages, or a thread's replies
        op = "thread" if action.where else "page"
        parent = action.where[2] if action.where else None
        return _case(
            name, uid, op, room, _membership_error(uid, room, False, False), parent_id=parent
        )
    if len(parts) == 5 and action.verb == "list":  # a message's reactions, live
        return _case(
            name,
            uid,
            "reactions",
            room,
            _membership_error(uid, room, False, False),
            message_id=message,
        )
    if len(parts) == 6:  # a reaction
        if parts[5] != (uid or "alice"):
            return "as-self"
        if action.is_read:
            return "not-offered"
        op = "unreact" if action.verb == "delete" else "react"
        expected = _membership_error(uid, room, muted, adds=op == "react")
        if expected is None and op == "react":
            expected = _parent_error(room, message or "")
            expected = "none" if expected == "ThreadTooDeep" else expected
        return _case(name, uid, op, room, expected, message_id=message, muted=muted)
    if action.verb == "get":
        return _case(
            name,
            uid,
            "getMessage",
            room,
            _membership_error(uid, room, False, False),
            message_id=message,
        )
    if action.verb == "delete":
        return "hard-delete"
    if action.verb != "update":
        return "as-self" if action.verb in ("set", "create") else "not-offered"
    if "editedAt" in action.data:
        return _edit(name, uid, room, message or "", muted)
    deleted_by = action.data.get("deletedBy")
    if deleted_by not in (None, "{uid}"):
        return "deleted-by"
    return _delete(name, uid, room, message or "", deleted_by is None, muted)


def _author_of(message: str, uid: str) -> str:
    return AUTHOR.get(message, message.removeprefix("m-"))


def _edit(name: str, uid: str | None, room: str, message: str, muted: bool) -> Case:
    expected = _membership_error(uid, room, muted, adds=True)
    if expected is None and uid is not None:
        if _author_of(message, uid) != uid:
            expected = "NotTheAuthor"
        elif message in DELETED:
            expected = "MessageDeleted"
        elif message == "m-old":
            expected = "EditWindowClosed"
    return _case(name, uid, "edit", room, expected, message_id=message, muted=muted)


def _delete(
    name: str, uid: str | None, room: str, message: str, plain: bool, muted: bool
) -> Case | str:
    expected = _membership_error(uid, room, muted, adds=False)
    if expected is None and uid is not None:
        own = _author_of(message, uid) == uid
        if message in DELETED:
            expected = "MessageDeleted"
        elif not own and uid not in MODERATORS_OF[room]:
            expected = "NotTheAuthor"
        elif plain and not own:
            return "deleted-by"  # a moderator's delete through the client names itself
    return _case(name, uid, "delete", room, expected, message_id=message, muted=muted)


def _receipt(name: str, action: Action, uid: str | None, room: str, parts: list[str]) -> Case | str:
    if len(parts) == 3:
        return _case(name, uid, "receipts", room, _membership_error(uid, room, False, False))
    if parts[3] != (uid or "alice"):
        return "as-self" if not action.is_read else "not-offered"
    if action.verb == "delete":
        return "not-offered"
    if action.is_read:
        return "not-offered"
    target = action.data["lastReadMessageId"]
    expected = _membership_error(uid, room, False, False) or "Skipped"
    return _case(name, uid, "markRead", room, expected, message_id=target)


def denied_cases() -> tuple[list[Case], dict[str, list[str]]]:
    """Cases to run, and the unexpressible denied (row, actor) pairs by reason."""
    cases: list[Case] = []
    skipped: dict[str, list[str]] = {}
    for name, action, allowed in MATRIX:
        for actor, uid in ACTORS.items():
            if actor in allowed:
                continue
            found = classify(f"{name}-{actor}", action, uid)
            if isinstance(found, str):
                skipped.setdefault(found, []).append(f"{name}-{actor}")
            else:
                cases.append(found)
    return cases, skipped


def _as_json(c: Case) -> dict[str, Any]:
    return {
        "id": c.id,
        "uid": c.uid,
        "op": c.op,
        "roomId": c.room_id,
        "messageId": c.message_id,
        "parentId": c.parent_id,
    }


def _run(
    cases: list[Case],
    firestore_emulator: str,
    database_emulator: str,
    namespace: str,
    tmp_path: Path,
) -> dict[str, dict[str, Any]]:
    node = shutil.which("node")
    if not node or not (CLIENT / "dist" / "index.js").is_file():
        pytest.skip("needs node and a built client/js (bash scripts/bootstrap.sh)")
    spec = tmp_path / "cases.json"
    spec.write_text(
        json.dumps(
            {
                "firestore": firestore_emulator,
                "database": database_emulator,
                "namespace": namespace,
                "cases": [c if isinstance(c, dict) else _as_json(c) for c in cases],
            }
        )
    )
    run = subprocess.run(
        [node, "test/matrix_walk.mjs", str(spec)],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = {line["id"]: line for line in map(json.loads, run.stdout.splitlines())}
    assert run.returncode == 0 and "done" in lines, run.stdout[-3000:] + run.stderr[-3000:]
    return lines


def _seeded(firestore: FirestoreRest, world: dt.datetime) -> dict[str, Any]:
    return {path: firestore.read(path) for path in seed_documents(world)}


def test_every_denied_matrix_case_maps_to_a_typed_client_error(
    firestore: FirestoreRest,
    database: DatabaseRest,
    world: dt.datetime,
    firestore_emulator: str,
    database_emulator: str,
    tmp_path: Path,
) -> None:
    cases, skipped = denied_cases()
    assert set(skipped) <= set(UNEXPRESSIBLE), set(skipped) - set(UNEXPRESSIBLE)
    assert len(cases) >= 100  # the matrix's refusals the client can express
    before = _seeded(firestore, world)
    unmuted = [c for c in cases if not c.muted]
    muted = [c for c in cases if c.muted]
    seen = _run(unmuted, firestore_emulator, database_emulator, database.namespace, tmp_path)
    for uid in {c.uid for c in muted if c.uid}:
        mute_actor(firestore, uid, world + dt.timedelta(hours=1))
    seen |= _run(muted, firestore_emulator, database_emulator, database.namespace, tmp_path)

    wrong = {
        c.id: (c.expected, seen[c.id]["errorClass"], seen[c.id].get("message"))
        for c in cases
        if seen[c.id]["errorClass"] != _observed_name(c.expected)
    }
    assert not wrong, wrong
    assert not [c.id for c in cases if seen[c.id]["errorClass"] == "UnexpectedDenial"]
    # Refused by the client, the server saw nothing: no seeded document changed.
    if muted:
        for uid in {c.uid for c in muted if c.uid}:
            for room in MEMBERS_OF:
                path = f"rooms/{room}/members/{uid}"
                if before.get(path) is not None:
                    firestore.seed({path: before[path]})
    assert _seeded(firestore, world) == before


def _observed_name(expected: str) -> str:
    """How the driver reports an outcome: "none" (resolved) for a skipped receipt."""
    return "none" if expected == "Skipped" else expected


def test_refusal_causes_map_to_distinct_error_classes() -> None:
    """No two causes share a class: an app can tell each refusal from the others."""
    cases, _ = denied_cases()
    causes = {c.expected for c in cases}
    assert {
        "NotSignedIn",
        "NotAMember",
        "Muted",
        "NotTheAuthor",
        "MessageDeleted",
        "MessageNotFound",
        "ThreadTooDeep",
        "EditWindowClosed",
        "Blocked",
    } <= causes


def test_send_queue_waits_out_slots_another_device_took(
    firestore: FirestoreRest,
    database: DatabaseRest,
    world: dt.datetime,
    firestore_emulator: str,
    database_emulator: str,
    tmp_path: Path,
) -> None:
    """mia sends from device 0, then device 1 takes the four other slots: device 0's next
    send is refused by the rules, explained as RateLimited from the stamp, and retried
    once the oldest slot is free, so the app sees a slower send, not an error."""
    hour_ago = world - dt.timedelta(hours=1)
    firestore.seed(
        {
            "rooms/r1/rateLimits/mia": {  # every slot free
                "lastMessageAt": hour_ago,
                "lastMessageId": "m-first",
                **{f"slot{i}": hour_ago for i in range(5)},
            }
        }
    )
    cases = [
        {"id": "first", "uid": "mia", "op": "send", "roomId": "r1"},
        {
            "id": "other device",
            "uid": "mia",
            "device": 1,
            "op": "burst",
            "count": 4,
            "roomId": "r1",
        },
        {"id": "paced", "uid": "mia", "op": "send", "roomId": "r1"},
    ]
    seen = _run(cases, firestore_emulator, database_emulator, database.namespace, tmp_path)
    assert [seen[c["id"]]["errorClass"] for c in cases] == ["none"] * 3, seen
    assert seen["other device"]["result"] < 4000  # four free slots: no waiting
    assert seen["paced"]["result"] >= 2500  # waited for device 0's own slot to free up
    stamp = firestore.read("rooms/r1/rateLimits/mia")
    assert stamp is not None
    assert len({stamp[f"slot{i}"] for i in range(5)}) == 5  # all five slots used once


def test_room_list_counts_unread_from_the_backends_counters(
    firestore: FirestoreRest,
    database: DatabaseRest,
    world: dt.datetime,
    firestore_emulator: str,
    database_emulator: str,
    tmp_path: Path,
) -> None:
    """With messageSeq on the room (the trigger's) and lastReadSeq on the receipt, unread is
    their difference (no count query: counting would say 8 here), and reading the room's
    last message writes its messageSeq into the receipt."""
    last_at = world - dt.timedelta(minutes=10)  # m-last, as world.py seeds it
    room = firestore.read("rooms/r1")
    assert room is not None
    summary = {
        "messageId": "m-last",
        "authorId": "mia",
        "kind": "text",
        "text": "hello",
        "createdAt": last_at,
        "deleted": False,
    }
    receipt = firestore.read("rooms/r1/receipts/alice")
    assert receipt is not None
    firestore.seed(
        {
            "rooms/r1": {**room, "messageSeq": 10, "lastMessage": summary},
            "rooms/r1/receipts/alice": {**receipt, "lastReadSeq": 4},
        }
    )

    case = {
        "id": "unread",
        "uid": "alice",
        "op": "unreadThenRead",
        "roomId": "r1",
        "messageId": "m-last",
    }
    seen = _run([case], firestore_emulator, database_emulator, database.namespace, tmp_path)

    assert seen["unread"]["errorClass"] == "none", seen
    assert seen["unread"]["result"] == {"before": 6, "moved": True, "after": 0}
    stored = firestore.read("rooms/r1/receipts/alice")
    assert stored is not None
    assert stored["lastReadSeq"] == 10 and stored["lastReadMessageId"] == "m-last"
