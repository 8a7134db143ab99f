"""Checks that the seeded stack answers as clients expect (`scripts/dev.sh --check`)."""

from __future__ import annotations

from scripts.dev.client import FirestoreRestClient, FunctionsClient
from scripts.dev.seed import DemoData


class VerificationError(AssertionError):
    """The running stack disagrees with the demo data."""


def _expect(what: str, got: object, wanted: object) -> str:
    """One checked fact as a report line; VerificationError when it does not hold."""
    if got != wanted:
        raise VerificationError(f"{what}: got {got!r}, expected {wanted!r}")
    return f"ok  {what} -> {got!r}"


def verify(functions: FunctionsClient, firestore: FirestoreRestClient,
           data: DemoData) -> list[str]:
    """Membership through the callable and through Firestore under the rules, for every pair."""
    report = []
    for name, room_id in data.rooms.items():
        members = data.members[room_id]
        report.append(_expect(f"anonymous reads rooms/{name}",
                              firestore.get(f"rooms/{room_id}", None).status_code, 403))
        for user in data.users.values():
            is_member = user.uid in members
            answer = functions.call("check_membership", {"roomId": room_id}, user.id_token)
            report.append(_expect(f"check_membership {name} as {user.username}",
                                  answer["isMember"], is_member))
            room_read = firestore.get(f"rooms/{room_id}", user.id_token).status_code
            report.append(_expect(f"{user.username} reads rooms/{name}",
                                  room_read, 200 if is_member else 403))
            sidebar = firestore.get(f"users/{user.uid}/rooms/{room_id}", user.id_token)
            report.append(_expect(f"{user.username} reads own sidebar entry for {name}",
                                  sidebar.status_code, 200 if is_member else 404))
    return report
