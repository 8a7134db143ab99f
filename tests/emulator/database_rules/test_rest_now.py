"""``now`` in rules is the server time used for {".sv": "timestamp"} in the same write.

https://firebase.google.com/docs/reference/security/database#now : now is the current time
in milliseconds, suited to validating timestamps written with ServerValue.TIMESTAMP.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.id_tokens import OWNER_HEADERS

RULES = {"stamps": {"$id": {".write": True, ".validate": "newData.val() == now"}}}


@pytest.fixture(scope="module")
def namespace(rules_emulator: str) -> Iterator[tuple[httpx.Client, str]]:
    """An HTTP client and a namespace holding RULES."""
    with httpx.Client(base_url=f"http://{rules_emulator}", timeout=10) as http:
        ns = f"now-{uuid.uuid4().hex[:12]}"
        response = http.put(
            "/.settings/rules.json",
            params={"ns": ns},
            headers=OWNER_HEADERS,
            content=json.dumps({"rules": RULES}),
        )
        assert response.status_code == 200, response.text
        yield http, ns


def test_server_timestamp_equals_now_in_the_same_write(namespace: tuple[httpx.Client, str]) -> None:
    http, ns = namespace
    # Repeated so that a millisecond tick between resolving the timestamp and evaluating
    # the rules would show up.
    for attempt in range(40):
        response = http.put(
            f"/stamps/s{attempt}.json", params={"ns": ns}, content=json.dumps({".sv": "timestamp"})
        )
        assert response.status_code == 200, (attempt, response.text)


def test_client_time_that_is_not_now_is_refused(namespace: tuple[httpx.Client, str]) -> None:
    http, ns = namespace
    response = http.put("/stamps/old.json", params={"ns": ns}, content="1000")
    assert response.status_code == 401
