"""Credentials and rules over REST: owner is admin, unsigned JWTs give ``auth``, no token is
unauthenticated; denials are 401 {"error": "Permission denied"} and change nothing."""

from __future__ import annotations

import time

import httpx
import pytest

from emulator.database.server import DatabaseEmulator
from tests.emulator.database.conftest import id_token

DENIED = {"error": "Permission denied"}


def test_owner_bypasses_rules(owner: httpx.Client) -> None:
    assert owner.put("/anywhere/x.json", json=1).status_code == 200
    assert owner.get("/anywhere.json").json() == {"x": 1}


def test_owner_via_auth_parameter(http: httpx.Client) -> None:
    assert http.put("/secret.json", params={"auth": "owner"}, json=1).status_code == 200
    assert http.get("/secret.json", params={"auth": "owner"}).json() == 1


def test_unauthenticated_read_is_denied_with_401(http: httpx.Client, owner: httpx.Client) -> None:
    owner.put("/private/alice.json", json="hi")
    response = http.get("/private.json")
    assert response.status_code == 401
    assert response.json() == DENIED


def test_unlisted_paths_are_denied_by_default(http: httpx.Client) -> None:
    response = http.put("/elsewhere.json", json=1)
    assert response.status_code == 401
    assert response.json() == DENIED


def test_user_writes_own_entry_with_bearer_token(http: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {id_token('alice')}"}
    assert http.put("/private/alice.json", json="mine", headers=headers).status_code == 200
    assert http.get("/private/alice.json", headers=headers).json() == "mine"


def test_user_cannot_write_another_users_entry(http: httpx.Client) -> None:
    response = http.put("/private/bob.json", params={"auth": id_token("alice")}, json="forged")
    assert response.status_code == 401
    assert response.json() == DENIED
    assert http.get("/private/bob.json", params={"auth": id_token("bob")}).json() is None


def test_undecodable_token_is_401(http: httpx.Client) -> None:
    response = http.get("/public.json", params={"auth": "not-a-jwt"})
    assert response.status_code == 401
    assert "auth token" in response.json()["error"]


def test_validate_refuses_wrong_types(http: httpx.Client) -> None:
    assert http.put("/numbers/a.json", json=1).status_code == 200
    response = http.put("/numbers/b.json", json="one")
    assert response.status_code == 401
    assert response.json() == DENIED
    assert http.get("/numbers.json").json() == {"a": 1}


def test_multi_location_patch_is_atomic(http: httpx.Client) -> None:
    response = http.patch("/numbers.json", json={"a": 1, "b": "not a number"})
    assert response.status_code == 401
    assert http.get("/numbers.json").json() is None
    assert http.patch("/numbers.json", json={"a": 1, "b": 2}).status_code == 200
    assert http.get("/numbers.json").json() == {"a": 1, "b": 2}


def test_admin_auth_variable_override_is_subject_to_rules(http: httpx.Client) -> None:
    params = {"auth": "owner", "auth_variable_override": '{"uid": "carol"}'}
    assert http.put("/private/carol.json", params=params, json=1).status_code == 200
    assert http.put("/private/dan.json", params=params, json=1).status_code == 401


def test_rules_can_be_read_and_replaced_by_the_owner(
    owner: httpx.Client, http: httpx.Client
) -> None:
    assert '"public"' in owner.get("/.settings/rules.json").text
    assert http.put("/open.json", json=1).status_code == 401
    new_rules = '{"rules": {/* open */ ".read": true, ".write": true}}'
    assert owner.put("/.settings/rules.json", content=new_rules).json() == {"status": "ok"}
    assert owner.get("/.settings/rules.json").text == new_rules
    assert http.put("/open.json", json=1).status_code == 200


def test_rules_are_per_namespace(
    raw: httpx.Client, owner: httpx.Client, rtdb: DatabaseEmulator, ns: str
) -> None:
    owner.put("/.settings/rules.json", content='{"rules": {".write": true}}')
    other = raw.put(f"http://{rtdb.address}/open.json", params={"ns": ns + "-b"}, json=1)
    assert other.status_code == 401


@pytest.mark.parametrize("token", [None, "user"])
def test_rules_cannot_be_changed_without_owner(http: httpx.Client, token: str | None) -> None:
    params = {"auth": id_token("alice")} if token else {}
    response = http.put("/.settings/rules.json", params=params, content='{"rules": {}}')
    assert response.status_code == 401
    assert http.get("/.settings/rules.json", params=params).status_code == 401


def test_unsupported_rules_are_refused_and_old_rules_kept(
    owner: httpx.Client, http: httpx.Client
) -> None:
    response = owner.put("/.settings/rules.json", content='{"rules": {".read": "nonsense(("}}')
    assert response.status_code == 400
    assert response.json()["error"]
    assert http.put("/public/still.json", json=1).status_code == 200


def test_server_timestamp_equals_the_rules_now(owner: httpx.Client, http: httpx.Client) -> None:
    owner.put(
        "/.settings/rules.json",
        content='{"rules": {"at": {"$i": {".write": "newData.val() === now"}}}}',
    )
    for attempt in range(30):  # a clock tick between the two readings would show up
        response = http.put(f"/at/{attempt}.json", json={".sv": "timestamp"})
        assert response.status_code == 200, (attempt, response.text)
    assert http.put("/at/old.json", json=1000).status_code == 401


def test_expired_token_is_401_over_rest(http: httpx.Client) -> None:
    expired = id_token("alice", iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    response = http.get("/private.json", params={"auth": expired})
    assert response.status_code == 401
    assert response.json() == {"error": "Auth token is expired."}
