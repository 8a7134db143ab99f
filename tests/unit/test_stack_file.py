""".local/stack.json: what scripts/dev.sh tells clients about the running stack."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.dev import stack_file
from scripts.dev.__main__ import parse_args
from scripts.dev.firebase_cli import BackendTargets, CliPorts
from scripts.dev.seed import DemoData, DemoUser

TARGETS = BackendTargets(
    "postgresql://x", "127.0.0.1:18080", "127.0.0.1:19000", "demo-flowchat", "127.0.0.1:14400"
)
PORTS = CliPorts(auth=19099, functions=15001, hub=14401, logging=14500, eventarc=19299, tasks=19499)


def test_describes_every_address_a_client_connects_to() -> None:
    stack = stack_file.describe(TARGETS, PORTS)
    assert stack["projectId"] == "demo-flowchat"
    assert stack["auth"] == {"host": "127.0.0.1", "port": 19099, "url": "http://127.0.0.1:19099"}
    assert stack["functions"]["url"] == "http://127.0.0.1:15001/demo-flowchat/us-central1"
    assert stack["firestore"] == {"host": "127.0.0.1", "port": 18080}
    # The namespace the functions project memberships into (their RTDB_URL): the same ?ns=.
    assert stack["database"]["namespace"] == "demo-flowchat"
    assert stack["database"]["url"] == "http://127.0.0.1:19000/?ns=demo-flowchat"
    assert TARGETS.functions_env()["RTDB_URL"] == stack["database"]["url"]
    assert stack["hub"] == {"host": "127.0.0.1", "port": 14400}
    assert "demo" not in stack


def test_lists_the_demo_users_and_rooms() -> None:
    data = DemoData(
        users={"alice": DemoUser("alice", "u-a", "token")},
        rooms={"general": "r-1"},
        members={"r-1": ["u-a"]},
    )
    demo = stack_file.describe(TARGETS, PORTS, data)["demo"]
    assert demo["users"] == [{"username": "alice", "uid": "u-a", "displayName": "Alice Liddell"}]
    assert demo["rooms"] == [{"name": "general", "roomId": "r-1", "memberIds": ["u-a"]}]
    assert demo["password"]


def test_written_whole_and_removed_only_while_still_ours(tmp_path: Path) -> None:
    ours = stack_file.describe(TARGETS, PORTS)
    path = stack_file.write(tmp_path / "local" / "stack.json", ours)
    assert json.loads(path.read_text()) == ours
    assert not list(path.parent.glob("*.tmp"))
    newer = {**ours, "projectId": "another-run"}
    stack_file.write(path, newer)
    stack_file.remove_if_unchanged(path, ours)  # another stack wrote its own: kept
    assert json.loads(path.read_text()) == newer
    stack_file.remove_if_unchanged(path, newer)
    assert not path.exists()
    stack_file.remove_if_unchanged(path, newer)  # already gone: no error


def test_dev_script_takes_a_stack_file_path(tmp_path: Path) -> None:
    assert parse_args([]).stack_file is None  # .local/stack.json, or none with --check
    assert parse_args(["--stack-file", str(tmp_path / "s.json")]).stack_file == tmp_path / "s.json"
