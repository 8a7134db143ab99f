"""storage.rules denies everything (files go to Cloudinary).

No Storage emulator runs offline, so the file is parsed with the project's rules parser
(the language is shared with Firestore) and its grants are checked: there must be none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from emulator.firestore_rules import syntax
from emulator.firestore_rules.parser import parse_rules

ROOT = Path(__file__).resolve().parents[2]


def _matches(matches: list[syntax.Match]) -> Iterator[syntax.Match]:
    for match in matches:
        yield match
        yield from _matches(match.matches)


def test_storage_rules_grant_nothing_anywhere() -> None:
    service = parse_rules((ROOT / "storage.rules").read_text())
    assert (service.name, service.version) == ("firebase.storage", "2")
    allows = [allow for match in _matches(service.matches) for allow in match.allows]
    assert allows, "an explicit deny-all keeps the intent visible"
    for allow in allows:
        assert isinstance(allow.condition, syntax.Literal), allow
        assert allow.condition.value is False, allow
    [bucket] = service.matches
    assert [s.text for s in bucket.pattern] == ["b", "bucket", "o"]
    assert any(s.recursive for m in bucket.matches for s in m.pattern)


def test_firebase_json_deploys_these_rules_files() -> None:
    config = json.loads((ROOT / "firebase.json").read_text())
    assert config["storage"]["rules"] == "storage.rules"
    assert config["firestore"] == {
        "rules": "firestore.rules",
        "indexes": "firestore.indexes.json",
        # Writes CLOUDINARY_CLOUD_NAME into firestore.rules first (docs/rules.md).
        "predeploy": ['python3 "$PROJECT_DIR/scripts/render_rules.py"'],
    }
    assert config["database"]["rules"] == "database.rules.json"
