"""change_password, delete_account, export_my_data."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from flowchat.adapters import identity, tokens
from flowchat.api import export_responses, responses, wire
from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.api.handling import answer, calling
from flowchat.api.schema import Failure, Schema, text
from flowchat.errors import Forbidden
from flowchat.services import (
    account_content,
    account_deletion,
    account_export,
    accounts,
    credentials,
)
from flowchat.unit_of_work import unit_of_work

Request = https_fn.CallableRequest[Any]
WRONG_PASSWORD = "the current password is wrong"
PASSWORD_REFUSED = Failure(
    "PERMISSION_DENIED", "the password is wrong (counted like a failed login)"
)
THROTTLED = Failure(
    "RESOURCE_EXHAUSTED",
    "too many wrong passwords for this account; details.retryAfterSeconds says when to retry",
)

CHANGE_PASSWORD = Schema(
    "Change the caller's password; every session is signed out, and this one signs in "
    "again with the returned customToken.",
    (
        text("currentPassword", accounts.MAX_PASSWORD, "the password now"),
        text(
            "newPassword",
            accounts.MAX_PASSWORD,
            f"{accounts.MIN_PASSWORD}-{accounts.MAX_PASSWORD} characters; "
            "not common, repeated or the username",
        ),
    ),
    responses.PasswordChanged,
    (PASSWORD_REFUSED, THROTTLED),
)
DELETE_ACCOUNT = Schema(
    "Delete the caller's account: rooms handed over or closed, messages kept as 'deleted "
    "user' tombstones, everything personal removed (docs/backend.md).",
    (text("password", accounts.MAX_PASSWORD, "the caller's password"),),
    responses.AccountDeleted,
    (PASSWORD_REFUSED, THROTTLED),
)
EXPORT_MY_DATA = Schema(
    "Everything FlowChat holds about the caller, as one JSON document.",
    (),
    export_responses.ExportedData,
)


def change_password(req: Request) -> dict[str, Any]:
    """Set newPassword after checking currentPassword; other sessions are signed out."""
    with translated_errors():
        uid = caller_uid(req)
        args = CHANGE_PASSWORD.parse(req)
        current, new = args["currentPassword"], args["newPassword"]
        _require_password(uid, current)
        with unit_of_work() as session:
            credentials.change_password(session, uid, new)
            username = account_deletion.username_of(session, uid)
        identity.revoke_sessions(uid)
        # Revocation signs out this session too: hand it a token to sign in again with.
        custom_token = tokens.custom_token(uid, {"username": username})
    return answer(responses.PasswordChanged(uid=uid, customToken=custom_token))


def delete_account(req: Request) -> dict[str, Any]:
    """Delete the caller's account after checking password (policy: docs/backend.md)."""
    with translated_errors():
        uid = caller_uid(req)
        password = DELETE_ACCOUNT.parse(req)["password"]
        _require_password(uid, password)
        with unit_of_work() as session:
            room_ids = account_deletion.rooms_of(session, uid)
        # Firestore first: idempotent, and while it may fail the account can retry.
        account_content.scrub(uid, room_ids)
        with unit_of_work() as session:
            gone = account_deletion.delete_user_data(session, uid)
        account_content.close_rooms(gone.closed_rooms)
        account_content.remove_profile_tree(uid)
        identity.delete_user(uid)
        with unit_of_work() as session:
            account_deletion.purge_outbox(session, gone)
    deleted = responses.AccountDeleted(uid=uid, deleted=True, closedRooms=gone.closed_rooms)
    return answer(deleted)


def export_my_data(req: Request) -> dict[str, Any]:
    """Everything FlowChat holds about the caller, as one JSON document."""
    with calling(req, EXPORT_MY_DATA) as call:
        exported = account_export.export(call.session, call.uid)
    return answer(wire.exported_data(exported))


def _require_password(uid: str, password: str) -> None:
    """PERMISSION_DENIED for a wrong password (the miss is committed for the throttle)."""
    with unit_of_work() as session:
        matched = credentials.password_matches(session, uid, password)
    if not matched:
        raise Forbidden(WRONG_PASSWORD)
