"""register / login -> custom token -> ID token at the Auth emulator -> authenticated calls."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from scripts.dev.seed import DemoUser
from tests.support.firestore_rest import FirestoreRest
from tests.support.functions_client import AuthEmulatorClient, CallableError, FunctionsClient

# The first test also waits for the CLI to start (its session fixture): minutes on a busy machine.
pytestmark = pytest.mark.timeout(900)

SignUp = Callable[[str], DemoUser]


def claims_of(jwt: str) -> dict[str, Any]:
    """The payload of a JWT, unverified (the emulator's tokens are unsigned)."""
    payload = jwt.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_registered_user_signs_in_with_the_custom_token(sign_up: SignUp, project_id: str) -> None:
    user = sign_up("alice")
    claims = claims_of(user.id_token)
    assert claims["user_id"] == user.uid
    assert claims["aud"] == project_id
    assert claims["firebase"]["sign_in_provider"] == "custom"


def test_login_returns_a_token_for_the_same_uid(
    sign_up: SignUp, functions: FunctionsClient, auth: AuthEmulatorClient, password: str
) -> None:
    user = sign_up("bob")
    signed = functions.call("login", {"usernameOrEmail": user.username, "password": password})
    assert signed["uid"] == user.uid
    assert claims_of(auth.sign_in_with_custom_token(signed["customToken"]))["user_id"] == user.uid


def test_wrong_password_is_unauthenticated(sign_up: SignUp, functions: FunctionsClient) -> None:
    user = sign_up("carol")
    with pytest.raises(CallableError) as denied:
        functions.call("login", {"usernameOrEmail": user.username, "password": "not-it"})
    assert (denied.value.status, denied.value.http_status) == ("UNAUTHENTICATED", 401)


def test_taken_username_is_already_exists(
    sign_up: SignUp, functions: FunctionsClient, password: str
) -> None:
    user = sign_up("dave")
    with pytest.raises(CallableError) as refused:
        functions.call(
            "register", {"username": user.username, "password": password, "displayName": "Other"}
        )
    assert (refused.value.status, refused.value.http_status) == ("ALREADY_EXISTS", 409)


def test_malformed_registration_is_invalid_argument(
    functions: FunctionsClient, password: str
) -> None:
    with pytest.raises(CallableError) as refused:
        functions.call(
            "register", {"username": "no spaces!", "password": password, "displayName": "X"}
        )
    assert (refused.value.status, refused.value.http_status) == ("INVALID_ARGUMENT", 400)


def test_callable_without_id_token_is_unauthenticated(functions: FunctionsClient) -> None:
    with pytest.raises(CallableError) as denied:
        functions.call("list_my_rooms", {})
    assert denied.value.status == "UNAUTHENTICATED"


def test_forged_id_token_is_rejected(functions: FunctionsClient) -> None:
    with pytest.raises(CallableError) as denied:
        functions.call("list_my_rooms", {}, id_token="not.a-token")
    assert denied.value.status == "UNAUTHENTICATED"


def test_public_profile_is_readable_by_signed_in_users_only(
    sign_up: SignUp, firestore_rest: FirestoreRest
) -> None:
    erin, frank = sign_up("erin"), sign_up("frank")
    seen = firestore_rest.get(f"users/{erin.uid}", frank.id_token)
    assert seen.status_code == 200, seen.text
    assert seen.json()["fields"]["displayName"] == {"stringValue": "Erin"}
    assert firestore_rest.get(f"users/{erin.uid}", None).status_code == 403


def test_profile_update_reaches_the_mirror(
    sign_up: SignUp, functions: FunctionsClient, firestore_rest: FirestoreRest
) -> None:
    grace = sign_up("grace")
    functions.call("update_profile", {"displayName": "Grace Hopper"}, grace.id_token)
    seen = firestore_rest.get(f"users/{grace.uid}", grace.id_token).json()
    assert seen["fields"]["displayName"] == {"stringValue": "Grace Hopper"}
