"""Denials are worded as the official emulator words them: "<reason> for '<method>' @ L<n>",
one clause per evaluated allow, joined by ", "; REST carries them in a 403."""

from __future__ import annotations

from emulator.firestore.values import Timestamp
from emulator.firestore_rules import AccessRequest, load_ruleset
from tests.emulator.firestore_rules.case_types import ALICE, Create, RulesCase, rules_file
from tests.emulator.firestore_rules.engine_runner import MemoryReader
from tests.emulator.firestore_rules.rest_runner import RestRunner

RULES = rules_file(
    "    match /notes/{id} {\n"  # L4
    "      allow create: if false;\n"  # L5
    "      allow write: if request.resource.data.missing == 1;\n"  # L6
    "      allow get: if resource.data.x == 1;\n"  # L7
    "    }"
)
NOW = Timestamp.now()


def _decide(method: str, path: str, **extra: object) -> str:
    ruleset = load_ruleset(RULES)
    request = AccessRequest(method, path, {"uid": "u", "token": {}}, NOW, **extra)  # type: ignore[arg-type]
    decision = ruleset.authorize(request, MemoryReader({}, {}))
    assert not decision.allowed
    return decision.message


def test_every_failing_allow_is_named_in_line_order() -> None:
    message = _decide("create", "notes/n1", new_data={"a": 1})
    assert message == (
        "false for 'create' @ L5, Property missing is undefined on object. for 'create' @ L6"
    )


def test_null_value_error_wording() -> None:
    assert _decide("get", "notes/n1") == "Null value error. for 'get' @ L7"


def test_no_matching_allow() -> None:
    assert _decide("delete", "other/n1") == "No matching allow statements"


def test_rest_denial_carries_the_message(rest_runner: RestRunner) -> None:
    body = "\n".join(RULES.splitlines()[3:-2])
    case = RulesCase("message over REST", body, Create("notes/n1", {"a": 1}), False, ALICE)
    outcome = rest_runner.run(case)
    assert outcome.status == 403
    error = outcome.body["error"]
    assert error["status"] == "PERMISSION_DENIED"
    assert "false for 'create' @ L5" in error["message"]
    assert "for 'create' @ L6" in error["message"]
