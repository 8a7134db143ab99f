"""``python -m emulator.firestore_rules`` reports which rules files load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from emulator.firestore_rules.__main__ import main

ROOT = Path(__file__).resolve().parents[3]


def test_good_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.rules"
    bad.write_text("service cloud.firestore { match /a/{b} { allow get: if nope; } }")
    assert main([str(ROOT / "firestore.rules"), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("firestore.rules: ok")
    assert out[1] == f"{bad}: L1: unknown variable 'nope'"


def test_missing_file_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.rules")]) == 1
    assert main([]) == 2


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "emulator.firestore_rules", str(ROOT / "firestore.rules")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("firestore.rules: ok")
