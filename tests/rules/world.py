"""The seeded world every rules test starts from: who is who, and the documents.

Room ``r1`` (group): alice (the author), mia (a member), adam (room admin), owen (owner).
rita was a member of r1 and has been removed (her old message stays). bob is blocked
by alice: he is in no group with her; their direct room ``d2`` from before the block stays,
its member documents flagged by the backend (bob's ``block: 'blocked'``: no access at all;
alice's ``block: 'blocking'``: she reads, nobody writes). mia has hidden (archived) d1 in
her room list (``hidden: true`` on users/mia/rooms/d1). owen invited sam to r1 (sam's add
policy asks for consent): ``users/sam/invitations/r1`` is pending, and gives sam no access.
sam is signed in and a member of another room, ``r2``, only (its owner). ``d1`` is the direct
room of alice and mia; bob, blocked by alice, can never get one with her. bob also stands for
a user banned from r1: a ban removes the membership, so the rules see him as a non-member.
mia has reported alice's message m-alice (``rooms/r1/reports/rep1``, for r1's moderators).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

CLOUD_URL = (
    "https://res.cloudinary.com/demo-flowchat/image/upload/v1700000000/flowchat/rooms/r1/cat.jpg"
)

# Actor name -> uid (None: signed out).
ACTORS: dict[str, str | None] = {
    "anonymous": None,
    "stranger": "sam",
    "member": "mia",
    "author": "alice",
    "admin": "adam",
    "removed": "rita",
    "blocked": "bob",
}
MEMBERS = frozenset({"member", "author", "admin"})
ROLES = {"alice": "member", "mia": "member", "adam": "admin", "owen": "owner"}
USERS = ["alice", "mia", "adam", "owen", "rita", "bob", "sam"]
DIRECT_PAIR = ("alice", "mia")
BLOCKED_PAIR = {"alice": "blocking", "bob": "blocked"}  # d2: alice blocked bob

# When the seeded messages were created, relative to the seeding time.
MESSAGE_AGES = {
    "m-old": dt.timedelta(hours=25),
    "m-first": dt.timedelta(hours=3),
    "m-deleted": dt.timedelta(hours=2),
    "m-reply": dt.timedelta(minutes=50),
    "m-image": dt.timedelta(minutes=40),
    "m-last": dt.timedelta(minutes=10),
}
OWN_MESSAGE_AGE = dt.timedelta(hours=1)  # m-{uid}: one message "authored" by every uid
REACTION_AGE = dt.timedelta(minutes=30)  # the seeded reactions on m-alice


def text_message(author: str, created_at: dt.datetime, text: str = "hello") -> dict[str, Any]:
    return {
        "authorId": author,
        "kind": "text",
        "text": text,
        "attachments": [],
        "createdAt": created_at,
    }


def image_attachment(url: str = CLOUD_URL) -> dict[str, Any]:
    return {
        "kind": "image",
        "url": url,
        "name": "cat.jpg",
        "contentType": "image/jpeg",
        "size": 2048,
    }


def _rooms(now: dt.datetime) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {
        "rooms/r1": {
            "kind": "group",
            "name": "General",
            "createdBy": "owen",
            "createdAt": now,
            "memberCount": len(ROLES),
        },
        "rooms/r2": {
            "kind": "group",
            "name": "Elsewhere",
            "createdBy": "sam",
            "createdAt": now,
            "memberCount": 1,
        },
        "rooms/r2/members/sam": {"role": "owner", "joinedAt": now},
        "users/sam/rooms/r2": {"kind": "group", "name": "Elsewhere"},
        "rooms/r2/messages/other": text_message("sam", now - dt.timedelta(hours=1)),
        "rooms/d1": {
            "kind": "direct",
            "name": None,
            "createdBy": "alice",
            "createdAt": now,
            "memberCount": 2,
        },
        "rooms/d1/messages/hi": text_message("mia", now - dt.timedelta(hours=1)),
    }
    for uid in DIRECT_PAIR:
        docs[f"rooms/d1/members/{uid}"] = {"role": "member", "joinedAt": now}
        docs[f"users/{uid}/rooms/d1"] = {
            "kind": "direct",
            "name": None,
            "members": list(DIRECT_PAIR),
        }
    docs["users/mia/rooms/d1"]["hidden"] = True
    docs["users/sam/invitations/r1"] = {
        "roomId": "r1",
        "roomName": "General",
        "invitedBy": "owen",
        "invitedByName": "Owen",
        "invitedAt": now,
    }
    docs.update(_blocked_direct_room(now))
    for uid, role in ROLES.items():
        docs[f"rooms/r1/members/{uid}"] = {"role": role, "joinedAt": now}
        docs[f"users/{uid}/rooms/r1"] = {"kind": "group", "name": "General"}
    for uid in USERS:
        docs[f"users/{uid}"] = {"username": uid, "displayName": uid.title(), "avatarUrl": None}
    return docs


def _blocked_direct_room(now: dt.datetime) -> dict[str, dict[str, Any]]:
    """d2: the direct room of alice and bob, after alice blocked bob."""
    docs: dict[str, dict[str, Any]] = {
        "rooms/d2": {
            "kind": "direct",
            "name": None,
            "createdBy": "bob",
            "createdAt": now,
            "memberCount": 2,
        },
        "rooms/d2/messages/from-bob": text_message("bob", now - dt.timedelta(hours=2)),
        "rooms/d2/messages/from-alice": text_message("alice", now - dt.timedelta(hours=1)),
    }
    for uid, block in BLOCKED_PAIR.items():
        docs[f"rooms/d2/members/{uid}"] = {"role": "member", "joinedAt": now, "block": block}
        docs[f"users/{uid}/rooms/d2"] = {
            "kind": "direct",
            "name": None,
            "block": block,
            "members": sorted(BLOCKED_PAIR),
            "hidden": False,
        }
    return docs


def _messages(now: dt.datetime) -> dict[str, dict[str, Any]]:
    room = "rooms/r1/messages"
    docs = {f"{room}/m-{uid}": text_message(uid, now - OWN_MESSAGE_AGE) for uid in USERS}
    docs[f"{room}/m-old"] = text_message("alice", now - MESSAGE_AGES["m-old"])
    docs[f"{room}/m-first"] = text_message("alice", now - MESSAGE_AGES["m-first"])
    docs[f"{room}/m-deleted"] = {
        **text_message("alice", now - MESSAGE_AGES["m-deleted"], text=""),
        "deletedAt": now - dt.timedelta(hours=1),
    }
    docs[f"{room}/m-reply"] = {
        **text_message("mia", now - MESSAGE_AGES["m-reply"]),
        "parentId": "m-alice",
    }
    docs[f"{room}/m-image"] = {
        **text_message("alice", now - MESSAGE_AGES["m-image"], text="a cat"),
        "kind": "image",
        "attachments": [image_attachment()],
    }
    docs[f"{room}/m-last"] = text_message("mia", now - MESSAGE_AGES["m-last"])
    docs["rooms/r1/reports/rep1"] = {
        "messageId": "m-alice",
        "reporterId": "mia",
        "reason": "spam",
        "status": "open",
        "createdAt": now - dt.timedelta(minutes=5),
        "resolvedBy": None,
        "resolvedAt": None,
        "resolution": None,
    }
    return docs


# The rate-limit slots taken in every seeded r1 stamp (slot0 is free): stamped an hour
# ahead, so that they stay within their window however long the suite runs.
BUSY_SLOTS = ("slot1", "slot2", "slot3", "slot4")


def rate_limit_stamp(now: dt.datetime) -> dict[str, Any]:
    """A stamp whose slot0 is free and whose other slots are all in use."""
    busy_until = now + dt.timedelta(hours=1)
    return {
        "lastMessageAt": now - dt.timedelta(hours=1),
        "lastMessageId": "m-first",
        **dict.fromkeys(BUSY_SLOTS, busy_until),
    }


def _per_user(now: dt.datetime) -> dict[str, dict[str, Any]]:
    """A reaction, a read receipt and a rate-limit stamp with one free slot for every uid
    (stale ones for non-members)."""
    first_at = now - MESSAGE_AGES["m-first"]
    docs: dict[str, dict[str, Any]] = {}
    for uid in USERS:
        docs[f"rooms/r1/messages/m-alice/reactions/{uid}"] = {
            "emoji": "👍",
            "createdAt": now - REACTION_AGE,
        }
        docs[f"rooms/r1/receipts/{uid}"] = {"lastReadAt": first_at, "lastReadMessageId": "m-first"}
        docs[f"rooms/r1/rateLimits/{uid}"] = rate_limit_stamp(now)
    return docs


def seed_documents(now: dt.datetime) -> dict[str, dict[str, Any]]:
    """Every seeded document, keyed by path."""
    return {**_rooms(now), **_messages(now), **_per_user(now)}


def created_at(message_id: str, now: dt.datetime) -> dt.datetime:
    """When a seeded message of r1 was created."""
    return now - MESSAGE_AGES.get(message_id, OWN_MESSAGE_AGE)
