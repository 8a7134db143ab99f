"""The rules table run straight through the engine (no server): same verdicts as REST."""

from __future__ import annotations

import pytest

from tests.emulator.firestore_rules.case_types import RulesCase
from tests.emulator.firestore_rules.cases import ALL_CASES
from tests.emulator.firestore_rules.engine_runner import decide


def test_table_has_at_least_150_cases() -> None:
    assert len(ALL_CASES) >= 150
    assert all(case.doc.startswith("https://firebase.google.com/docs/") for case in ALL_CASES)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.name)
def test_engine_verdict(case: RulesCase) -> None:
    decision = decide(case)
    assert decision.allowed is case.allowed, decision.message
    assert (decision.message == "") is case.allowed
