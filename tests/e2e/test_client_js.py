"""client/js (@flowchat/client) under Node against the local stack: the CLI's Auth and
Functions emulators, the project's Firestore + RTDB emulator and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.node, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client" / "js"


@pytest.fixture(scope="module")
def node() -> str:
    """node, with client/js installed and built (scripts/bootstrap.sh)."""
    found = shutil.which("node")
    if not found or not (CLIENT / "dist" / "index.js").is_file():
        pytest.skip("needs node and a built client/js (bash scripts/bootstrap.sh)")
    return found


def run_driver(node: str, driver: str, stack: Path, timeout: float = 300) -> dict[str, Any]:
    """Runs client/js/test/<driver>; returns its steps by name (all must have run)."""
    run = subprocess.run(
        [node, f"test/{driver}", str(stack)],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    steps = {line["step"]: line for line in map(json.loads, run.stdout.splitlines())}
    assert run.returncode == 0 and "done" in steps, run.stdout + run.stderr
    return steps


def test_two_users_chat_through_the_client(node: str, stack_json: Path) -> None:
    steps = run_driver(node, "chat_flow.mjs", stack_json)
    failed = {name: line for name, line in steps.items() if not line["ok"]}
    assert not failed, failed

    sign_in = steps["signIn"]
    assert sign_in["loginSameUid"] and sign_in["current"]
    assert steps["wrongPassword"]["errorClass"] == "CallableError"
    assert steps["wrongPassword"]["code"] == "callable/unauthenticated"
    room = steps["createRoom"]
    assert room["created"] is True
    assert room["members"] == sorted([sign_in["aliceUid"], sign_in["bobUid"]])
    assert room["invitation"] == {"roomName": "Client flow", "invitedBy": sign_in["aliceUid"]}

    burst = steps["sendBurst"]
    texts = ["one", "two", "three", "four", "five", "six", "seven"]
    assert burst["order"][-7:] == texts  # kept in order
    assert len(set(burst["ids"])) == 7
    # Paced instead of refused: five pass at once (five slots), the sixth waits for the
    # first slot to be free again, a window (5 s) later.
    assert burst["elapsedMs"] >= 4500

    retry = steps["idempotentRetry"]
    assert retry["copies"] == 1

    assert steps["unread"]["unread"] == 8  # seven plus one, all newer than bob's receipt

    thread = steps["thread"]
    assert thread["replies"] == ["a reply"] and thread["timelineHasReply"] is False
    assert thread["deep"]["errorClass"] == "ThreadTooDeep"

    reactions = steps["reactions"]
    assert reactions["left"] == [sign_in["aliceUid"]]
    assert reactions["bad"]["errorClass"] == "InvalidReaction"

    edit = steps["editDelete"]
    assert edit["text"] == ""
    assert edit["notAuthor"]["errorClass"] == "NotTheAuthor"
    assert edit["again"]["errorClass"] == "MessageDeleted"

    receipts = steps["receipts"]
    assert receipts["moved"] is True and receipts["older"] is False
    assert receipts["seenBy"] == [sign_in["bobUid"]]
    assert receipts["unread"] == 0

    history = steps["history"]
    assert history["firstCount"] == 3 and history["secondCount"] == 3
    assert history["distinct"] == 6 and history["newestFirst"] is True

    older = steps["olderThan"]  # top-level only, continuing without overlap
    assert older["counts"] == [2, 3, 3] and older["distinct"] == 8
    assert older["replies"] == 0 and older["ordered"] is True

    assert steps["hideRoom"] == {"step": "hideRoom", "ok": True, "hidden": True, "shown": True}

    blocks = steps["blocks"]
    assert blocks["flag"] == "blocked"
    assert blocks["blocked"] == {"errorClass": "Blocked", "code": "blocked"}
    assert blocks["blockedRead"] == {"errorClass": "Blocked", "code": "blocked"}
    assert blocks["blocking"] == {"errorClass": "Blocked", "code": "blocked"}
    assert blocks["blockingReads"] == 1 and blocks["sentAfter"] == "string"

    assert steps["search"]["users"] == [sign_in["bobUid"]]
    # The message index is filled by the message trigger, which this stack does not run.
    assert steps["search"]["messages"] == []

    errors = steps["typedErrors"]
    assert errors["tooLong"]["errorClass"] == "MessageTooLong"
    assert errors["notMember"]["errorClass"] == "NotAMember"
    assert errors["notMemberListen"] == "NotAMember"
    assert errors["callable"]["code"] in ("callable/permission-denied", "callable/not-found")
