"""The project's own rules files load, and a few of their key decisions hold in the engine."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from emulator.database_rules import auth_from_claims, load_rules

from .case_types import user

ROOT = Path(__file__).resolve().parents[3]
RULES_FILES = [ROOT / "database.rules.json", ROOT / "tests/emulator/database/test.rules.json"]


@pytest.mark.parametrize("path", [p for p in RULES_FILES if p.exists()], ids=lambda p: p.name)
def test_rules_file_loads(path: Path) -> None:
    assert load_rules(path.read_text()) is not None


def test_auth_from_claims_builds_the_rules_auth_variable() -> None:
    claims = user("alice", provider="password", email="a@example.com")
    auth = auth_from_claims(claims)
    assert auth == {"uid": "alice", "provider": "password", "token": claims}
    assert auth_from_claims(None) is None
    assert auth_from_claims({"sub": "bot"}) == {
        "uid": "bot",
        "provider": "custom",
        "token": {"sub": "bot"},
    }


def test_engine_decisions_carry_a_reason() -> None:
    engine = load_rules('{"rules": {"a": {".write": true, ".validate": "newData.isNumber()"}}}')
    now = int(time.time() * 1000)
    denied_write = engine.can_write({"b": 1}, None, None, {"b": 1}, now)
    invalid = engine.can_write({"a": "x"}, None, None, {"a": "x"}, now)
    denied_read = engine.can_read("a", None, None, now)
    assert (denied_write.allowed, denied_write.reason) == (False, "no .write rule grants /b")
    assert (invalid.allowed, invalid.reason) == (False, ".validate failed at /a")
    assert (denied_read.allowed, denied_read.reason) == (False, "no .read rule grants /a")


def test_query_in_write_rules_sees_no_query() -> None:
    engine = load_rules(
        '{"rules": {"x": {".write": "!query.orderByKey && '
        'query.limitToFirst == null"}, "y": {".write": "query.orderByKey"}}}'
    )
    assert engine.can_write({"x": 1}, None, None, {"x": 1}, 0).allowed
    assert not engine.can_write({"y": 1}, None, None, {"y": 1}, 0).allowed


def test_empty_update_is_allowed() -> None:
    engine = load_rules('{"rules": {}}')
    assert engine.can_write({}, None, None, None, 0).allowed


def test_leading_and_trailing_slashes_are_ignored() -> None:
    engine = load_rules('{"rules": {"a": {"b": {".read": true}}}}')
    assert engine.can_read("/a/b/", None, None, 0).allowed
    assert not engine.can_read("/a/", None, None, 0).allowed
