"""client/js's own unit tests (node:test): send queue, pacer, checks, denial explanation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.node

CLIENT = Path(__file__).resolve().parents[2] / "client" / "js"


def test_client_unit_tests_pass() -> None:
    node = shutil.which("node")
    if not node or not (CLIENT / "dist" / "index.js").is_file():
        pytest.skip("needs node and a built client/js (bash scripts/bootstrap.sh)")
    run = subprocess.run(
        [node, "--test", "test/unit/"], cwd=CLIENT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
