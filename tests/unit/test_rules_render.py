"""firestore.rules' Cloudinary block is rendered from one place (scripts/render_rules.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import render_rules

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_rules_are_the_render_for_the_demo_cloud() -> None:
    current = (ROOT / "firestore.rules").read_text()
    assert render_rules.render(current, "demo-flowchat") == current


def test_check_mode_passes_on_the_committed_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDINARY_CLOUD_NAME", raising=False)
    monkeypatch.delenv("GCLOUD_PROJECT", raising=False)
    assert render_rules.main(["--check"]) == 0


def test_another_cloud_changes_only_the_generated_block(tmp_path: Path) -> None:
    rules = tmp_path / "firestore.rules"
    original = (ROOT / "firestore.rules").read_text()
    rules.write_text(original)
    script = ROOT / "scripts" / "render_rules.py"
    args = [sys.executable, str(script), "--cloud", "acme-prod", "--rules", str(rules)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    rendered = rules.read_text()
    assert "return 'acme-prod';" in rendered
    assert "res[.]cloudinary[.]com/acme-prod/(image|video|raw)/upload/" in rendered
    assert "demo-flowchat" not in rendered
    outside = render_rules.BLOCK.sub("", rendered)
    assert outside == render_rules.BLOCK.sub("", original)
    check = subprocess.run([*args, "--check"], capture_output=True, timeout=60)
    assert check.returncode == 0
    demo = [
        sys.executable,
        str(script),
        "--cloud",
        "demo-flowchat",
        "--check",
        "--rules",
        str(rules),
    ]
    assert subprocess.run(demo, capture_output=True, timeout=60).returncode == 1


def test_the_cloud_is_read_from_the_functions_env_of_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOUDINARY_CLOUD_NAME", raising=False)
    monkeypatch.setattr(render_rules, "ROOT", tmp_path)
    (tmp_path / "functions").mkdir()
    (tmp_path / "functions" / ".env").write_text("CLOUDINARY_CLOUD_NAME=from-env\n")
    (tmp_path / "functions" / ".env.prod-app").write_text('CLOUDINARY_CLOUD_NAME="per-project"\n')
    monkeypatch.setenv("GCLOUD_PROJECT", "prod-app")
    assert render_rules.configured_cloud() == "per-project"
    monkeypatch.setenv("GCLOUD_PROJECT", "other-app")
    assert render_rules.configured_cloud() == "from-env"


@pytest.mark.parametrize("cloud", ["demo.flowchat", "a|b", "x')", "", "a/b"])
def test_a_cloud_name_that_is_not_regex_literal_is_refused(cloud: str) -> None:
    with pytest.raises((ValueError, SystemExit)):
        render_rules.render((ROOT / "firestore.rules").read_text(), cloud or "-" * 200)


def test_firebase_deploy_renders_the_rules_first() -> None:
    config = json.loads((ROOT / "firebase.json").read_text())
    [hook] = config["firestore"]["predeploy"]
    assert re.search(r"python3? .*scripts/render_rules\.py", hook)
