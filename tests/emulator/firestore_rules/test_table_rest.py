"""The rules table through the emulator's REST API, as clients send requests: the primary
runner. Allowed requests answer 200; denied ones 403 PERMISSION_DENIED and change nothing."""

from __future__ import annotations

import pytest

from tests.emulator.firestore_rules.case_types import Batch, Delete, RulesCase, Transaction
from tests.emulator.firestore_rules.cases import ALL_CASES
from tests.emulator.firestore_rules.rest_runner import DENIAL, RestRunner, written_paths


def _expected_existence(case: RulesCase) -> dict[str, bool]:
    """Which touched documents exist after the request, given the verdict."""
    expected = {path: path in case.seed for path in written_paths(case.request)}
    if case.allowed and expected:
        request = case.request
        writes = request.writes if isinstance(request, Batch | Transaction) else (request,)
        for write in writes:
            expected[write.path] = not isinstance(write, Delete)
    return expected


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.name)
def test_rest_verdict(case: RulesCase, rest_runner: RestRunner) -> None:
    outcome = rest_runner.run(case)
    if case.allowed:
        assert outcome.allowed, outcome.body
    else:
        assert outcome.denied, outcome.body
        assert DENIAL.search(outcome.body["error"]["message"]), outcome.body
    for path, exists in _expected_existence(case).items():
        assert rest_runner.exists_as_owner(path) is exists, path
