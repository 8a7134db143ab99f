"""Blocks that hold in an existing direct room, leaving a direct room, and hiding a room.

Through the real callables and the real rules (REST with ID tokens, as a client): once
either user blocks the other, the blocked user can neither read nor write their direct
room, the blocker only reads, send_message refuses both, check_membership says so, and
unblocking restores everything.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.rules.assertions import assert_denied
from tests.support.chat_writes import message_batch
from tests.support.firestore_rest import FirestoreRest, Write
from tests.support.id_tokens import OWNER


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEND_MESSAGE_MIN_INTERVAL_SECONDS", "0")


def _client_send(fs: FirestoreRest, room_id: str, uid: str) -> list[Write]:
    """A message and its rate-limit stamp in one batch (a fresh stamp: any slot is free)."""
    message_id = f"c-{uuid.uuid4().hex[:12]}"
    return message_batch(fs, room_id, uid, message_id, merge_stamp=False)


def _send(call, room_id: str, uid: str) -> Any:
    data = {"roomId": room_id, "text": "hello", "idempotencyKey": uuid.uuid4().hex}
    return call("send_message", data, uid=uid)


def _can_read(fs: FirestoreRest, room_id: str, uid: str) -> bool:
    answers = [fs.get(f"rooms/{room_id}", uid), fs.query(f"rooms/{room_id}/messages", uid)]
    assert len({a.status_code for a in answers}) == 1, answers
    return answers[0].status_code == 200


def _can_write(fs: FirestoreRest, room_id: str, uid: str) -> bool:
    # The rate limit is not under test here: start each probe from no stamp.
    fs.commit([fs.delete_write(f"rooms/{room_id}/rateLimits/{uid}")], OWNER).raise_for_status()
    response = fs.commit(_client_send(fs, room_id, uid), uid)
    assert response.status_code in (200, 403), response.text
    return response.status_code == 200


def _direct_room(call, a: dict[str, str], b: dict[str, str]) -> str:
    return call("create_room", {"kind": "direct", "memberIds": [b["uid"]]}, uid=a["uid"]).result[
        "roomId"
    ]


@pytest.mark.parametrize("who_blocks", ["first", "second"])
def test_a_block_holds_in_the_existing_direct_room_until_lifted(
    call, rest, firestore, new_user, who_blocks
) -> None:
    a, b = new_user(prefix="ann"), new_user(prefix="ben")
    room_id = _direct_room(call, a, b)
    assert _send(call, room_id, b["uid"]).ok
    assert _can_read(rest, room_id, b["uid"]) and _can_write(rest, room_id, b["uid"])
    blocker, blocked = (a, b) if who_blocks == "first" else (b, a)

    assert call("block_user", {"userId": blocked["uid"]}, uid=blocker["uid"]).ok

    # The blocked user: nothing, directly or through the callables.
    assert not _can_read(rest, room_id, blocked["uid"])
    assert not _can_write(rest, room_id, blocked["uid"])
    assert_denied(rest.query(f"rooms/{room_id}/members", blocked["uid"]))
    refused = _send(call, room_id, blocked["uid"])
    assert refused.status == "PERMISSION_DENIED" and "blocked" in refused.body["error"]["message"]
    assert call("get_room", {"roomId": room_id}, uid=blocked["uid"]).status == "PERMISSION_DENIED"
    assert call("check_membership", {"roomId": room_id}, uid=blocked["uid"]).result == {
        "isMember": False,
        "role": None,
        "blocked": True,
        "canPost": False,
    }
    # The blocker: reads the history, writes nothing until they unblock.
    assert _can_read(rest, room_id, blocker["uid"])
    assert not _can_write(rest, room_id, blocker["uid"])
    own = _send(call, room_id, blocker["uid"])
    assert own.status == "PERMISSION_DENIED" and "unblock" in own.body["error"]["message"]
    assert call("check_membership", {"roomId": room_id}, uid=blocker["uid"]).result == {
        "isMember": True,
        "role": "member",
        "blocked": True,
        "canPost": False,
    }
    sidebar = firestore.document(f"users/{blocked['uid']}/rooms/{room_id}").get().to_dict()
    assert sidebar["block"] == "blocked"

    assert call("unblock_user", {"userId": blocked["uid"]}, uid=blocker["uid"]).ok

    for user in (a, b):
        assert _can_read(rest, room_id, user["uid"]) and _can_write(rest, room_id, user["uid"])
        assert _send(call, room_id, user["uid"]).ok
        assert call("check_membership", {"roomId": room_id}, uid=user["uid"]).result == {
            "isMember": True,
            "role": "member",
            "blocked": False,
            "canPost": True,
        }
    assert (
        "block"
        not in firestore.document(f"rooms/{room_id}/members/{blocked['uid']}").get().to_dict()
    )


def test_a_block_either_way_stays_until_both_are_lifted(call, rest, new_user) -> None:
    a, b = new_user(prefix="ann"), new_user(prefix="ben")
    room_id = _direct_room(call, a, b)
    assert call("block_user", {"userId": b["uid"]}, uid=a["uid"]).ok
    assert call("block_user", {"userId": a["uid"]}, uid=b["uid"]).ok
    assert not _can_read(rest, room_id, a["uid"]) and not _can_read(rest, room_id, b["uid"])
    assert call("unblock_user", {"userId": b["uid"]}, uid=a["uid"]).ok
    # b's block on a still holds: a is locked out, b reads only.
    assert not _can_read(rest, room_id, a["uid"])
    assert _can_read(rest, room_id, b["uid"]) and not _can_write(rest, room_id, b["uid"])


def test_a_group_room_is_not_affected_by_a_block(call, rest, new_user) -> None:
    owner, a, b = new_user(prefix="own"), new_user(prefix="ann"), new_user(prefix="ben")
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Club", "memberIds": [a["uid"], b["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    assert call("block_user", {"userId": b["uid"]}, uid=a["uid"]).ok
    assert _can_read(rest, room_id, b["uid"]) and _can_write(rest, room_id, b["uid"])


def test_either_member_leaves_a_direct_room_and_reopening_rejoins(
    call, rest, rows, new_user
) -> None:
    a, b = new_user(prefix="ann"), new_user(prefix="ben")
    room_id = _direct_room(call, a, b)
    assert call("block_user", {"userId": b["uid"]}, uid=a["uid"]).ok
    # The blocker leaves, and so can the blocked user (who has no other access).
    assert call("leave_room", {"roomId": room_id}, uid=a["uid"]).result == {
        "roomId": room_id,
        "left": True,
    }
    assert call("leave_room", {"roomId": room_id}, uid=b["uid"]).ok
    assert not _can_read(rest, room_id, a["uid"]) and not _can_read(rest, room_id, b["uid"])
    members = rows("SELECT user_id FROM room_members WHERE room_id = :r", r=room_id)
    assert members == []
    # Blocked: nobody can reopen; unblocked: reopening brings both back into the same room.
    reopen = call("create_room", {"kind": "direct", "memberIds": [b["uid"]]}, uid=a["uid"])
    assert reopen.status == "PERMISSION_DENIED"
    assert call("unblock_user", {"userId": b["uid"]}, uid=a["uid"]).ok
    again = call("create_room", {"kind": "direct", "memberIds": [b["uid"]]}, uid=a["uid"])
    assert again.result == {"roomId": room_id, "created": False}
    assert _can_read(rest, room_id, a["uid"]) and _can_write(rest, room_id, b["uid"])
    [count] = rows("SELECT member_count FROM rooms WHERE id = :r", r=room_id)
    assert count.member_count == 2


def test_hide_room_flags_the_callers_entry_only(call, firestore, new_user) -> None:
    a, b, stranger = new_user(prefix="ann"), new_user(prefix="ben"), new_user(prefix="sam")
    room_id = _direct_room(call, a, b)
    out = call("hide_room", {"roomId": room_id}, uid=a["uid"])
    assert out.result == {"roomId": room_id, "hidden": True, "changed": True}
    assert call("hide_room", {"roomId": room_id}, uid=a["uid"]).result["changed"] is False

    def hidden(user: dict[str, str]) -> bool:
        return firestore.document(f"users/{user['uid']}/rooms/{room_id}").get().get("hidden")

    assert hidden(a) is True and hidden(b) is False
    listed = call("list_my_rooms", {}, uid=a["uid"]).result["rooms"]
    assert [(r["roomId"], r["hidden"]) for r in listed] == [(room_id, True)]
    assert call("hide_room", {"roomId": room_id, "hidden": False}, uid=a["uid"]).ok
    assert hidden(a) is False

    assert call("hide_room", {"roomId": room_id}, uid=stranger["uid"]).status == (
        "PERMISSION_DENIED"
    )
    for bad in ({"roomId": room_id, "hidden": "yes"}, {"roomId": "x"}, {}):
        assert call("hide_room", bad, uid=a["uid"]).status == "INVALID_ARGUMENT"
    assert call("hide_room", {"roomId": room_id}).status == "UNAUTHENTICATED"


def test_a_new_message_brings_a_hidden_room_back(committed, firestore, settled) -> None:
    a, b = committed.user("ann"), committed.user("ben")
    room_id = _direct_room(committed.call, a, b)
    assert committed.call("hide_room", {"roomId": room_id}, uid=a["uid"]).ok
    assert committed.call("hide_room", {"roomId": room_id}, uid=b["uid"]).ok
    entry = firestore.document(f"users/{a['uid']}/rooms/{room_id}")
    assert entry.get().get("hidden") is True

    assert _send(committed.call, room_id, b["uid"]).ok
    settled()

    assert entry.get().get("hidden") is False
    assert firestore.document(f"users/{b['uid']}/rooms/{room_id}").get().get("hidden") is False


def test_the_blocked_user_cannot_search_the_direct_room(committed, settled) -> None:
    a, b = committed.user("ann"), committed.user("ben")
    room_id = _direct_room(committed.call, a, b)
    word = f"w{uuid.uuid4().hex[:10]}"
    data = {"roomId": room_id, "text": f"secret {word}", "idempotencyKey": uuid.uuid4().hex}
    assert committed.call("send_message", data, uid=a["uid"]).ok
    settled()

    def found(user: dict[str, str]) -> int:
        out = committed.call("search_messages", {"query": word}, uid=user["uid"])
        return len(out.result["messages"])

    assert found(b) == 1
    assert committed.call("block_user", {"userId": b["uid"]}, uid=a["uid"]).ok
    assert found(b) == 0 and found(a) == 1
    scoped = committed.call("search_messages", {"query": word, "roomId": room_id}, uid=b["uid"])
    assert scoped.status == "PERMISSION_DENIED"
