"""Demo users and rooms, created through the callables over HTTP exactly as a client would.

Safe to run again on kept data: existing users log in instead, existing rooms are reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.support.functions_client import AuthEmulatorClient, CallableError, FunctionsClient

DEMO_PASSWORD = "flowchat-demo-password"
# username -> display name
DEMO_USERS = {"alice": "Alice Liddell", "bob": "Bob Marley", "carol": "Carol Shaw"}
GROUP_ROOM = "general"


@dataclass
class DemoUser:
    """A signed-in demo user: uid and the ID token that authenticates its requests."""

    username: str
    uid: str
    id_token: str


@dataclass
class DemoData:
    """What the seed produced: users by username, room ids by name, members by room id."""

    users: dict[str, DemoUser] = field(default_factory=dict)
    rooms: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)


def sign_up_or_in(
    functions: FunctionsClient, auth: AuthEmulatorClient, username: str, display_name: str
) -> DemoUser:
    """register, or login when the account exists; then exchange the custom token."""
    try:
        signed = functions.call(
            "register",
            {"username": username, "password": DEMO_PASSWORD, "displayName": display_name},
        )
    except CallableError as error:
        if error.status != "ALREADY_EXISTS":
            raise
        signed = functions.call("login", {"usernameOrEmail": username, "password": DEMO_PASSWORD})
    user = DemoUser(username, signed["uid"], auth.sign_in_with_custom_token(signed["customToken"]))
    # The demo users add each other to rooms directly (the default would invite them).
    functions.call("set_add_policy", {"policy": "anyone"}, user.id_token)
    return user


def _room_named(functions: FunctionsClient, user: DemoUser, name: str) -> str | None:
    """The id of the caller's group room with that name, if any (first page is enough here)."""
    page = functions.call("list_my_rooms", {"limit": 50}, user.id_token)
    return next((r["roomId"] for r in page["rooms"] if r["name"] == name), None)


def seed(functions: FunctionsClient, auth: AuthEmulatorClient) -> DemoData:
    """alice, bob, carol; group room "general" (alice owns it); direct room alice-bob."""
    data = DemoData()
    for username, display_name in DEMO_USERS.items():
        data.users[username] = sign_up_or_in(functions, auth, username, display_name)
    alice, bob, carol = (data.users[name] for name in DEMO_USERS)

    group = _room_named(functions, alice, GROUP_ROOM)
    if group is None:
        created = functions.call(
            "create_room",
            {"kind": "group", "name": GROUP_ROOM, "memberIds": [bob.uid]},
            alice.id_token,
        )
        group = created["roomId"]
    # A separate call so the seed also exercises add_members (a no-op when carol is in).
    functions.call("add_members", {"roomId": group, "memberIds": [carol.uid]}, alice.id_token)
    data.rooms[GROUP_ROOM] = group
    data.members[group] = [alice.uid, bob.uid, carol.uid]

    direct = functions.call(
        "create_room", {"kind": "direct", "memberIds": [bob.uid]}, alice.id_token
    )
    data.rooms["alice-bob"] = direct["roomId"]
    data.members[direct["roomId"]] = [alice.uid, bob.uid]
    return data
