"""scripts/dev's project folder for the Firebase CLI: its hub moved off the project hub's port."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.dev.firebase_cli import CliPorts, sandbox_project

ROOT = Path(__file__).resolve().parents[2]


def test_firebase_json_names_the_project_hub() -> None:
    emulators = json.loads((ROOT / "firebase.json").read_text())["emulators"]
    assert emulators["hub"] == {"host": "127.0.0.1", "port": 4400}
    assert CliPorts().hub != emulators["hub"]["port"]


def test_shared_functions_are_linked_and_hub_moved(tmp_path: Path) -> None:
    project = sandbox_project(ROOT, tmp_path / "p", CliPorts(), share_functions=True)
    assert (project / "functions").resolve() == (ROOT / "functions").resolve()
    config = json.loads((project / "firebase.json").read_text())
    assert config["emulators"]["hub"]["port"] == CliPorts().hub
    assert config["emulators"]["functions"]["port"] == 5001
    # Again (a second run), and then as a copy: the link is replaced, functions/ untouched.
    sandbox_project(ROOT, tmp_path / "p", CliPorts(), share_functions=True)
    copied = sandbox_project(ROOT, tmp_path / "p", CliPorts())
    assert not (copied / "functions").is_symlink()
    assert (copied / "functions" / "main.py").is_file()
    assert (ROOT / "functions" / "main.py").is_file()


def test_hosting_serves_the_given_site(tmp_path: Path) -> None:
    site = tmp_path / "p" / "hosting"
    project = sandbox_project(ROOT, tmp_path / "p", CliPorts(), hosting_site=site)
    config = json.loads((project / "firebase.json").read_text())
    assert config["hosting"]["public"] == "hosting"  # relative: an absolute one serves nothing
    # An SPA: every path falls back to index.html; nothing hides the dot-folder it lives in.
    assert config["hosting"]["rewrites"] == [{"source": "**", "destination": "/index.html"}]
    assert "ignore" not in config["hosting"]
    assert config["emulators"]["hosting"]["port"] == CliPorts().hosting
    assert "hosting" not in json.loads(
        (sandbox_project(ROOT, tmp_path / "q", CliPorts()) / "firebase.json").read_text()
    )
