"""docs/client-guide.md's snippets, every ```js block run as written (setup and sign-in
included) with the real firebase JS SDK against the local stack, as a room's owner."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.dev.seed import DemoUser
from tests.support.database_rest import DatabaseRest
from tests.support.firestore_rest import FirestoreRest
from tests.support.functions_client import FunctionsClient

pytestmark = [pytest.mark.node, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent / "js" / "guide_snippets.mjs"


@pytest.fixture
def firestore(firestore_emulator: str, project_id: str) -> Iterator[FirestoreRest]:
    client = FirestoreRest(firestore_emulator, project_id)
    yield client
    client.close()


@pytest.fixture
def database(database_emulator: str, project_id: str) -> Iterator[DatabaseRest]:
    """The namespace the functions project memberships into (stack.json's databaseURL)."""
    client = DatabaseRest(database_emulator, project_id)
    yield client
    client.close()


def run_guide(
    stack: Path, owner: DemoUser, password: str, room_id: str, other: DemoUser, target: DemoUser
) -> dict[str, dict[str, Any]]:
    node = shutil.which("node")
    if not node or not (ROOT / "tests" / "js" / "node_modules" / "firebase").is_dir():
        pytest.skip("needs node and the firebase SDK in tests/js/node_modules (npm ci)")
    run = subprocess.run(
        [
            node,
            str(HARNESS),
            str(stack),
            owner.username,
            password,
            room_id,
            other.uid,
            other.id_token,
            target.uid,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return {line["step"]: line for line in map(json.loads, run.stdout.splitlines())}


def test_every_guide_snippet_runs_as_written(
    sign_up: Callable[[str], DemoUser],
    functions: FunctionsClient,
    password: str,
    stack_json: Path,
    firestore: FirestoreRest,
    database: DatabaseRest,
) -> None:
    mia, alice, carol = sign_up("mia"), sign_up("alice"), sign_up("carol")
    room_id = functions.call(
        "create_room",
        {"kind": "group", "name": "Guide", "memberIds": [alice.uid, carol.uid]},
        mia.id_token,
    )["roomId"]

    steps = run_guide(stack_json, mia, password, room_id, alice, carol)

    assert all(line["ok"] for line in steps.values()), steps
    # imports, setup, one step per other block, and the dropped connection
    assert len(steps) == 14, sorted(steps)
    assert steps["setup"] == {"step": "setup", "ok": True, "uid": mia.uid, "signedIn": True}
    assert room_id in steps["sidebar"]["rooms"]
    send = steps["send"]
    assert send["tooSoon"] == "permission-denied"  # the sixth message within 5 seconds
    assert steps["read"] == {
        "step": "read",
        "ok": True,
        "timelineHasReply": False,
        "replies": [send["replyId"]],
    }
    assert steps["moderatorDelete"] == {
        "step": "moderatorDelete",
        "ok": True,
        "deletedBy": mia.uid,
        "text": "",
    }
    assert steps["moderation"]["bans"] == []  # banned, then unbanned
    report = firestore.read(f"rooms/{room_id}/reports/{steps['moderation']['reportId']}")
    assert report is not None and report["status"] == "resolved"
    assert steps["react"]["left"] is False  # the snippet adds, then removes the reaction
    receipt_step = steps["receipt"]
    assert receipt_step["readBy"] == [mia.uid] and receipt_step["readByOlder"] == [mia.uid]
    assert steps["editDelete"] == {
        "step": "editDelete",
        "ok": True,
        "text": "",
        "edited": True,
        "deleted": True,
    }
    assert steps["typing"]["typers"] == [alice.uid]  # typing works: the right ?ns=
    assert steps["presence"]["other"] == alice.uid and steps["presence"]["online"] is True
    assert steps["push"]["token"] == f"fake-fcm-token-{mia.uid}"
    reply = firestore.read(f"rooms/{room_id}/messages/{send['replyId']}")
    assert reply is not None and reply["parentId"] == send["id"]
    receipt = firestore.read(f"rooms/{room_id}/receipts/{mia.uid}")
    assert receipt == {"lastReadMessageId": send["replyId"], "lastReadAt": reply["createdAt"]}
    # The connection dropped after typing again: the guide's onDisconnect clean-ups ran.
    assert database.read(f"typing/{room_id}/{mia.uid}") is None
    assert not database.read(f"status/{mia.uid}/connections")
    assert database.read(f"status/{mia.uid}/lastSeen") is not None
    # carol was banned and unbanned by the moderation snippet: no longer a member.
    assert (
        functions.call("check_membership", {"roomId": room_id}, carol.id_token)["isMember"] is False
    )
