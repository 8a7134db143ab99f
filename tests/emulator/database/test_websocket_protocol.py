"""The realtime WebSocket protocol of the Firebase SDKs, spoken by a raw client: handshake,
listen / unlisten, put / merge, hash-checked transactions, onDisconnect, auth, framing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from emulator.database.hashing import value_hash
from emulator.database.server import DatabaseEmulator
from tests.emulator.database.conftest import id_token
from tests.emulator.database.realtime_client import RealtimeClient

OK = {"s": "ok", "d": ""}
DENIED_STATUS = "permission_denied"


@pytest.fixture
def client(rtdb: DatabaseEmulator, ns: str) -> Iterator[RealtimeClient]:
    connection = RealtimeClient(rtdb.address, ns)
    yield connection
    connection.close()


def data_push(path: str, data: Any, tag: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"p": path, "d": data}
    if tag is not None:
        body["t"] = tag
    return {"t": "d", "d": {"a": "d", "b": body}}


def wait_for(predicate: Any, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_handshake(client: RealtimeClient, rtdb: DatabaseEmulator) -> None:
    assert client.handshake["t"] == "c"
    hello = client.handshake["d"]
    assert hello["t"] == "h"
    assert hello["d"]["v"] == "5"
    assert hello["d"]["h"] == rtdb.address
    assert hello["d"]["s"]
    assert abs(hello["d"]["ts"] - time.time() * 1000) < 5000  # the SDK's server time offset


def test_ping_is_answered_with_pong(client: RealtimeClient) -> None:
    client.send_raw(json.dumps({"t": "c", "d": {"t": "p", "d": {}}}))
    assert client.next_push() == {"t": "c", "d": {"t": "o", "d": {}}}


def test_listen_sends_data_before_ok(client: RealtimeClient, http: httpx.Client) -> None:
    http.put("/public/room.json", json={"topic": "hi"})
    assert client.request("q", {"p": "/public/room", "h": ""}) == {"s": "ok", "d": {}}
    assert client.pushes == [data_push("public/room", {"topic": "hi"})]


def test_listen_receives_later_writes(client: RealtimeClient, http: httpx.Client) -> None:
    client.request("q", {"p": "/public", "h": ""})
    client.pushes.clear()
    http.put("/public/a/b.json", json=1)
    assert client.next_push() == data_push("public/a/b", 1)
    http.put("/.json", params={"auth": "owner"}, json={"public": {"x": 2}})
    assert client.next_push() == data_push("public", {"x": 2})


def test_merge_reaches_listeners_and_put_answers_ok(client: RealtimeClient) -> None:
    client.request("q", {"p": "/public/u", "h": ""})
    client.pushes.clear()
    assert client.request("p", {"p": "/public/u/name", "d": "Ann"}) == OK
    assert client.request("m", {"p": "/public/u", "d": {"age": 3, "city": "Oslo"}}) == OK
    assert client.next_push() == data_push("public/u/name", "Ann")
    merge = {"a": "m", "b": {"p": "public/u", "d": {"age": 3, "city": "Oslo"}}}
    assert client.next_push() == {"t": "d", "d": merge}


def test_unlisten_stops_pushes(client: RealtimeClient, http: httpx.Client) -> None:
    client.request("q", {"p": "/public/a", "h": ""})
    assert client.request("n", {"p": "/public/a"}) == OK
    client.pushes.clear()
    http.put("/public/a.json", json=1)
    client.request("s", {"c": {}})  # a round trip: any push would have arrived before it
    assert client.pushes == []


def test_tagged_query_listen_gets_the_query_result(
    client: RealtimeClient, http: httpx.Client
) -> None:
    http.put("/public/s.json", json={"a": 3, "b": 1, "c": 2})
    spec = {"i": ".value", "l": 2, "vf": "l"}
    assert client.request("q", {"p": "/public/s", "q": spec, "t": 7, "h": ""})["s"] == "ok"
    assert client.pushes == [data_push("public/s", {"b": 1, "c": 2}, tag=7)]
    client.pushes.clear()
    http.put("/public/s/z.json", json=0)
    assert client.next_push() == data_push("public/s", {"z": 0, "b": 1}, tag=7)


def test_get_action(client: RealtimeClient, http: httpx.Client) -> None:
    http.put("/public/g.json", json={"v": 1})
    assert client.request("g", {"p": "/public/g"}) == {"s": "ok", "d": {"v": 1}}


def test_denied_listen_and_write(client: RealtimeClient) -> None:
    assert client.request("q", {"p": "/private", "h": ""})["s"] == DENIED_STATUS
    assert client.request("p", {"p": "/private/alice", "d": 1})["s"] == DENIED_STATUS


def test_auth_with_an_unsigned_token_then_unauth(client: RealtimeClient) -> None:
    response = client.request("auth", {"cred": id_token("alice")})
    assert response["s"] == "ok"
    assert response["d"]["auth"]["uid"] == "alice"
    assert client.request("p", {"p": "/private/alice", "d": 1}) == OK
    assert client.request("q", {"p": "/private", "h": ""})["s"] == "ok"
    client.pushes.clear()
    assert client.request("unauth", {}) == OK
    assert client.next_push() == {"t": "d", "d": {"a": "c", "b": {"p": "private"}}}
    assert client.request("p", {"p": "/private/alice", "d": 2})["s"] == DENIED_STATUS


def test_bad_credential_is_refused(client: RealtimeClient) -> None:
    assert client.request("auth", {"cred": "garbage"})["s"] == "invalid_token"


def test_owner_credential_is_admin(client: RealtimeClient) -> None:
    assert client.request("gauth", {"cred": "owner"})["s"] == "ok"
    assert client.request("p", {"p": "/anything", "d": 1}) == OK


def test_transaction_put_with_matching_hash_succeeds(
    client: RealtimeClient, http: httpx.Client
) -> None:
    http.put("/public/counter.json", json={"n": 1, "by": "x"})
    current_hash = value_hash({"n": 1, "by": "x"})
    body = {"p": "/public/counter", "d": {"n": 2, "by": "y"}, "h": current_hash}
    assert client.request("p", body) == OK
    assert http.get("/public/counter.json").json() == {"n": 2, "by": "y"}


def test_transaction_put_with_stale_hash_is_datastale(
    client: RealtimeClient, http: httpx.Client
) -> None:
    http.put("/public/counter.json", json=5)
    response = client.request("p", {"p": "/public/counter", "d": 6, "h": value_hash(4)})
    assert response["s"] == "datastale"
    assert http.get("/public/counter.json").json() == 5
    assert client.request("p", {"p": "/public/new", "d": 1, "h": ""}) == OK


def test_on_disconnect_operations_run_when_the_socket_closes(
    rtdb: DatabaseEmulator, ns: str, http: httpx.Client
) -> None:
    session = RealtimeClient(rtdb.address, ns)
    session.request("p", {"p": "/public/online/s1", "d": True})
    session.request("p", {"p": "/public/keep", "d": 1})
    assert session.request("o", {"p": "/public/online/s1", "d": None}) == OK
    assert session.request("om", {"p": "/public/last", "d": {"seen": {".sv": "timestamp"}}}) == OK
    assert session.request("o", {"p": "/public/keep", "d": None}) == OK
    assert session.request("oc", {"p": "/public/keep"}) == OK
    before = int(time.time() * 1000)
    session.close()
    wait_for(lambda: http.get("/public/online.json").json() is None)
    assert http.get("/public/last/seen.json").json() >= before
    assert http.get("/public/keep.json").json() == 1


def test_on_disconnect_is_checked_by_rules_when_registered(
    rtdb: DatabaseEmulator, ns: str, http: httpx.Client
) -> None:
    session = RealtimeClient(rtdb.address, ns)
    session.request("auth", {"cred": id_token("alice")})
    assert session.request("o", {"p": "/private/bob", "d": "x"})["s"] == DENIED_STATUS
    assert session.request("o", {"p": "/private/alice", "d": "bye"}) == OK
    session.request("unauth", {})  # rights were checked at registration, not at close
    session.close()
    owner = {"auth": "owner"}
    wait_for(lambda: http.get("/private/alice.json", params=owner).json() == "bye")
    assert http.get("/private/bob.json", params=owner).json() is None


def test_multi_frame_messages_both_ways(client: RealtimeClient, http: httpx.Client) -> None:
    big = "x" * 40000
    message = json.dumps({"t": "d", "d": {"r": 1, "a": "p", "b": {"p": "/public/big", "d": big}}})
    chunks = [message[i : i + 16000] for i in range(0, len(message), 16000)]
    client.send_raw(str(len(chunks)))
    for chunk in chunks:
        client.send_raw(chunk)
    assert client.response_to(1) == OK
    assert http.get("/public/big.json").json() == big
    client._number = 1
    assert client.request("g", {"p": "/public/big"}) == {"s": "ok", "d": big}


def test_keep_alive_frames_are_ignored(client: RealtimeClient) -> None:
    client.send_raw("0")
    assert client.request("s", {"c": {"sdk.js": 1}}) == OK


def test_bad_paths_are_refused(client: RealtimeClient) -> None:
    assert client.request("p", {"p": "/public/a.b", "d": 1})["s"] == "invalid_data"


def test_listens_are_revoked_when_new_rules_deny_them(
    client: RealtimeClient, owner: httpx.Client
) -> None:
    assert client.request("q", {"p": "/public", "h": ""})["s"] == "ok"
    client.pushes.clear()
    owner.put("/.settings/rules.json", content='{"rules": {".write": true}}')
    assert client.next_push() == {"t": "d", "d": {"a": "c", "b": {"p": "public"}}}


def test_echo(client: RealtimeClient) -> None:
    assert client.request("echo", {"d": "ping"}) == {"s": "ok", "d": "ping"}


def test_expired_token_is_refused(client: RealtimeClient) -> None:
    expired = id_token("alice", iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    assert client.request("auth", {"cred": expired})["s"] == "expired_token"


def test_mock_tokens_issued_at_epoch_zero_never_expire(client: RealtimeClient) -> None:
    mock = id_token("alice", iat=0, exp=3600)  # what the SDKs' mockUserToken produces
    assert client.request("auth", {"cred": mock})["s"] == "ok"
    assert client.request("p", {"p": "/private/alice", "d": 1}) == OK


def test_token_expiry_signs_the_connection_out(client: RealtimeClient) -> None:
    now = int(time.time())
    assert client.request("auth", {"cred": id_token("alice", iat=now, exp=now + 2)})["s"] == "ok"
    assert client.request("q", {"p": "/private", "h": ""})["s"] == "ok"
    client.pushes.clear()
    revoked = client.next_push(timeout=5)
    assert revoked == {
        "t": "d",
        "d": {"a": "ac", "b": {"s": "expired_token", "d": "Auth token is expired."}},
    }
    assert client.next_push() == {"t": "d", "d": {"a": "c", "b": {"p": "private"}}}
    assert client.request("p", {"p": "/private/alice", "d": 2})["s"] == DENIED_STATUS


def test_on_disconnect_of_an_expired_session_is_dropped(
    rtdb: DatabaseEmulator, ns: str, owner: httpx.Client
) -> None:
    session = RealtimeClient(rtdb.address, ns)
    now = int(time.time())
    session.request("auth", {"cred": id_token("alice", iat=now, exp=now + 2)})
    assert session.request("p", {"p": "/private/alice", "d": "here"}) == OK
    assert session.request("o", {"p": "/private/alice", "d": None}) == OK
    session.request("p", {"p": "/public/marker", "d": 1})
    assert session.request("o", {"p": "/public/marker", "d": None}) == OK
    session.next_push(timeout=5)  # the expiry notice
    session.close()
    wait_for(lambda: owner.get("/public/marker.json").json() is None)
    assert owner.get("/private/alice.json").json() == "here"


def test_admin_can_act_as_a_user_or_as_nobody(rtdb: DatabaseEmulator, ns: str) -> None:
    as_alice = RealtimeClient(rtdb.address, ns)
    assert as_alice.request("gauth", {"cred": "owner", "authvar": {"uid": "alice"}})["s"] == "ok"
    assert as_alice.request("p", {"p": "/private/alice", "d": 1}) == OK
    assert as_alice.request("p", {"p": "/private/bob", "d": 1})["s"] == DENIED_STATUS
    as_alice.close()
    as_nobody = RealtimeClient(rtdb.address, ns)
    assert as_nobody.request("gauth", {"cred": "owner", "noauth": True})["s"] == "ok"
    assert as_nobody.request("q", {"p": "/private", "h": ""})["s"] == DENIED_STATUS
    as_nobody.close()


@pytest.mark.parametrize(
    "body",
    [
        {"p": 5, "h": ""},
        {"p": "/public", "q": [1], "t": 1, "h": ""},
        {"p": "/public", "q": {"l": "2", "vf": "l"}, "t": 1, "h": ""},
        {"p": "/public", "q": {"sp": {"o": 1}}, "t": 1, "h": ""},
        {"p": "/public", "q": {"i": 7}, "t": 1, "h": ""},
    ],
)
def test_malformed_listens_are_refused_and_the_connection_lives_on(
    client: RealtimeClient, http: httpx.Client, body: dict[str, Any]
) -> None:
    assert client.request("q", body)["s"] == "invalid_data"
    http.put("/public/x.json", json=1)  # no broken listen may disturb other writers
    assert client.request("g", {"p": "/public/x"}) == {"s": "ok", "d": 1}


def test_bad_on_disconnect_data_is_refused_even_for_admin(client: RealtimeClient) -> None:
    client.request("gauth", {"cred": "owner"})
    assert client.request("om", {"p": "/public", "d": 5})["s"] == "invalid_data"
    assert client.request("o", {"p": "/public", "d": {"a.b": 1}})["s"] == "invalid_data"


def test_every_listener_gets_every_write_in_order(
    rtdb: DatabaseEmulator, ns: str, http: httpx.Client
) -> None:
    listeners = [RealtimeClient(rtdb.address, ns) for _ in range(8)]
    try:
        for listener in listeners:
            assert listener.request("q", {"p": "/public/feed", "h": ""})["s"] == "ok"
            listener.pushes.clear()
        for n in range(40):
            http.put("/public/feed/last.json", json=n)
        for listener in listeners:
            received = [listener.next_push()["d"]["b"]["d"] for _ in range(40)]
            assert received == list(range(40))
    finally:
        for listener in listeners:
            listener.close()
