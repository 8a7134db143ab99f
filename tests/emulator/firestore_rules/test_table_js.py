"""The rules table sent by the official firebase JS SDK under Node — firestore/lite (REST)
and the full SDK (gRPC) — for every case the SDK can express: allowed requests succeed,
denied ones fail with permission-denied and the emulator's message."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator.firestore_rules.case_types import RulesCase
from tests.emulator.firestore_rules.cases import ALL_CASES
from tests.emulator.firestore_rules.conftest import RULES_PROJECT
from tests.emulator.firestore_rules.js_runner import SdkDriver, expressible, sdk_available
from tests.emulator.firestore_rules.rest_runner import DENIAL, RestRunner

pytestmark = [
    pytest.mark.node,
    pytest.mark.slow,
    pytest.mark.skipif(not sdk_available(), reason="needs node and tests/js/node_modules"),
]
JS_CASES = [case for case in ALL_CASES if expressible(case)]


@pytest.fixture(scope="module", params=["lite", "full"])
def sdk_driver(request: pytest.FixtureRequest, rules_emulator_address: str) -> Iterator[SdkDriver]:
    driver = SdkDriver(rules_emulator_address, RULES_PROJECT, request.param)
    try:
        yield driver
    finally:
        driver.close()


def test_most_cases_are_expressible() -> None:
    assert len(JS_CASES) >= 250


@pytest.mark.parametrize("case", JS_CASES, ids=lambda case: case.name)
def test_js_sdk_verdict(case: RulesCase, rest_runner: RestRunner, sdk_driver: SdkDriver) -> None:
    rest_runner.put_rules_for(case)
    answer = sdk_driver.act(case)
    if case.allowed:
        assert answer == {"ok": True}, answer
    else:
        assert answer.get("error") == "permission-denied", answer
        assert DENIAL.search(answer["message"]), answer
