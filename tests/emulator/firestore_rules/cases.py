"""The whole Firestore rules table (each group cites the Firebase page its verdicts follow)."""

from __future__ import annotations

from tests.emulator.firestore_rules.case_types import RulesCase
from tests.emulator.firestore_rules.cases_conditions import CONDITION_CASES
from tests.emulator.firestore_rules.cases_language import LANGUAGE_CASES
from tests.emulator.firestore_rules.cases_queries import QUERY_CASES
from tests.emulator.firestore_rules.cases_structure import STRUCTURE_CASES

ALL_CASES: list[RulesCase] = STRUCTURE_CASES + CONDITION_CASES + QUERY_CASES + LANGUAGE_CASES


def _unique_names(cases: list[RulesCase]) -> list[RulesCase]:
    names = [case.name for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise AssertionError(f"duplicate case names: {sorted(duplicates)}")
    return cases


_unique_names(ALL_CASES)
