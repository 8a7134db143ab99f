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
from tests.support.firestore_rest import FirestoreRest
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
    run = subprocess.run(
        [node, str(DRIVER), host, port, uid, "r1"], capture_output=True, text=True, timeout=90
    )
    assert run.returncode == 0, run.stderr
    return {line["step"]: line for line in map(json.loads, run.stdout.splitlines())}


def test_client_guide_operations_pass_the_rules_as_written(
    firestore: FirestoreRest,
    world: dt.datetime,
    firestore_emulator: str,
) -> None:
    _without_stamp(firestore, "mia")
    steps = _run_guide(firestore_emulator, "mia")

    allowed = [
        "send",
        "delivered",
        "reply",
        "edit",
        "react",
        "changeReaction",
        "unreact",
        "markRead",
        "softDelete",
    ]
    assert {name: steps[name]["ok"] for name in allowed} == dict.fromkeys(allowed, True)
    denied = ["sendTooSoon", "markReadBack", "editDeleted"]
    assert {name: steps[name].get("code") for name in denied} == dict.fromkeys(
        denied, "permission-denied"
    )
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
    firestore: FirestoreRest,
    world: dt.datetime,
    firestore_emulator: str,
) -> None:
    """rita was removed from r1: every step of the guide is refused, her old message included."""
    before = firestore.read("rooms/r1/messages/m-rita")
    steps = _run_guide(firestore_emulator, "rita")
    outcomes = {name: (line["ok"], line.get("code")) for name, line in steps.items()}
    assert outcomes == dict.fromkeys(steps, (False, "permission-denied"))
    assert len(steps) == 12
    assert firestore.read("rooms/r1/messages/m-rita") == before
