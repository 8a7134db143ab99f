"""The rules table through the official Admin SDK acting as each user (auth override)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from firebase_admin import exceptions

from emulator.database_rules.tree import plain_value

from . import admin_sdk
from .case_types import Read, RulesCase
from .cases import ALL_CASES
from .rest_client import NamespaceClient

# The Admin SDK has no order-by-priority query.
SDK_CASES = [
    case for case in ALL_CASES if '"$priority"' not in getattr(case.op, "query", {}).values()
]


@pytest.fixture(scope="module")
def http(rules_emulator: str) -> Iterator[httpx.Client]:
    """An owner HTTP client for rules and seeding; SDK apps are removed at the end."""
    with httpx.Client(base_url=f"http://{rules_emulator}", timeout=10) as client:
        yield client
    admin_sdk.delete_apps()


@pytest.mark.parametrize("case", SDK_CASES, ids=lambda case: case.name)
def test_case_through_admin_sdk(http: httpx.Client, rules_emulator: str, case: RulesCase) -> None:
    client = NamespaceClient(http, f"sdk-{uuid.uuid4().hex[:12]}")
    client.set_rules(case.rules)
    client.seed(case.data)
    url = f"http://{rules_emulator}?ns={client.namespace}"
    if not case.allowed:
        with pytest.raises(exceptions.FirebaseError, match="Permission denied"):
            admin_sdk.perform(case, url)
        assert client.owner_get() == plain_value(case.data)
        return
    result = admin_sdk.perform(case, url)
    if isinstance(case.op, Read) and not case.op.query:
        assert result == client.owner_get(case.op.path)
