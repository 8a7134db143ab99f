"""Allow/deny matrix of firestore.rules: every path x operation x actor, over REST.

Each row is an action and the set of actors it is allowed for; every other actor must be
denied. Actors and the seeded world are described in world.py. An allowed write must
leave its fields in place; a denied one must leave every touched document unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.rules.assertions import assert_allowed, assert_denied
from tests.rules.firestore_actions import (
    SIGNED_OUT_TARGET,
    Action,
    CreatedAt,
    expected_fields,
    mute_actor,
    perform,
    valid_message,
    written_paths,
)
from tests.rules.world import ACTORS, MEMBERS
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest

NONE: frozenset[str] = frozenset()
SIGNED_IN = frozenset(ACTORS) - {"anonymous"}
MEMBER_ONLY = frozenset({"member"})  # mia acting on mia's own document
AUTHOR_ONLY = frozenset({"author"})  # alice acting on alice's own document
BLOCKED_ONLY = frozenset({"blocked"})  # bob acting on bob's own document
STRANGER_ONLY = frozenset({"stranger"})  # sam, a member of r2 only
DIRECT = frozenset({"member", "author"})  # d1: mia and alice; not adam, not bob (blocked)
ADMIN_ONLY = frozenset({"admin"})  # adam, r1's admin (sam owns r2)
MUTED = dt.timedelta(hours=1)
MUTE_ENDED = -dt.timedelta(hours=1)

EDIT = {"text": "edited", "editedAt": SERVER_TIME}
SOFT_DELETE = {"text": "", "attachments": [], "deletedAt": SERVER_TIME}
MODERATOR_DELETE = {**SOFT_DELETE, "deletedBy": "{uid}"}
DELETED_BY_OWEN = {**SOFT_DELETE, "deletedBy": "owen"}
REACTION = {"emoji": "🎉", "createdAt": SERVER_TIME}
# Every seeded r1 stamp has slot0 free and slot1-slot4 in use (world.BUSY_SLOTS).
STAMP = {"lastMessageAt": SERVER_TIME, "lastMessageId": "m-last", "slot0": SERVER_TIME}
BUSY_STAMP = {"lastMessageAt": SERVER_TIME, "lastMessageId": "m-last", "slot2": SERVER_TIME}
READ_UP_TO_LAST = {"lastReadAt": CreatedAt("m-last"), "lastReadMessageId": "m-last"}
READ_BACK_TO_OLD = {"lastReadAt": CreatedAt("m-old"), "lastReadMessageId": "m-old"}

MATRIX: list[tuple[str, Action, frozenset[str]]] = [
    # --- rooms, members, sidebar, profiles: read what concerns you, never write ---
    ("get room", Action("get", "rooms/r1"), MEMBERS),
    ("list all rooms", Action("list", "rooms"), NONE),
    ("get other room", Action("get", "rooms/r2"), STRANGER_ONLY),
    ("get member", Action("get", "rooms/r1/members/mia"), MEMBERS),
    ("list members", Action("list", "rooms/r1/members"), MEMBERS),
    ("get profile", Action("get", "users/mia"), SIGNED_IN),
    ("list profiles", Action("list", "users"), NONE),
    ("list own sidebar", Action("list", "users/{uid}/rooms"), SIGNED_IN),
    ("get mia's sidebar entry", Action("get", "users/mia/rooms/r1"), MEMBER_ONLY),
    ("list mia's sidebar", Action("list", "users/mia/rooms"), MEMBER_ONLY),
    ("rename room", Action("update", "rooms/r1", {"name": "Mine"}), NONE),
    ("delete room", Action("delete", "rooms/r1"), NONE),
    ("create room", Action("create", "rooms/r9", {"kind": "group", "name": "x"}), NONE),
    ("join room", Action("set", "rooms/r1/members/{uid}", {"role": "member"}), NONE),
    ("promote self", Action("set", "rooms/r1/members/{uid}", {"role": "owner"}), NONE),
    ("remove a member", Action("delete", "rooms/r1/members/mia"), NONE),
    ("write own profile", Action("set", "users/{uid}", {"displayName": "X"}), NONE),
    ("add sidebar entry", Action("set", "users/{uid}/rooms/r1", {"name": "General"}), NONE),
    ("list all memberships", Action("list_group", "members"), NONE),
    ("list own memberships", Action("list_group", "rooms", where=("roomId", "EQUAL", "r1")), NONE),
    ("read unknown path", Action("get", "secrets/s1"), NONE),
    ("write unknown path", Action("set", "secrets/s1", {"a": 1}), NONE),
    # --- messages ---
    ("get message", Action("get", "rooms/r1/messages/m-alice"), MEMBERS),
    ("list messages", Action("list", "rooms/r1/messages"), MEMBERS),
    (
        "list thread",
        Action("list", "rooms/r1/messages", where=("parentId", "EQUAL", "m-alice")),
        MEMBERS,
    ),
    ("get message of other room", Action("get", "rooms/r2/messages/other"), STRANGER_ONLY),
    ("get direct room", Action("get", "rooms/d1"), DIRECT),
    ("list direct messages", Action("list", "rooms/d1/messages"), DIRECT),
    ("send direct message", Action("send", "d1", valid_message()), DIRECT),
    # --- d2: alice blocked bob; bob loses everything at once, alice only reads ---
    ("get blocked direct room", Action("get", "rooms/d2"), AUTHOR_ONLY),
    ("list blocked direct messages", Action("list", "rooms/d2/messages"), AUTHOR_ONLY),
    ("get bob's message in blocked room", Action("get", "rooms/d2/messages/from-bob"), AUTHOR_ONLY),
    ("list blocked room members", Action("list", "rooms/d2/members"), AUTHOR_ONLY),
    ("send in blocked direct room", Action("send", "d2", valid_message()), NONE),
    ("send in blocked room as bob", Action("send", "d2", valid_message(authorId="bob")), NONE),
    (
        "react in blocked direct room",
        Action("create", "rooms/d2/messages/from-bob/reactions/{uid}", REACTION),
        NONE,
    ),
    ("edit own in blocked room", Action("update", "rooms/d2/messages/from-alice", EDIT), NONE),
    ("edit bob's in blocked room", Action("update", "rooms/d2/messages/from-bob", EDIT), NONE),
    (
        "soft-delete own in blocked room",
        Action("update", "rooms/d2/messages/from-alice", SOFT_DELETE),
        AUTHOR_ONLY,
    ),
    (
        "soft-delete bob's in blocked room",
        Action("update", "rooms/d2/messages/from-bob", SOFT_DELETE),
        NONE,
    ),
    ("unblock oneself", Action("set", "rooms/d2/members/{uid}", {"role": "member"}), NONE),
    ("get bob's entry of blocked room", Action("get", "users/bob/rooms/d2"), BLOCKED_ONLY),
    ("get alice's entry of blocked room", Action("get", "users/alice/rooms/d2"), AUTHOR_ONLY),
    # --- invitations: owen invited sam to r1; only sam reads it, nobody writes it ---
    ("get sam's invitation", Action("get", "users/sam/invitations/r1"), STRANGER_ONLY),
    ("list own invitations", Action("list", "users/{uid}/invitations"), SIGNED_IN),
    ("list sam's invitations", Action("list", "users/sam/invitations"), STRANGER_ONLY),
    ("list all invitations", Action("list_group", "invitations"), NONE),
    ("decline by deleting", Action("delete", "users/sam/invitations/r1"), NONE),
    (
        "invite oneself",
        Action("set", "users/{uid}/invitations/r2", {"roomId": "r2", "invitedBy": "sam"}),
        NONE,
    ),
    (
        "accept by joining",
        Action("set", "rooms/r1/members/{uid}", {"role": "member", "joinedAt": SERVER_TIME}),
        NONE,
    ),
    ("read room invited to", Action("get", "rooms/r1/messages/m-alice"), MEMBERS),
    # --- hidden (archived) rooms: mia hid d1; only the hide_room callable changes it ---
    ("get mia's hidden entry", Action("get", "users/mia/rooms/d1"), MEMBER_ONLY),
    (
        "list mia's hidden entries",
        Action("list", "users/mia/rooms", where=("hidden", "EQUAL", True)),
        MEMBER_ONLY,
    ),
    ("unhide own entry", Action("set", "users/{uid}/rooms/d1", {"hidden": False}), NONE),
    ("hide own entry", Action("set", "users/{uid}/rooms/r1", {"hidden": True}), NONE),
    ("read hidden room", Action("get", "rooms/d1"), DIRECT),
    ("list messages of all rooms", Action("list_group", "messages"), NONE),
    (
        "list own messages everywhere",
        Action("list_group", "messages", where=("authorId", "EQUAL", "{uid}")),
        NONE,
    ),
    ("send message", Action("send", "r1", valid_message()), MEMBERS),
    ("send message as mia", Action("send", "r1", valid_message(authorId="mia")), MEMBER_ONLY),
    ("send without rate stamp", Action("send_unstamped", "r1", valid_message()), NONE),
    (
        "list top-level timeline",
        Action("list", "rooms/r1/messages", where=("parentId", "EQUAL", None)),
        MEMBERS,
    ),
    (
        "send without parentId",
        Action("send", "r1", {k: v for k, v in valid_message().items() if k != "parentId"}),
        NONE,
    ),
    ("send with mentions", Action("send", "r1", valid_message(mentions=["mia", "adam"])), MEMBERS),
    (
        "send with eleven mentions",
        Action("send", "r1", valid_message(mentions=[f"u{i}" for i in range(11)])),
        NONE,
    ),
    ("send beyond the burst", Action("send", "r1", valid_message(), slot="slot1"), NONE),
    ("send to other room", Action("send", "r2", valid_message()), STRANGER_ONLY),
    ("reply in thread", Action("send", "r1", valid_message(parentId="m-alice")), MEMBERS),
    ("reply to a reply", Action("send", "r1", valid_message(parentId="m-reply")), NONE),
    ("reply to deleted", Action("send", "r1", valid_message(parentId="m-deleted")), NONE),
    ("reply across rooms", Action("send", "r1", valid_message(parentId="other")), NONE),
    ("reply to missing", Action("send", "r1", valid_message(parentId="nope")), NONE),
    ("edit own message", Action("update", "rooms/r1/messages/m-{uid}", EDIT), MEMBERS),
    ("edit alice's message", Action("update", "rooms/r1/messages/m-alice", EDIT), AUTHOR_ONLY),
    ("edit after 24h", Action("update", "rooms/r1/messages/m-old", EDIT), NONE),
    ("edit deleted", Action("update", "rooms/r1/messages/m-deleted", EDIT), NONE),
    ("soft-delete own", Action("update", "rooms/r1/messages/m-{uid}", SOFT_DELETE), MEMBERS),
    (
        "soft-delete alice's",
        Action("update", "rooms/r1/messages/m-alice", SOFT_DELETE),
        AUTHOR_ONLY,
    ),
    ("soft-delete old own", Action("update", "rooms/r1/messages/m-old", SOFT_DELETE), AUTHOR_ONLY),
    ("soft-delete again", Action("update", "rooms/r1/messages/m-deleted", SOFT_DELETE), NONE),
    ("hard-delete own", Action("delete", "rooms/r1/messages/m-{uid}"), NONE),
    ("hard-delete alice's", Action("delete", "rooms/r1/messages/m-alice"), NONE),
    ("overwrite alice's", Action("set", "rooms/r1/messages/m-alice", valid_message()), NONE),
    # --- moderation: owners and admins soft-delete anyone's message, naming themselves ---
    (
        "moderator-delete mia's",
        Action("update", "rooms/r1/messages/m-mia", MODERATOR_DELETE),
        frozenset({"member", "admin"}),
    ),
    (
        "moderator-delete alice's",
        Action("update", "rooms/r1/messages/m-alice", MODERATOR_DELETE),
        frozenset({"author", "admin"}),
    ),
    (
        "moderator-delete own",
        Action("update", "rooms/r1/messages/m-{uid}", MODERATOR_DELETE),
        MEMBERS,
    ),
    (
        "delete mia's without deletedBy",
        Action("update", "rooms/r1/messages/m-mia", SOFT_DELETE),
        MEMBER_ONLY,
    ),
    (
        "delete naming another moderator",
        Action("update", "rooms/r1/messages/m-mia", DELETED_BY_OWEN),
        NONE,
    ),
    (
        "moderator-delete in other room",
        Action("update", "rooms/r2/messages/other", MODERATOR_DELETE),
        STRANGER_ONLY,
    ),
    (
        "moderator-delete again",
        Action("update", "rooms/r1/messages/m-deleted", MODERATOR_DELETE),
        NONE,
    ),
    ("moderator edits mia's", Action("update", "rooms/r1/messages/m-mia", EDIT), MEMBER_ONLY),
    ("hard-delete as moderator", Action("delete", "rooms/r1/messages/m-mia"), NONE),
    # --- moderation: a muted member reads and deletes but adds nothing ---
    ("send while muted", Action("send", "r1", valid_message(), mute=MUTED), NONE),
    ("send direct while muted", Action("send", "d1", valid_message(), mute=MUTED), NONE),
    ("send after mute ended", Action("send", "r1", valid_message(), mute=MUTE_ENDED), MEMBERS),
    (
        "react while muted",
        Action("create", "rooms/r1/messages/m-last/reactions/{uid}", REACTION, mute=MUTED),
        NONE,
    ),
    (
        "change reaction while muted",
        Action("set", "rooms/r1/messages/m-alice/reactions/{uid}", REACTION, mute=MUTED),
        NONE,
    ),
    (
        "react after mute ended",
        Action("create", "rooms/r1/messages/m-last/reactions/{uid}", REACTION, mute=MUTE_ENDED),
        MEMBERS,
    ),
    ("edit own while muted", Action("update", "rooms/r1/messages/m-{uid}", EDIT, mute=MUTED), NONE),
    (
        "soft-delete own while muted",
        Action("update", "rooms/r1/messages/m-{uid}", SOFT_DELETE, mute=MUTED),
        MEMBERS,
    ),
    (
        "remove own reaction while muted",
        Action("delete", "rooms/r1/messages/m-alice/reactions/{uid}", mute=MUTED),
        MEMBERS,
    ),
    ("read messages while muted", Action("list", "rooms/r1/messages", mute=MUTED), MEMBERS),
    (
        "moderator-delete mia's while muted",
        Action("update", "rooms/r1/messages/m-mia", MODERATOR_DELETE, mute=MUTED),
        frozenset({"member", "admin"}),
    ),
    # --- moderation: reports only for the room's owners and admins ---
    ("get report", Action("get", "rooms/r1/reports/rep1"), ADMIN_ONLY),
    ("list reports", Action("list", "rooms/r1/reports"), ADMIN_ONLY),
    (
        "list open reports",
        Action("list", "rooms/r1/reports", where=("status", "EQUAL", "open")),
        ADMIN_ONLY,
    ),
    ("list other room's reports", Action("list", "rooms/r2/reports"), STRANGER_ONLY),
    ("list all reports", Action("list_group", "reports"), NONE),
    ("file report directly", Action("create", "rooms/r1/reports/rep2", {"reason": "x"}), NONE),
    (
        "resolve report directly",
        Action("update", "rooms/r1/reports/rep1", {"status": "resolved"}),
        NONE,
    ),
    ("delete report", Action("delete", "rooms/r1/reports/rep1"), NONE),
    ("mute mia directly", Action("update", "rooms/r1/members/mia", {"mutedUntil": None}), NONE),
    # --- reactions ---
    ("get reaction", Action("get", "rooms/r1/messages/m-alice/reactions/mia"), MEMBERS),
    ("list reactions", Action("list", "rooms/r1/messages/m-alice/reactions"), MEMBERS),
    ("list all reactions", Action("list_group", "reactions"), NONE),
    ("react", Action("create", "rooms/r1/messages/m-last/reactions/{uid}", REACTION), MEMBERS),
    (
        "change own reaction",
        Action("set", "rooms/r1/messages/m-alice/reactions/{uid}", REACTION),
        MEMBERS,
    ),
    ("remove own reaction", Action("delete", "rooms/r1/messages/m-alice/reactions/{uid}"), MEMBERS),
    (
        "react as mia",
        Action("create", "rooms/r1/messages/m-last/reactions/mia", REACTION),
        MEMBER_ONLY,
    ),
    (
        "rewrite mia's reaction",
        Action("set", "rooms/r1/messages/m-alice/reactions/mia", REACTION),
        MEMBER_ONLY,
    ),
    (
        "remove mia's reaction",
        Action("delete", "rooms/r1/messages/m-alice/reactions/mia"),
        MEMBER_ONLY,
    ),
    (
        "react to deleted",
        Action("create", "rooms/r1/messages/m-deleted/reactions/{uid}", REACTION),
        NONE,
    ),
    (
        "react to missing",
        Action("create", "rooms/r1/messages/nope/reactions/{uid}", REACTION),
        NONE,
    ),
    # --- read receipts ---
    ("get receipt", Action("get", "rooms/r1/receipts/mia"), MEMBERS),
    ("list receipts", Action("list", "rooms/r1/receipts"), MEMBERS),
    ("list all receipts", Action("list_group", "receipts"), NONE),
    ("advance own receipt", Action("set", "rooms/r1/receipts/{uid}", READ_UP_TO_LAST), MEMBERS),
    ("advance mia's receipt", Action("set", "rooms/r1/receipts/mia", READ_UP_TO_LAST), MEMBER_ONLY),
    ("move receipt back", Action("set", "rooms/r1/receipts/{uid}", READ_BACK_TO_OLD), NONE),
    ("delete own receipt", Action("delete", "rooms/r1/receipts/{uid}"), NONE),
    # --- rate-limit stamps ---
    ("get own stamp", Action("get", "rooms/r1/rateLimits/{uid}"), SIGNED_IN),
    ("get mia's stamp", Action("get", "rooms/r1/rateLimits/mia"), MEMBER_ONLY),
    ("list stamps", Action("list", "rooms/r1/rateLimits"), NONE),
    ("stamp own", Action("merge", "rooms/r1/rateLimits/{uid}", STAMP), MEMBERS),
    ("stamp mia's", Action("merge", "rooms/r1/rateLimits/mia", STAMP), MEMBER_ONLY),
    ("stamp a busy slot", Action("merge", "rooms/r1/rateLimits/{uid}", BUSY_STAMP), NONE),
    ("replace own stamp", Action("set", "rooms/r1/rateLimits/{uid}", STAMP), NONE),
    ("delete own stamp", Action("delete", "rooms/r1/rateLimits/{uid}"), NONE),
]

CASES = [
    pytest.param(action, actor, actor in allowed, id=f"{name}-{actor}")
    for name, action, allowed in MATRIX
    for actor in ACTORS
]


def _snapshot(fs: FirestoreRest, paths: list[str]) -> dict[str, object]:
    return {path: fs.read(path) for path in paths}


@pytest.mark.parametrize(("action", "actor", "allowed"), CASES)
def test_matrix(
    firestore: FirestoreRest,
    world: dt.datetime,
    world_unchanged: Callable[[], None],
    action: Action,
    actor: str,
    allowed: bool,
) -> None:
    uid = ACTORS[actor]
    if action.mute is not None and uid:
        mute_actor(firestore, uid, world + action.mute)
    paths = [] if action.is_read else written_paths(action, uid or SIGNED_OUT_TARGET)
    before = _snapshot(firestore, paths)

    response = perform(firestore, action, uid, world)

    if not allowed:
        assert_denied(response)
        assert _snapshot(firestore, paths) == before
        if action.mute is None:
            world_unchanged()
        return
    assert_allowed(response)
    if action.is_read and action.mute is None:
        world_unchanged()
    elif action.verb == "delete":
        assert firestore.read(paths[0]) is None
    elif not action.is_read:
        stored = firestore.read(paths[0])
        assert stored is not None
        for key, value in expected_fields(action, uid or SIGNED_OUT_TARGET, world).items():
            assert stored[key] == value, key


def test_every_actor_has_an_allowed_and_a_denied_case() -> None:
    """The table is not lopsided: each actor is both granted and refused something."""
    for actor in ACTORS:
        outcomes = {actor in allowed for _, _, allowed in MATRIX}
        if actor == "anonymous":
            assert outcomes == {False}  # signed-out clients get nothing at all
        else:
            assert outcomes == {True, False}, actor
