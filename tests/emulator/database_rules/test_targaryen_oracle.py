"""Cross-check: the rules table's verdicts agree with targaryen, an independent simulator
of Realtime Database rules that was checked against live Firebase by its authors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from emulator.database_rules import auth_from_claims

from .case_types import Read, RulesCase, Set
from .cases import ALL_CASES

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE.parents[2] / "tests" / "js" / "node_modules"

pytestmark = pytest.mark.node


def node_env() -> dict[str, str]:
    """NODE_PATH with tests/js/node_modules first, then whatever the caller set."""
    paths = [str(NODE_MODULES), os.environ.get("NODE_PATH", "")]
    return {**os.environ, "NODE_PATH": os.pathsep.join(p for p in paths if p)}


def targaryen_available() -> bool:
    """True when node can load the targaryen package."""
    if shutil.which("node") is None:
        return False
    probe = subprocess.run(
        ["node", "-e", "require.resolve('targaryen')"],
        env=node_env(),
        capture_output=True,
        timeout=30,
        check=False,
    )
    return probe.returncode == 0


def as_json(case: RulesCase, now_ms: int) -> dict:
    """The case in the oracle's input format."""
    op = case.op
    if isinstance(op, Read):
        body = {
            "kind": "read",
            "path": op.path,
            "query": {key: json.loads(value) for key, value in op.query.items()},
        }
    elif isinstance(op, Set):
        body = {"kind": "set", "path": op.path, "value": op.value}
    else:
        body = {"kind": "update", "path": op.path, "values": op.values}
    return {
        "rules": {"rules": case.rules},
        "data": case.data,
        "now": now_ms,
        "auth": auth_from_claims(case.auth),
        "op": body,
    }


@pytest.mark.skipif(not targaryen_available(), reason="npm package targaryen not installed")
def test_table_agrees_with_targaryen() -> None:
    now_ms = int(time.time() * 1000)
    payload = json.dumps([as_json(case, now_ms) for case in ALL_CASES])
    result = subprocess.run(
        ["node", str(HERE / "targaryen_oracle.cjs")],
        input=payload,
        env=node_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    verdicts = json.loads(result.stdout)
    disagreements = [
        (case.name, case.allowed, verdict)
        for case, verdict in zip(ALL_CASES, verdicts, strict=True)
        if verdict is not case.allowed
    ]
    assert disagreements == []
