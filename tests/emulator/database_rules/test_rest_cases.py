"""The same rules table sent over REST to the emulator: 200 when allowed, 401 when denied."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from emulator.database_rules.tree import node_at, plain_value, split_path

from .case_types import Read, RulesCase
from .cases import ALL_CASES
from .operations import apply_writes, written_paths
from .rest_client import NamespaceClient


@pytest.fixture(scope="module")
def http(rules_emulator: str) -> Iterator[httpx.Client]:
    """One HTTP client for the module."""
    with httpx.Client(base_url=f"http://{rules_emulator}", timeout=10) as client:
        yield client


def prepared(http: httpx.Client, case: RulesCase, auth_param: bool = False) -> NamespaceClient:
    """A fresh namespace with the case's rules and data."""
    client = NamespaceClient(http, f"rules-{uuid.uuid4().hex[:12]}", auth_param)
    client.set_rules(case.rules)
    client.seed(case.data)
    return client


def expected_at(tree: object, path: str) -> object:
    """The plain JSON a GET of ``path`` returns for ``tree``."""
    return plain_value(node_at(tree, split_path(path)))


def rest_params(cases: list[RulesCase]) -> list[object]:
    """Cases as pytest params (the local emulator stores priorities, so all run)."""
    return [pytest.param(case, id=case.name) for case in cases]


@pytest.mark.parametrize("case", rest_params(ALL_CASES))
def test_case_over_rest(http: httpx.Client, case: RulesCase) -> None:
    check_over_rest(prepared(http, case), case)


@pytest.mark.parametrize(
    "case", [case for case in ALL_CASES if case.auth], ids=lambda case: case.name
)
def test_case_over_rest_with_auth_parameter(http: httpx.Client, case: RulesCase) -> None:
    check_over_rest(prepared(http, case, auth_param=True), case)


def check_over_rest(client: NamespaceClient, case: RulesCase) -> None:
    """Send the case and check the status code and the stored data afterwards."""
    response = client.perform(case)
    if not case.allowed:
        assert response.status_code == 401, response.text
        assert response.json() == {"error": "Permission denied"}
        assert client.owner_get() == plain_value(case.data)  # nothing was written
        return
    assert response.status_code == 200, response.text
    if isinstance(case.op, Read):
        if not case.op.query:
            assert response.json() == expected_at(case.data, case.op.path)
        return
    after = apply_writes(case.data, written_paths(case.op))
    assert client.owner_get() == plain_value(after)
