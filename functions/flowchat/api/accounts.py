"""register, login, update_profile."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.api.caller import caller_uid, client_address
from flowchat.api.errors import translated_errors
from flowchat.errors import NotAuthenticated
from flowchat.services import accounts
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]


def register(req: Request) -> dict[str, str]:
    """Create an account; returns {uid, customToken}."""
    with translated_errors():
        data = fields.data_of(req, "username", "password", "displayName", "email")
        username = fields.text(data, "username", 32)
        password = fields.text(data, "password", 256)
        display_name = fields.text(data, "displayName", accounts.MAX_DISPLAY_NAME)
        email = fields.optional_text(data, "email", 254)
        with unit_of_work() as session:
            signed_in = accounts.register(
                session, username, password, display_name, email, client_address(req)
            )
    return {"uid": signed_in.uid, "customToken": signed_in.custom_token}


def login(req: Request) -> dict[str, str]:
    """Check a password; returns {uid, customToken}."""
    with translated_errors():
        data = fields.data_of(req, "usernameOrEmail", "password")
        identifier = fields.text(data, "usernameOrEmail", 254)
        password = fields.text(data, "password", 256)
        with unit_of_work() as session:
            signed_in = accounts.login(session, identifier, password, client_address(req))
        # The failed attempt is committed above, so throttling counts it.
        if signed_in is None:
            raise NotAuthenticated("wrong username, email or password")
    return {"uid": signed_in.uid, "customToken": signed_in.custom_token}


def update_profile(req: Request) -> dict[str, str | None]:
    """Change displayName and/or avatarUrl ("" clears the avatar)."""
    with translated_errors():
        uid = caller_uid(req)
        data = fields.data_of(req, "displayName", "avatarUrl")
        display_name = fields.optional_text(data, "displayName", accounts.MAX_DISPLAY_NAME)
        avatar_url = fields.optional_text(data, "avatarUrl", 1024)
        with unit_of_work() as session:
            return accounts.update_profile(session, uid, display_name, avatar_url)
