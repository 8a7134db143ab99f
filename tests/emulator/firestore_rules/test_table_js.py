"""The rules table sent by the official firebase JS SDK (firestore/lite) under Node, for
every case the SDK can express: allowed requests succeed, denied ones fail with
permission-denied."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator.firestore_rules.case_types import RulesCase
from tests.emulator.firestore_rules.cases import ALL_CASES
from tests.emulator.firestore_rules.conftest import RULES_PROJECT
from tests.emulator.firestore_rules.js_runner import LiteDriver, expressible, sdk_available
from tests.emulator.firestore_rules.rest_runner import DENIAL, RestRunner

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(not sdk_available(), reason="needs node and tests/js/node_modules"),
]
JS_CASES = [case for case in ALL_CASES if expressible(case)]


@pytest.fixture(scope="module")
def lite_driver(rules_emulator_address: str) -> Iterator[LiteDriver]:
    driver = LiteDriver(rules_emulator_address, RULES_PROJECT)
    try:
        yield driver
    finally:
        driver.close()


def test_most_cases_are_expressible() -> None:
    assert len(JS_CASES) >= 250


@pytest.mark.parametrize("case", JS_CASES, ids=lambda case: case.name)
def test_js_sdk_verdict(case: RulesCase, rest_runner: RestRunner, lite_driver: LiteDriver) -> None:
    rest_runner.put_rules_for(case)
    answer = lite_driver.act(case)
    if case.allowed:
        assert answer == {"ok": True}, answer
    else:
        assert answer.get("error") == "permission-denied", answer
        assert DENIAL.search(answer["message"]), answer
