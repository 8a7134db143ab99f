"""``@firebase/rules-unit-testing`` (5.x) on the project's rules, finding the in-process
emulators through FIREBASE_EMULATOR_HUB alone; ``withFunctionTriggersDisabled`` included."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.local_emulators import running_stack

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "tests" / "rules_unit_testing"
SAMPLE = ROOT / "tests" / "emulator" / "triggers" / "sample_functions.py"
PROJECT = "demo-flowchat"
# Variables that would tell the tool where an emulator is without asking the hub.
HOST_VARIABLES = (
    "FIRESTORE_EMULATOR_HOST",
    "FIREBASE_DATABASE_EMULATOR_HOST",
    "FIREBASE_STORAGE_EMULATOR_HOST",
    "FIREBASE_EMULATOR_HUB",
)

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def stack() -> Iterator[Any]:
    """Firestore + RTDB + hub on free ports, the sample functions' triggers attached."""
    settings = {"hub_port": 0, "project_id": PROJECT, "functions_source": str(SAMPLE)}
    with running_stack(**settings) as running:
        yield running


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    assert (PACKAGE / "node_modules" / "@firebase" / "rules-unit-testing").is_dir(), (
        "run bash scripts/bootstrap.sh (installs tests/rules_unit_testing)"
    )
    return node


def test_rules_unit_testing_runs_through_the_hub(stack: Any) -> None:
    from emulator.triggers.loader import load_module

    received = load_module(SAMPLE).received
    received.clear()
    env = {k: v for k, v in os.environ.items() if k not in HOST_VARIABLES}
    env |= {"FIREBASE_EMULATOR_HUB": stack.hub_address, "RULES_TEST_PROJECT": PROJECT}
    done = subprocess.run(
        [_node(), "--test", "--test-reporter=tap", "rules.test.mjs"],
        cwd=PACKAGE,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# pass 4" in done.stdout and "# fail 0" in done.stdout, done.stdout[-2000:]
    assert stack.triggers.wait_idle(10)
    created = [r["params"]["logId"] for r in received if r["name"] == "log_created"]
    # Seeded four times inside withFunctionTriggersDisabled: no event; written after: one.
    assert created == ["written-after"]
    assert stack.triggers.enabled
