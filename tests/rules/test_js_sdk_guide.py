"""The client guide's Firestore snippets, run as written with the real firebase JS SDK."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.database.node_process import requires_node
from tests.rules.database_rest import DatabaseRest
from tests.rules.firestore_rest import FirestoreRest
from tests.support.id_tokens import OWNER

pytestmark = [pytest.mark.node, requires_node]

DRIVER = Path(__file__).resolve().parent / "js" / "guide_messages.mjs"


def _without_stamp(firestore: FirestoreRest, uid: str) -> None:
    """The user starts with all five rate-limit slots free (the seeded stamp has one)."""
    firestore.commit([firestore.delete_write(f"rooms/r1/rateLimits/{uid}")], OWNER)


def _run_guide(firestore_emulator: str, uid: str) -> dict[str, dict[str, Any]]:
    host, port = firestore_emulator.split(":")
    node = shutil.which("node")
    assert node is not None
    run = subprocess.run([node, str(DRIVER), host, port, uid, "r1"], capture_output=True,
                         text=True, timeout=90)
    assert run.returncode == 0, run.stderr
    return {line["step"]: line for line in map(json.loads, run.stdout.splitlines())}


def test_client_guide_operations_pass_the_rules_as_written(
    firestore: FirestoreRest, world: dt.datetime, firestore_emulator: str,
) -> None:
    _without_stamp(firestore, "mia")
    steps = _run_guide(firestore_emulator, "mia")

    allowed = ["send", "delivered", "reply", "edit", "react", "changeReaction", "unreact",
               "markRead", "softDelete"]
    assert {name: steps[name]["ok"] for name in allowed} == dict.fromkeys(allowed, True)
    denied = ["sendTooSoon", "markReadBack", "editDeleted"]
    assert {name: steps[name].get("code") for name in denied} == dict.fromkeys(
        denied, "permission-denied")
    message_id = steps["send"]["id"]
    assert steps["delivered"]["id"] == message_id and steps["markRead"]["marked"] is True
    message = firestore.read(f"rooms/r1/messages/{message_id}")
    assert message is not None
    assert message["text"] == "" and message["attachments"] == []
    assert message["editedAt"] < message["deletedAt"]
    reply = firestore.read(f"rooms/r1/messages/{steps['reply']['id']}")
    assert reply is not None and reply["parentId"] == message_id
    assert firestore.read(f"rooms/r1/messages/{steps['sendTooSoon'].get('id', 'none')}") is None
    assert firestore.read(f"rooms/r1/messages/{message_id}/reactions/mia") is None
    receipt = firestore.read("rooms/r1/receipts/mia")
    assert receipt == {"lastReadMessageId": message_id, "lastReadAt": message["createdAt"]}


def test_client_guide_is_refused_to_a_removed_member(
    firestore: FirestoreRest, world: dt.datetime, firestore_emulator: str,
) -> None:
    """rita was removed from r1: every step of the guide is refused, her old message included."""
    before = firestore.read("rooms/r1/messages/m-rita")
    steps = _run_guide(firestore_emulator, "rita")
    outcomes = {name: (line["ok"], line.get("code")) for name, line in steps.items()}
    assert outcomes == dict.fromkeys(steps, (False, "permission-denied"))
    assert len(steps) == 12
    assert firestore.read("rooms/r1/messages/m-rita") == before


SNIPPETS = Path(__file__).resolve().parent / "js" / "guide_snippets.mjs"


def _run_snippets(firestore_emulator: str, database_emulator: str, namespace: str,
                  uid: str, other: str) -> dict[str, dict[str, Any]]:
    node = shutil.which("node")
    assert node is not None
    run = subprocess.run(
        [node, str(SNIPPETS), *firestore_emulator.split(":"), *database_emulator.split(":"),
         namespace, uid, other, "r1"], capture_output=True, text=True, timeout=90)
    assert run.returncode == 0, run.stdout + run.stderr
    return {line["step"]: line for line in map(json.loads, run.stdout.splitlines())}


def test_every_guide_snippet_runs_verbatim(
    firestore: FirestoreRest, world: dt.datetime, database: DatabaseRest, rtdb_world: int,
    firestore_emulator: str, database_emulator: str,
) -> None:
    """Each ```js block of docs/client-guide.md, run as written in strict mode, does its job."""
    database.delete("typing/r1", OWNER).raise_for_status()  # seeded typers are all fresh
    _without_stamp(firestore, "mia")
    steps = _run_snippets(firestore_emulator, database_emulator, database.namespace,
                          "mia", "alice")

    assert all(line["ok"] for line in steps.values()), steps
    assert len(steps) == 10  # imports + one step per block (setup checked by its imports)
    assert "r1" in steps["sidebar"]["rooms"]
    send = steps["send"]
    assert send["tooSoon"] == "permission-denied"
    assert steps["read"] == {"step": "read", "ok": True, "timelineHasReply": False,
                             "replies": [send["replyId"]]}
    assert steps["react"]["left"] is False  # the snippet adds, then removes the reaction
    assert steps["receipt"]["readBy"] == ["mia"] and steps["receipt"]["readByOlder"] == ["mia"]
    assert steps["editDelete"] == {"step": "editDelete", "ok": True, "text": "",
                                   "edited": True, "deleted": True}
    assert steps["typing"]["typers"] == ["alice"]
    assert steps["presence"]["other"] == "alice" and steps["presence"]["online"] is True
    reply = firestore.read(f"rooms/r1/messages/{send['replyId']}")
    assert reply is not None and reply["parentId"] == send["id"]
    receipt = firestore.read("rooms/r1/receipts/mia")
    assert receipt == {"lastReadMessageId": send["replyId"], "lastReadAt": reply["createdAt"]}
    # The connection dropped after typing again: the guide's onDisconnect clean-ups ran.
    assert database.read("typing/r1/mia") is None
    sessions = database.read("status/mia/connections")
    assert set(sessions) == {"s1"}  # the seeded session; the guide's own one is gone
    assert database.read("status/mia/lastSeen") >= rtdb_world
