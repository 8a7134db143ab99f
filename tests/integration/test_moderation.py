"""mute_member, ban_member / unban_member, report_message / resolve_report: PostgreSQL, the
audit log, the projections and what the rules then let each user do."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.conftest import rtdb_ref


@pytest.fixture
def room(call, new_user):
    """A group room: owner, admin, two members; plus an outsider."""
    people = {p: new_user(prefix=p) for p in ("owner", "admin", "member", "other", "outsider")}
    room_id = call(
        "create_room",
        {
            "kind": "group",
            "name": "Moderated",
            "memberIds": [people[p]["uid"] for p in ("admin", "member", "other")],
        },
        uid=people["owner"]["uid"],
    ).result["roomId"]
    promote = {"roomId": room_id, "userId": people["admin"]["uid"], "role": "admin"}
    assert call("set_role", promote, uid=people["owner"]["uid"]).ok
    return {"id": room_id, **people}


def _later(hours: float = 1) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def _send(call, room, who: str, text: str = "hello"):
    data = {"roomId": room["id"], "idempotencyKey": uuid.uuid4().hex, "kind": "text", "text": text}
    return call("send_message", data, uid=room[who]["uid"])


def _audit(rows, room_id: str, action: str) -> list:
    return rows(
        "SELECT actor_id, target_id, details FROM audit_log WHERE room_id = :r AND action = :a",
        r=room_id,
        a=action,
    )


# ---------- mute ----------


@pytest.mark.parametrize("moderator", ["owner", "admin"])
def test_mute_is_stored_projected_audited_and_enforced(
    call, rows, firestore, rtdb_mirror, room, moderator
) -> None:
    target = room["member"]["uid"]
    until = _later()
    out = call(
        "mute_member",
        {"roomId": room["id"], "userId": target, "until": until},
        uid=room[moderator]["uid"],
    )
    assert out.result["mutedUntil"] == until
    [row] = rows(
        "SELECT muted_until FROM room_members WHERE room_id = :r AND user_id = :u",
        r=room["id"],
        u=target,
    )
    assert row.muted_until == dt.datetime.fromisoformat(until)
    member_doc = firestore.document(f"rooms/{room['id']}/members/{target}").get().to_dict()
    assert member_doc["mutedUntil"] == dt.datetime.fromisoformat(until)
    flag = rtdb_ref(f"roomMembers/{room['id']}/{target}")
    assert flag.get() == int(dt.datetime.fromisoformat(until).timestamp() * 1000)
    [audit] = _audit(rows, room["id"], "member_muted")
    assert (str(audit.actor_id), str(audit.target_id)) == (room[moderator]["uid"], target)
    assert _send(call, room, "member").status == "PERMISSION_DENIED"
    assert _send(call, room, "other").ok

    unmute = {"roomId": room["id"], "userId": target, "until": None}
    assert call("mute_member", unmute, uid=room[moderator]["uid"]).result["mutedUntil"] is None
    member_doc = firestore.document(f"rooms/{room['id']}/members/{target}").get().to_dict()
    assert "mutedUntil" not in member_doc
    assert flag.get() is True
    assert len(_audit(rows, room["id"], "member_unmuted")) == 1
    assert _send(call, room, "member").ok


@pytest.mark.parametrize(
    ("actor", "target", "until", "status"),
    [
        ("member", "other", "later", "PERMISSION_DENIED"),
        ("outsider", "member", "later", "PERMISSION_DENIED"),
        ("admin", "owner", "later", "PERMISSION_DENIED"),
        ("admin", "admin", "later", "INVALID_ARGUMENT"),
        ("admin", "outsider", "later", "NOT_FOUND"),
        ("admin", "member", "2020-01-01T00:00:00Z", "INVALID_ARGUMENT"),
        ("admin", "member", "2020-01-01T00:00:00", "INVALID_ARGUMENT"),
        ("admin", "member", "next tuesday", "INVALID_ARGUMENT"),
        ("admin", "member", 12, "INVALID_ARGUMENT"),
        ("admin", "member", "3000-01-01T00:00:00Z", "INVALID_ARGUMENT"),
    ],
)
def test_mute_refusals_change_nothing(
    call, counts, rows, room, actor, target, until, status
) -> None:
    before = counts()
    data = {
        "roomId": room["id"],
        "userId": room[target]["uid"],
        "until": _later() if until == "later" else until,
    }
    assert call("mute_member", data, uid=room[actor]["uid"]).status == status
    assert counts() == before
    assert not rows(
        "SELECT 1 FROM room_members WHERE muted_until IS NOT NULL AND room_id = :r", r=room["id"]
    )


def test_a_mute_rejects_the_muted_members_direct_writes_at_once(call, rest, room) -> None:
    target = room["member"]["uid"]
    message = {
        "authorId": target,
        "kind": "text",
        "text": "hi",
        "attachments": [],
        "parentId": None,
    }
    path = f"rooms/{room['id']}/messages/direct-1"

    def write() -> int:
        writes = [
            rest.create_write(path, {**message, "createdAt": _server_time()}),
            rest.merge_write(
                f"rooms/{room['id']}/rateLimits/{target}",
                {
                    "lastMessageAt": _server_time(),
                    "lastMessageId": "direct-1",
                    "slot0": _server_time(),
                },
            ),
        ]
        return rest.commit(writes, target).status_code

    data = {"roomId": room["id"], "userId": target, "until": _later()}
    assert call("mute_member", data, uid=room["admin"]["uid"]).ok
    assert write() == 403
    assert rest.get(f"rooms/{room['id']}/messages", target).status_code in (200, 404)
    data["until"] = None
    assert call("mute_member", data, uid=room["admin"]["uid"]).ok
    assert write() == 200


def _server_time():
    from tests.support.firestore_rest import SERVER_TIME

    return SERVER_TIME


# ---------- ban ----------


def test_ban_removes_at_once_and_refuses_re_adds_until_unbanned(
    call, rows, firestore, rest, rtdb_mirror, room
) -> None:
    target = room["member"]["uid"]
    messages = f"rooms/{room['id']}/messages"
    assert rest.query(messages, target).status_code == 200
    out = call("ban_member", {"roomId": room["id"], "userId": target}, uid=room["admin"]["uid"])
    assert out.result == {"roomId": room["id"], "userId": target, "banned": True, "changed": True}
    assert rest.query(messages, target).status_code == 403  # denied at once
    assert not firestore.document(f"rooms/{room['id']}/members/{target}").get().exists
    assert not firestore.document(f"users/{target}/rooms/{room['id']}").get().exists
    flag = rtdb_ref(f"roomMembers/{room['id']}/{target}")
    assert flag.get() is None
    assert not rows(
        "SELECT 1 FROM room_members WHERE room_id = :r AND user_id = :u", r=room["id"], u=target
    )
    [audit] = _audit(rows, room["id"], "member_banned")
    assert (str(audit.actor_id), str(audit.target_id)) == (room["admin"]["uid"], target)
    assert firestore.document(f"rooms/{room['id']}").get().get("memberCount") == 3

    again = {"roomId": room["id"], "memberIds": [target]}
    assert call("add_members", again, uid=room["owner"]["uid"]).status == "PERMISSION_DENIED"
    assert call("check_membership", {"roomId": room["id"]}, uid=target).result["isMember"] is False
    bans = call("list_bans", {"roomId": room["id"]}, uid=room["admin"]["uid"]).result["bans"]
    assert [b["userId"] for b in bans] == [target]
    repeat = call("ban_member", {"roomId": room["id"], "userId": target}, uid=room["owner"]["uid"])
    assert repeat.result["changed"] is False

    out = call("unban_member", {"roomId": room["id"], "userId": target}, uid=room["admin"]["uid"])
    assert out.result["changed"] is True
    assert len(_audit(rows, room["id"], "member_unbanned")) == 1
    assert call("check_membership", {"roomId": room["id"]}, uid=target).result["isMember"] is False
    assert call("add_members", again, uid=room["owner"]["uid"]).result["added"] == [target]
    assert rest.query(messages, target).status_code == 200


def test_a_non_member_can_be_banned_before_being_added(call, room) -> None:
    outsider = room["outsider"]["uid"]
    ban = {"roomId": room["id"], "userId": outsider}
    assert call("ban_member", ban, uid=room["admin"]["uid"]).result["changed"] is True
    add = {"roomId": room["id"], "memberIds": [outsider]}
    assert call("add_members", add, uid=room["admin"]["uid"]).status == "PERMISSION_DENIED"


@pytest.mark.parametrize(
    ("actor", "target", "status"),
    [
        ("member", "other", "PERMISSION_DENIED"),
        ("outsider", "member", "PERMISSION_DENIED"),
        ("admin", "owner", "PERMISSION_DENIED"),
        ("admin", "admin", "INVALID_ARGUMENT"),
    ],
)
def test_ban_refusals_change_nothing(call, counts, room, actor, target, status) -> None:
    before = counts()
    data = {"roomId": room["id"], "userId": room[target]["uid"]}
    assert call("ban_member", data, uid=room[actor]["uid"]).status == status
    assert counts() == before


def test_ban_of_unknown_user_and_in_direct_rooms(call, room) -> None:
    unknown = {"roomId": room["id"], "userId": str(uuid.uuid4())}
    assert call("ban_member", unknown, uid=room["owner"]["uid"]).status == "NOT_FOUND"
    direct = call(
        "create_room",
        {"kind": "direct", "memberIds": [room["member"]["uid"]]},
        uid=room["other"]["uid"],
    ).result["roomId"]
    data = {"roomId": direct, "userId": room["member"]["uid"]}
    assert call("ban_member", data, uid=room["other"]["uid"]).status == "FAILED_PRECONDITION"
    assert call("unban_member", data, uid=room["member"]["uid"]).status == "FAILED_PRECONDITION"
    assert call("list_bans", {"roomId": room["id"]}, uid=room["member"]["uid"]).status == (
        "PERMISSION_DENIED"
    )


# ---------- reports ----------


def test_reports_are_stored_mirrored_for_moderators_only_and_resolved(
    call, rows, firestore, rest, room
) -> None:
    message_id = _send(call, room, "other", "buy cheap things").result["messageId"]
    report = {"roomId": room["id"], "messageId": message_id, "reason": "spam"}
    out = call("report_message", report, uid=room["member"]["uid"])
    report_id = out.result["reportId"]
    assert out.result["created"] is True
    again = call("report_message", report, uid=room["member"]["uid"]).result
    assert again == {"reportId": report_id, "created": False}
    [row] = rows("SELECT * FROM message_reports WHERE room_id = :r", r=room["id"])
    assert (row.message_id, str(row.reporter_id), row.reason, row.status) == (
        message_id,
        room["member"]["uid"],
        "spam",
        "open",
    )
    assert len(_audit(rows, room["id"], "message_reported")) == 1
    path = f"rooms/{room['id']}/reports/{report_id}"
    mirror = firestore.document(path).get().to_dict()
    assert (mirror["messageId"], mirror["reporterId"], mirror["status"]) == (
        message_id,
        room["member"]["uid"],
        "open",
    )
    for who, status in [
        ("admin", 200),
        ("owner", 200),
        ("member", 403),
        ("other", 403),
        ("outsider", 403),
    ]:
        assert rest.get(path, room[who]["uid"]).status_code == status, who

    resolve = {"roomId": room["id"], "reportId": report_id, "resolution": "removed"}
    assert call("resolve_report", resolve, uid=room["member"]["uid"]).status == (
        "PERMISSION_DENIED"
    )
    out = call("resolve_report", resolve, uid=room["admin"]["uid"])
    assert out.result == {"reportId": report_id, "status": "resolved"}
    [row] = rows("SELECT * FROM message_reports WHERE id = :i", i=report_id)
    assert (row.status, str(row.resolved_by), row.resolution) == (
        "resolved",
        room["admin"]["uid"],
        "removed",
    )
    mirror = firestore.document(path).get().to_dict()
    assert (mirror["status"], mirror["resolvedBy"]) == ("resolved", room["admin"]["uid"])
    assert len(_audit(rows, room["id"], "report_resolved")) == 1
    assert call("resolve_report", resolve, uid=room["owner"]["uid"]).status == (
        "FAILED_PRECONDITION"
    )
    # Once resolved, the same member may report the message again.
    assert call("report_message", report, uid=room["member"]["uid"]).result["created"] is True


@pytest.mark.parametrize(
    ("who", "change", "status"),
    [
        ("outsider", {}, "PERMISSION_DENIED"),
        ("member", {"messageId": "no-such-message"}, "NOT_FOUND"),
        ("member", {"messageId": "a/b"}, "INVALID_ARGUMENT"),
        ("member", {"reason": ""}, "INVALID_ARGUMENT"),
        ("member", {"reason": "x" * 501}, "INVALID_ARGUMENT"),
        ("member", {"extra": 1}, "INVALID_ARGUMENT"),
    ],
)
def test_report_refusals_change_nothing(call, counts, rows, room, who, change, status) -> None:
    message_id = _send(call, room, "other").result["messageId"]
    before = counts()
    data = {"roomId": room["id"], "messageId": message_id, "reason": "rude", **change}
    assert call("report_message", data, uid=room[who]["uid"]).status == status
    assert counts() == before
    assert not rows("SELECT 1 FROM message_reports WHERE room_id = :r", r=room["id"])


def test_resolving_an_unknown_report_is_not_found(call, room) -> None:
    data = {"roomId": room["id"], "reportId": str(uuid.uuid4())}
    assert call("resolve_report", data, uid=room["admin"]["uid"]).status == "NOT_FOUND"
