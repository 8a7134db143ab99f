"""Checks that the seeded stack answers as clients expect (`scripts/dev.sh --check`)."""

from __future__ import annotations

import time

from scripts.dev.seed import DemoData
from tests.support.firestore_rest import FirestoreRest
from tests.support.functions_client import FunctionsClient

# How long the message trigger may take to update the room summary (bounded poll).
TRIGGER_DEADLINE_SECONDS = 30.0


class VerificationError(AssertionError):
    """The running stack disagrees with the demo data."""


def _expect(what: str, got: object, wanted: object) -> str:
    """One checked fact as a report line; VerificationError when it does not hold."""
    if got != wanted:
        raise VerificationError(f"{what}: got {got!r}, expected {wanted!r}")
    return f"ok  {what} -> {got!r}"


def verify(functions: FunctionsClient, firestore: FirestoreRest, data: DemoData) -> list[str]:
    """Membership through the callable and through Firestore under the rules, for every pair."""
    report = []
    for name, room_id in data.rooms.items():
        members = data.members[room_id]
        report.append(
            _expect(
                f"anonymous reads rooms/{name}",
                firestore.get(f"rooms/{room_id}", None).status_code,
                403,
            )
        )
        for user in data.users.values():
            is_member = user.uid in members
            answer = functions.call("check_membership", {"roomId": room_id}, user.id_token)
            report.append(
                _expect(
                    f"check_membership {name} as {user.username}", answer["isMember"], is_member
                )
            )
            room_read = firestore.get(f"rooms/{room_id}", user.id_token).status_code
            report.append(
                _expect(f"{user.username} reads rooms/{name}", room_read, 200 if is_member else 403)
            )
            sidebar = firestore.get(f"users/{user.uid}/rooms/{room_id}", user.id_token)
            report.append(
                _expect(
                    f"{user.username} reads own sidebar entry for {name}",
                    sidebar.status_code,
                    200 if is_member else 404,
                )
            )
    report.append(_verify_message_trigger(functions, firestore, data))
    return report


def _verify_message_trigger(
    functions: FunctionsClient, firestore: FirestoreRest, data: DemoData
) -> str:
    """send_message, then the emulator's event delivery runs the message trigger, which
    writes the room summary that every member's sidebar shows."""
    alice, room_id = data.users["alice"], data.rooms["general"]
    sent = functions.call(
        "send_message",
        {
            "roomId": room_id,
            "kind": "text",
            "text": "hello from the check",
            "idempotencyKey": f"check-{time.time_ns()}",
        },
        alice.id_token,
    )
    deadline = time.monotonic() + TRIGGER_DEADLINE_SECONDS
    summary_id = None
    while time.monotonic() < deadline and summary_id != sent["messageId"]:
        room = firestore.get(f"rooms/{room_id}", alice.id_token).json()
        summary = room.get("fields", {}).get("lastMessage", {}).get("mapValue", {})
        summary_id = summary.get("fields", {}).get("messageId", {}).get("stringValue")
        time.sleep(0.2)
    return _expect("message trigger sets rooms/general lastMessage", summary_id, sent["messageId"])


def verify_hub(hub: str) -> str:
    """The project hub lists its own emulators and the CLI's, as @firebase tooling reads it."""
    import httpx

    listed = httpx.get(f"http://{hub}/emulators", timeout=10).json()
    return _expect(
        "the Emulator Hub lists",
        sorted(listed),
        ["auth", "database", "firestore", "functions", "hub"],
    )
