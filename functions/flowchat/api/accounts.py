"""register, login, update_profile."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import responses
from flowchat.api.caller import caller_uid, client_address
from flowchat.api.errors import translated_errors
from flowchat.api.schema import Failure, Schema, optional_text, text
from flowchat.errors import NotAuthenticated
from flowchat.services import accounts
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
THROTTLED = Failure(
    "RESOURCE_EXHAUSTED",
    "too many failed logins for this account or address; "
    "details.retryAfterSeconds says when to retry",
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
    (Failure("ALREADY_EXISTS", "the username or e-mail is taken"), THROTTLED),
    signed_in=False,
)
LOGIN = Schema(
    "Check a password and sign in: exchange customToken with signInWithCustomToken.",
    (
        text("usernameOrEmail", 254, "the username or the e-mail address"),
        text("password", 256, "the account's password"),
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


def register(req: Request) -> dict[str, str]:
    """Create an account; returns {uid, customToken}."""
    with translated_errors():
        args = REGISTER.parse(req)
        with unit_of_work() as session:
            signed_in = accounts.register(
                session,
                args["username"],
                args["password"],
                args["displayName"],
                args["email"],
                client_address(req),
            )
    return {"uid": signed_in.uid, "customToken": signed_in.custom_token}


def login(req: Request) -> dict[str, str]:
    """Check a password; returns {uid, customToken}."""
    with translated_errors():
        args = LOGIN.parse(req)
        with unit_of_work() as session:
            signed_in = accounts.login(
                session, args["usernameOrEmail"], args["password"], client_address(req)
            )
        # The failed attempt is committed above, so throttling counts it.
        if signed_in is None:
            raise NotAuthenticated("wrong username, email or password")
    return {"uid": signed_in.uid, "customToken": signed_in.custom_token}


def update_profile(req: Request) -> dict[str, str | None]:
    """Change displayName and/or avatarUrl ("" clears the avatar)."""
    with translated_errors():
        uid = caller_uid(req)
        args = UPDATE_PROFILE.parse(req)
        with unit_of_work() as session:
            return accounts.update_profile(session, uid, args["displayName"], args["avatarUrl"])
