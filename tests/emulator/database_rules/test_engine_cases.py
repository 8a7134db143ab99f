"""The rules table evaluated directly by the engine (no server)."""

from __future__ import annotations

import json
import time

import pytest

from emulator.database_rules import auth_from_claims, load_rules

from .case_types import Read, RulesCase
from .cases import ALL_CASES
from .operations import apply_writes, read_query, written_paths


def decide(case: RulesCase) -> tuple[bool, str]:
    """Run one case through load_rules + can_read / can_write."""
    engine = load_rules(json.dumps({"rules": case.rules}))
    auth = auth_from_claims(case.auth)
    now_ms = int(time.time() * 1000)
    if isinstance(case.op, Read):
        decision = engine.can_read(case.op.path, auth, case.data, now_ms, read_query(case.op.query))
    else:
        updates = written_paths(case.op)
        after = apply_writes(case.data, updates)
        decision = engine.can_write(updates, auth, case.data, after, now_ms)
    return decision.allowed, decision.reason


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.name)
def test_case(case: RulesCase) -> None:
    allowed, reason = decide(case)
    assert allowed is case.allowed, reason


def test_table_is_large_and_cited() -> None:
    assert len(ALL_CASES) >= 80
    assert len({case.name for case in ALL_CASES}) == len(ALL_CASES)
    assert all(case.doc.startswith("https://firebase.google.com/docs/") for case in ALL_CASES)
    verdicts = {case.allowed for case in ALL_CASES}
    assert verdicts == {True, False}
