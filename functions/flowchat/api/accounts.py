"""register, login, update_profile."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import responses, wire
from flowchat.api.caller import client_address
from flowchat.api.errors import translated_errors
from flowchat.api.handling import answer, calling
from flowchat.api.schema import Failure, Schema, optional_text, text
from flowchat.errors import NotAuthenticated
from flowchat.services import accounts, login_attempts, login_devices, throttling
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
THROTTLED = Failure(
    "RESOURCE_EXHAUSTED",
    "too many failed logins for this account or address (from clients without this "
    "account's deviceToken), or for this device; details.retryAfterSeconds says when to retry",
)
REGISTRATIONS_THROTTLED = Failure(
    "RESOURCE_EXHAUSTED",
    "too many registrations from this address, taken or not (REGISTER_MAX_PER_ADDRESS per "
    "LOGIN_WINDOW_SECONDS); details.retryAfterSeconds says when to retry",
)

REGISTER = Schema(
    "Create an account and sign in: exchange customToken with signInWithCustomToken.",
    (
        text("username", 32, "3-32 letters, digits, '_' or '.'; unique"),
        text(
            "password",
            256,
            f"{accounts.MIN_PASSWORD}-{accounts.MAX_PASSWORD} characters; "
            "not common, repeated or the username",
        ),
        text("displayName", accounts.MAX_DISPLAY_NAME, "shown to others; no control characters"),
        optional_text("email", 254, "an e-mail address; unique; lets the user log in with it"),
    ),
    responses.SignedIn,
    (Failure("ALREADY_EXISTS", "the username or e-mail is taken"), REGISTRATIONS_THROTTLED),
    signed_in=False,
)
LOGIN = Schema(
    "Check a password and sign in: exchange customToken with signInWithCustomToken.",
    (
        text("usernameOrEmail", 254, "the username or the e-mail address"),
        text("password", 256, "the account's password"),
        optional_text(
            "deviceToken",
            login_devices.MAX_TOKEN,
            "the deviceToken an earlier register or login returned on this device: its "
            "attempts are counted apart, so others' wrong guesses cannot lock it out",
        ),
    ),
    responses.SignedIn,
    (
        Failure("UNAUTHENTICATED", "wrong username, e-mail or password"),
        THROTTLED,
        Failure("PERMISSION_DENIED", "the account is disabled"),
    ),
    signed_in=False,
)
UPDATE_PROFILE = Schema(
    "Change the caller's display name and/or avatar.",
    (
        optional_text("displayName", accounts.MAX_DISPLAY_NAME, "new display name"),
        optional_text("avatarUrl", accounts.MAX_AVATAR_URL, 'new avatar URL; "" removes it'),
    ),
    responses.Profile,
    (Failure("INVALID_ARGUMENT", "neither displayName nor avatarUrl is given"),),
)


def register(req: Request) -> dict[str, Any]:
    """Create an account; returns {uid, customToken, deviceToken}."""
    with translated_errors():
        args = REGISTER.parse(req)
        # Malformed input costs no hash, so it is refused before it is counted.
        accounts.validate_new_account(
            args["username"], args["password"], args["displayName"], args["email"]
        )
        address = client_address(req)
        if address:
            # Counted and committed before the password is hashed (see services/throttling.py).
            with unit_of_work() as session:
                throttling.claim_registration(session, address)
        with unit_of_work() as session:
            signed_in = accounts.register(
                session,
                args["username"],
                args["password"],
                args["displayName"],
                args["email"],
                address,
            )
    return answer(wire.signed_in(signed_in))


def login(req: Request) -> dict[str, Any]:
    """Check a password; returns {uid, customToken, deviceToken}."""
    with translated_errors():
        args = LOGIN.parse(req)
        address = client_address(req)
        # Counted and committed before the password is checked (see services/login_attempts.py).
        with unit_of_work() as session:
            attempt = login_attempts.begin(
                session, args["usernameOrEmail"], args["deviceToken"], address
            )
        matched = login_attempts.password_matches(attempt, args["password"])
        with unit_of_work() as session:
            signed_in = login_attempts.finish(session, attempt, args["password"], matched, address)
        if signed_in is None:
            raise NotAuthenticated("wrong username, email or password")
    return answer(wire.signed_in(signed_in))


def update_profile(req: Request) -> dict[str, Any]:
    """Change displayName and/or avatarUrl ("" clears the avatar)."""
    with calling(req, UPDATE_PROFILE) as call:
        args = call.args
        changed = accounts.update_profile(
            call.session, call.uid, args["displayName"], args["avatarUrl"]
        )
    return answer(wire.profile(changed))
