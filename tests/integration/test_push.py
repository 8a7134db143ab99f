"""Push notifications: device callables, recipients for every case, the interval, pruning and
batching, with FCM replaced by a local fake that checks requests as FCM does."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from firebase_admin import messaging
from flowchat.triggers import message_push

from tests.integration.conftest import RTDB_URL, rtdb_ref

CASES = (
    "offline",
    "online",
    "room_none",
    "room_mentions",
    "muted_author",
    "blocked",
    "mentioned_in_muted_room",
    "mentioned_but_muted_author",
    "mentioned_but_blocked",
)


@pytest.fixture
def with_rtdb(database_emulator: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RTDB_URL", RTDB_URL)
    yield
    rtdb_ref("status").delete()


def _online(uid: str) -> None:
    session = {"startedAt": 1, "lastActive": 1}
    ref = rtdb_ref(f"status/{uid}/connections/s1")
    ref.set(session)


def _register(call, user, token: str, platform: str = "android") -> None:
    assert call("register_device", {"token": token, "platform": platform}, uid=user["uid"]).ok


@pytest.fixture
def world(call, new_user, with_rtdb):
    """A room whose author and members stand for every recipient case; each has a token."""
    author = new_user(prefix="author")
    people = {case: new_user(prefix=case[:12]) for case in CASES}
    room_id = call(
        "create_room",
        {"kind": "group", "name": "Pushy", "memberIds": [p["uid"] for p in people.values()]},
        uid=author["uid"],
    ).result["roomId"]
    for name, person in {"author": author, **people}.items():
        _register(call, person, f"tok-{name}-{uuid.uuid4().hex[:6]}")
        person["token"] = _tokens_of(person["uid"])[0]
    _online(people["online"]["uid"])
    for case, level in [
        ("room_none", "none"),
        ("room_mentions", "mentions"),
        ("mentioned_in_muted_room", "none"),
    ]:
        data = {"roomId": room_id, "level": level}
        assert call("set_notification_level", data, uid=people[case]["uid"]).ok
    for case in ("muted_author", "mentioned_but_muted_author"):
        assert call("mute_user", {"userId": author["uid"]}, uid=people[case]["uid"]).ok
    for case in ("blocked", "mentioned_but_blocked"):
        assert call("block_user", {"userId": author["uid"]}, uid=people[case]["uid"]).ok
    return {"room": room_id, "author": author, **people}


def _tokens_of(uid: str) -> list[str]:
    from tests.integration.conftest import query

    return [r.token for r in query("SELECT token FROM devices WHERE user_id = :u", u=uid)]


def _fan_out(world, text: str, event_id: str | None = None, **extra):
    doc = {
        "authorId": world["author"]["uid"],
        "kind": "text",
        "text": text,
        "attachments": [],
        **extra,
    }
    return message_push.fan_out(
        event_id or uuid.uuid4().hex,
        world["room"],
        uuid.uuid4().hex[:20],
        world["author"]["uid"],
        doc,
    )


def _mention(world, *cases: str) -> str:
    return " ".join(f"@{world[c]['username']}" for c in cases)


def test_recipients_for_every_case(fcm, world) -> None:
    mentioned = ("mentioned_in_muted_room", "mentioned_but_muted_author", "mentioned_but_blocked")
    result = _fan_out(world, "hello " + _mention(world, *mentioned))
    expected = {"offline", "mentioned_in_muted_room"}
    assert set(result.recipients) == {world[c]["uid"] for c in expected}
    assert {m["fid"] for m in fcm.received} == {world[c]["token"] for c in expected}
    assert (result.sent, result.failed, result.pruned) == (2, 0, 0)


def test_a_mention_reaches_a_mentions_only_member_and_the_mentions_field_counts(
    fcm, world, monkeypatch
) -> None:
    monkeypatch.setenv("PUSH_INTERVAL_SECONDS", "0")
    result = _fan_out(world, "no names here", mentions=[world["room_mentions"]["uid"]])
    assert set(result.recipients) == {world["offline"]["uid"], world["room_mentions"]["uid"]}
    mention = "cc @" + world["room_mentions"]["username"].upper()  # usernames ignore case
    fcm.reset()
    other_room = _fan_out(world, mention)
    assert world["room_mentions"]["uid"] in other_room.recipients


def test_the_request_is_fcm_http_v1_with_collapse_keys_and_an_oauth_token(fcm, world) -> None:
    _fan_out(world, "x" * 300)
    [request] = [r for r in fcm.requests if r.body["message"]["fid"] == world["offline"]["token"]]
    assert request.status == 200 and request.project == "demo-flowchat"
    assert request.authorization.startswith("Bearer ya29.fake-")
    message = request.body["message"]
    collapse = world["room"].replace("-", "")
    assert message["android"]["collapse_key"] == collapse
    assert message["apns"]["headers"]["apns-collapse-id"] == collapse
    assert message["webpush"]["headers"]["Topic"] == collapse
    assert message["notification"]["title"] == "Pushy"
    body = message["notification"]["body"]
    assert body.startswith(world["author"]["username"].title() + ": xxx") and len(body) < 200
    assert message["data"]["roomId"] == world["room"] and message["data"]["type"] == "message"


def test_one_push_per_member_and_room_per_interval(fcm, world, monkeypatch) -> None:
    first = _fan_out(world, "one")
    assert first.sent == 1
    second = _fan_out(world, "two")
    assert second.sent == 0 and set(second.throttled) == set(first.recipients)
    monkeypatch.setenv("PUSH_INTERVAL_SECONDS", "0")
    assert _fan_out(world, "three").sent == 1
    assert len(fcm.received) == 2


def test_a_redelivered_event_sends_nothing_twice(fcm, world, monkeypatch) -> None:
    monkeypatch.setenv("PUSH_INTERVAL_SECONDS", "0")
    assert _fan_out(world, "once", event_id="evt-1").sent == 1
    assert _fan_out(world, "once", event_id="evt-1").sent == 0
    assert len(fcm.received) == 1


def test_dead_tokens_are_pruned(call, fcm, world) -> None:
    offline = world["offline"]
    _register(call, offline, "invalid-token-xyz", "web")
    _register(call, offline, "gone-token-abc", "ios")
    fcm.unregistered.add("gone-token-abc")
    result = _fan_out(world, "hi")
    assert (result.sent, result.pruned) == (1, 2)
    assert set(_tokens_of(offline["uid"])) == {offline["token"]}


def test_fcm_failures_other_than_dead_tokens_keep_the_token(call, fcm, world, monkeypatch) -> None:
    monkeypatch.setenv("FCM_ENDPOINT", fcm.url + "/elsewhere")  # 404 without an FCM error code
    result = _fan_out(world, "hi")
    assert result.failed == 1 and result.pruned == 0
    assert _tokens_of(world["offline"]["uid"]) == [world["offline"]["token"]]


def test_sends_in_batches_of_500(call, rows, fcm, world, monkeypatch) -> None:
    calls: list[int] = []
    real = messaging.send_each

    def counting(messages, dry_run=False, app=None):
        calls.append(len(messages))
        return real(messages, dry_run=dry_run, app=app)

    monkeypatch.setattr(messaging, "send_each", counting)
    rows(
        "INSERT INTO devices (token, user_id, platform) "
        "SELECT 'bulk-' || g, :u, 'android' FROM generate_series(1, 700) AS g RETURNING token",
        u=world["offline"]["uid"],
    )
    result = _fan_out(world, "to many devices")
    assert calls == [500, 201]
    assert result.sent == 701 and len(fcm.received) == 701


def test_the_fake_refuses_what_fcm_refuses(fcm) -> None:
    url = f"{fcm.url}/v1/projects/demo-flowchat/messages:send"
    body = {"message": {"token": "t", "notification": {"title": "a", "body": "b"}}}
    assert httpx.post(url, json=body).status_code == 401
    assert (
        httpx.post(url, json=body, headers={"Authorization": "Bearer made-up"}).status_code == 401
    )
    form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "x.y.z"}
    assert httpx.post(f"{fcm.url}/token", data=form).status_code == 400


# ---------- callables ----------


def test_device_registration_moves_and_unregisters(call, rows, new_user) -> None:
    a, b = new_user(), new_user()
    _register(call, a, "shared-device-token", "web")
    _register(call, b, "shared-device-token", "ios")  # the device changed accounts
    assert _tokens_of(a["uid"]) == [] and _tokens_of(b["uid"]) == ["shared-device-token"]
    out = call("unregister_device", {"token": "shared-device-token"}, uid=a["uid"])
    assert out.result["changed"] is False
    out = call("unregister_device", {"token": "shared-device-token"}, uid=b["uid"])
    assert out.result["changed"] is True and _tokens_of(b["uid"]) == []


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("register_device", {"token": "", "platform": "web"}, "INVALID_ARGUMENT"),
        ("register_device", {"token": "t", "platform": "palm"}, "INVALID_ARGUMENT"),
        ("register_device", {"token": "t" * 4097, "platform": "web"}, "INVALID_ARGUMENT"),
        ("register_device", {"token": 5, "platform": "web"}, "INVALID_ARGUMENT"),
        ("unregister_device", {}, "INVALID_ARGUMENT"),
        ("set_notification_level", {"roomId": "x", "level": "all"}, "INVALID_ARGUMENT"),
        ("mute_user", {"userId": str(uuid.uuid4())}, "NOT_FOUND"),
    ],
)
def test_bad_input_is_refused(call, counts, new_user, name, data, status) -> None:
    user = new_user()
    before = counts()
    assert call(name, data, uid=user["uid"]).status == status
    assert counts() == before
    assert _tokens_of(user["uid"]) == []


def test_levels_need_membership_and_a_known_level(call, new_user) -> None:
    owner, outsider = new_user(), new_user()
    room_id = call(
        "create_room", {"kind": "group", "name": "L", "memberIds": []}, uid=owner["uid"]
    ).result["roomId"]
    assert (
        call(
            "set_notification_level", {"roomId": room_id, "level": "loud"}, uid=owner["uid"]
        ).status
        == "INVALID_ARGUMENT"
    )
    assert (
        call(
            "set_notification_level", {"roomId": room_id, "level": "none"}, uid=outsider["uid"]
        ).status
        == "PERMISSION_DENIED"
    )
    assert call(
        "set_notification_level", {"roomId": room_id, "level": "mentions"}, uid=owner["uid"]
    ).result == {"roomId": room_id, "level": "mentions"}
    assert call("register_device", {"token": "t", "platform": "web"}).status == "UNAUTHENTICATED"
    assert call("mute_user", {"userId": owner["uid"]}, uid=owner["uid"]).status == (
        "INVALID_ARGUMENT"
    )


def test_the_message_trigger_pushes_a_new_message(committed, settled, fcm, monkeypatch) -> None:
    """Through the emulator's event delivery: send_message -> trigger -> FCM (fake)."""
    monkeypatch.setenv("SEND_MESSAGE_MIN_INTERVAL_SECONDS", "0")
    owner, member = committed.user("pown"), committed.user("pmem")
    room_id = committed.call(
        "create_room",
        {"kind": "group", "name": "Live push", "memberIds": [member["uid"]]},
        uid=owner["uid"],
    ).result["roomId"]
    token = "tok-trigger-" + uuid.uuid4().hex[:8]
    assert committed.call(
        "register_device", {"token": token, "platform": "web"}, uid=member["uid"]
    ).ok
    data = {"roomId": room_id, "text": "ping", "idempotencyKey": uuid.uuid4().hex}
    message_id = committed.call("send_message", data, uid=owner["uid"]).result["messageId"]
    settled()
    [pushed] = [m for m in fcm.received if m["fid"] == token]
    assert pushed["data"]["messageId"] == message_id
    assert pushed["notification"]["body"].endswith(": ping")
