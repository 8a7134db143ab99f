"""The WebChannel transport on the wire: handshake, framing, forward and back channels,
acknowledgements, retries, errors, terminate and CORS, checked byte by byte with a
Python client that speaks as closure's WebChannel does (the browser suite runs the real
SDK over it)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import grpc
import httpx
import pytest
from google.cloud import firestore
from google.cloud.firestore_v1.types import firestore as fs

from emulator.firestore.server import FirestoreEmulator
from emulator.firestore.verify import add_verify
from emulator.firestore.webchannel.framing import BadForm, chunk, decode_headers, parse_form
from emulator.firestore.webchannel.session import IDLE_SECONDS, Session, SessionTable
from tests.emulator.firestore.webchannel_client import (
    DATABASE,
    Channel,
    decode_chunks,
    form,
    payloads,
)
from tests.support.firestore_clients import ROOT
from tests.support.id_tokens import OWNER_HEADERS, bearer, id_token

ORIGIN = "http://127.0.0.1:5173"


def _write(path: str, fields: dict, exists: bool | None = None) -> dict:
    write: dict = {"update": {"name": f"{ROOT}/{path}", "fields": fields}}
    if exists is not None:
        write["currentDocument"] = {"exists": exists}
    return write


def _changed_names(seen: list) -> list[str]:
    return [
        p[0]["documentChange"]["document"]["name"].rsplit("/", 1)[1]
        for p in seen
        if "documentChange" in p[0]
    ]


def _user(uid: str) -> str:
    return f"Bearer {id_token(uid)}"


@pytest.fixture
def channels(address: str):
    opened: list[Channel] = []

    def open_(rpc: str, authorization: str | None = None, origin: str | None = None) -> Channel:
        channel = Channel(address, rpc, authorization, origin)
        opened.append(channel)
        return channel

    yield open_
    for channel in opened:
        channel.close()


def test_handshake_answers_session_and_framed_c_array(channels) -> None:
    channel = channels("Write", _user("alice"), ORIGIN)
    arrays = channel.open({"database": DATABASE})
    response = channel.handshake
    assert response is not None
    header, body = response.text.split("\n", 1)
    assert int(header) == len(body)
    assert arrays == [[0, ["c", channel.sid, "", 8, 14, 30000]]]
    assert len(channel.sid) >= 16 and channel.http_session_id
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "X-HTTP-Session-Id" in response.headers["Access-Control-Expose-Headers"]


def test_write_stream_over_long_polling(channels, db: firestore.Client) -> None:
    channel = channels("Write", _user("alice"))
    channel.open({"database": DATABASE})
    (handshake,) = payloads(channel.poll())
    assert handshake[0]["streamId"] and handshake[0]["streamToken"]
    reply = channel.send(
        {
            "streamToken": handshake[0]["streamToken"],
            "writes": [_write("public/p1", {"n": {"integerValue": "7"}})],
        }
    )
    (ack,) = decode_chunks(reply.text)
    assert ack[0] == 1  # the back channel is present
    (written,) = payloads(channel.poll())
    assert written[0]["commitTime"] and written[0]["writeResults"][0]["updateTime"]
    assert db.document("public/p1").get().to_dict() == {"n": 7}


def test_listen_streams_length_prefixed_chunks(channels, db: firestore.Client) -> None:
    db.document("public/a").set({"v": 1})
    channel = channels("Listen", _user("alice"))
    channel.open(
        {
            "database": DATABASE,
            "addTarget": {
                "query": {
                    "parent": ROOT,
                    "structuredQuery": {"from": [{"collectionId": "public"}]},
                },
                "targetId": 2,
            },
        }
    )
    seen: list = []
    wrote = False
    for raw, arrays in channel.stream():
        header, body = raw.split("\n", 1)
        assert int(header) == len(body) == len(body.encode("utf-16-le")) // 2
        seen += payloads(arrays)
        kinds = [p[0].get("targetChange", {}).get("targetChangeType") for p in seen]
        if "CURRENT" in kinds and not wrote:
            wrote = True
            db.document("public/b").set({"v": "é😀"})  # non-ASCII travels escaped
        if _changed_names(seen)[-1:] == ["b"]:
            break
    changes = [p[0]["documentChange"]["document"] for p in seen if "documentChange" in p[0]]
    assert _changed_names(seen) == ["a", "b"]
    assert changes[1]["fields"]["v"] == {"stringValue": "é😀"}
    assert seen[0] == [{"targetChange": {"targetChangeType": "ADD", "targetIds": [2]}}]


def test_denied_write_is_a_permission_denied_error_then_close(
    channels, db: firestore.Client
) -> None:
    channel = channels("Write")  # signed out: the rules deny writes
    channel.open({"database": DATABASE})
    (handshake,) = payloads(channel.poll())
    channel.send(
        {
            "streamToken": handshake[0]["streamToken"],
            "writes": [_write("public/p1", {"n": {"integerValue": "1"}})],
        }
    )
    error, close = payloads(channel.poll())
    assert error == [
        {
            "error": {
                "code": 403,
                "status": "PERMISSION_DENIED",
                "message": error[0]["error"]["message"],
            }
        }
    ]
    assert close == ["close"]
    assert not db.document("public/p1").get().exists
    # Once its last arrays are acknowledged, the session is gone.
    gone = httpx.get(
        channel.url, params={"RID": "rpc", "SID": channel.sid, "CI": 1, "AID": channel.last_array}
    )
    assert gone.status_code == 400 and "Unknown SID" in gone.text


def test_init_headers_in_the_url_param(channels, db: firestore.Client) -> None:
    channel = channels("Write", _user("alice"))
    channel.open({"database": DATABASE}, headers_in_url=True)
    (handshake,) = payloads(channel.poll())
    channel.send(
        {
            "streamToken": handshake[0]["streamToken"],
            "writes": [_write("owned/alice", {"n": {"integerValue": "3"}})],
        }
    )
    (written,) = payloads(channel.poll())
    assert "error" not in written[0] and written[0]["writeResults"]
    assert db.document("owned/alice").get().to_dict() == {"n": 3}


def test_bad_token_fails_in_the_handshake(channels) -> None:
    channel = channels("Listen", "Bearer not-a-jwt")
    arrays = channel.open({"database": DATABASE})
    assert arrays[1][1][0]["error"]["status"] == "UNAUTHENTICATED"
    assert arrays[2][1] == ["close"]


def test_retried_maps_are_accepted_once(channels, db: firestore.Client) -> None:
    channel = channels("Write", _user("alice"))
    channel.open({"database": DATABASE})
    (handshake,) = payloads(channel.poll())
    create = {
        "streamToken": handshake[0]["streamToken"],
        "writes": [_write("public/once", {"n": {"integerValue": "1"}}, exists=False)],
    }
    channel.send(create)
    channel.send(create, offset=1)  # the same map id again: a retried POST
    (written,) = payloads(channel.poll())
    assert written[0]["writeResults"][0]["updateTime"]
    assert payloads(channel.poll(timeout_ms=300)) == []  # no ALREADY_EXISTS error follows
    assert db.document("public/once").get().to_dict() == {"n": 1}


def test_unacknowledged_arrays_are_sent_again(channels) -> None:
    channel = channels("Write", _user("alice"))
    channel.open({"database": DATABASE})
    first = channel.poll(acknowledged=0)
    again = channel.poll(acknowledged=0)  # the client never saw array 1: resend it
    assert first == again and first[0][0] == 1
    # Acknowledged, nothing is left: the long poll answers a noop after its timeout.
    assert channel.poll(acknowledged=1, timeout_ms=200) == [[2, ["noop"]]]


def test_unknown_session_and_terminate(channels, address: str) -> None:
    channel = channels("Listen", _user("alice"))
    channel.open({"database": DATABASE})
    assert channel.terminate().status_code == 200
    after = channel.send({"database": DATABASE, "removeTarget": 1})
    assert after.status_code == 400 and "Unknown SID" in after.text
    stranger = httpx.get(channel.url, params={"RID": "rpc", "SID": "nope", "CI": 0})
    assert stranger.status_code == 400 and "Unknown SID" in stranger.text


def test_malformed_forward_channel_requests(channels, address: str) -> None:
    url = f"http://{address}/google.firestore.v1.Firestore/Listen/channel"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    missing = httpx.post(url, content="count=2&ofs=0&req0___data__=%7B%7D", headers=headers)
    assert missing.status_code == 400
    not_json = httpx.post(url, content="count=1&ofs=0&req0___data__=%7B", headers=headers)
    assert not_json.status_code == 400
    assert httpx.post(url.replace("Listen", "Commit"), content="count=0").status_code == 400
    channel = channels("Listen", _user("alice"))
    arrays = channel.open({"database": DATABASE, "noSuchField": 1})
    assert arrays[1][1][0]["error"]["status"] == "INVALID_ARGUMENT"


def test_cors_preflight_of_the_rest_calls(address: str) -> None:
    asked = "authorization,content-type,google-cloud-resource-prefix,x-goog-api-client"
    response = httpx.options(
        f"http://{address}/v1/{ROOT}:commit",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": asked,
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Headers"] == asked
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_verify_write_checks_without_writing(address: str, db: firestore.Client) -> None:
    ref = db.document("public/v")
    ref.set({"n": 1})
    update_time = ref.get().update_time.isoformat().replace("+00:00", "Z")
    commit = f"http://{address}/v1/{ROOT}:commit"
    verify = {"verify": f"{ROOT}/public/v", "currentDocument": {"updateTime": update_time}}
    other = _write("public/w", {"n": {"integerValue": "2"}})
    ok = httpx.post(commit, json={"writes": [other, verify]}, headers=bearer("alice"))
    assert ok.status_code == 200, ok.text
    assert len(ok.json()["writeResults"]) == 2
    assert ref.get().update_time.isoformat().replace("+00:00", "Z") == update_time
    stale = {
        "verify": f"{ROOT}/public/v",
        "currentDocument": {"updateTime": "2001-01-01T00:00:00Z"},
    }
    failed = httpx.post(commit, json={"writes": [stale]}, headers=OWNER_HEADERS)
    assert failed.status_code == 400 and failed.json()["error"]["status"] == "FAILED_PRECONDITION"
    bad = httpx.post(commit, json={"writes": [{"verify": 5}]}, headers=OWNER_HEADERS)
    assert bad.status_code == 400


def test_framing_helpers() -> None:
    assert chunk([1, 2]) == "5\n[1,2]"
    assert chunk(["😀"]) == '16\n["\\ud83d\\ude00"]'
    parsed = parse_form(form(3, [{"a": 1}, {"b": 2}], {"Authorization": "Bearer x"}))
    assert parsed.offset == 3 and parsed.messages == [{"a": 1}, {"b": 2}]
    assert parsed.init_headers == {"authorization": "Bearer x"}
    assert decode_headers("A:1\r\nb: two\r\n") == {"a": "1", "b": "two"}
    for bad in ("count=x", "count=1&ofs=0", "count=1&ofs=0&req0___data__=%7B"):
        with pytest.raises(BadForm):
            parse_form(bad)


def test_idle_sessions_are_swept() -> None:
    table, closed = SessionTable(), []
    idle, busy = Session("Listen"), Session("Write")
    idle.on_close = lambda: closed.append("idle")
    table.add(idle)
    table.add(busy)
    idle.touched -= IDLE_SECONDS + 1
    table.sweep()
    assert closed == ["idle"] and not idle.open and busy.open
    assert table.get(idle.id) is None and table.get(busy.id) is busy


def test_stopping_the_emulator_ends_open_back_channels(rules_file) -> None:
    server = FirestoreEmulator(port=0, rules_path=str(rules_file))
    server.start()
    channel = Channel(server.address, "Listen", _user("alice"))
    try:
        channel.open({"database": DATABASE})
        reader = threading.Thread(target=lambda: list(channel.stream()), daemon=True)
        reader.start()
        time.sleep(0.3)  # the streaming back channel is open and waiting
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 5
        reader.join(timeout=5)
        assert not reader.is_alive()
    finally:
        channel.close()


def test_verify_write_over_grpc(address: str, db: firestore.Client) -> None:
    """As the Node SDK sends it: field 5 of the Write, unknown to the Python protos."""
    ref = db.document("public/v")
    ref.set({"n": 1})
    stored = ref.get().update_time

    def commit(update_time: dt.datetime) -> fs.CommitResponse:
        request = fs.CommitRequest.pb()(database=ROOT.removesuffix("/documents"))
        verify = request.writes.add()
        verify.current_document.update_time.FromDatetime(update_time)
        add_verify(verify, f"{ROOT}/public/v")
        with grpc.insecure_channel(address) as channel:
            call = channel.unary_unary(
                "/google.firestore.v1.Firestore/Commit",
                request_serializer=lambda message: message.SerializeToString(),
                response_deserializer=fs.CommitResponse.pb().FromString,
            )
            return call(request, metadata=[("authorization", _user("alice"))], timeout=10)

    assert len(commit(stored).write_results) == 1
    assert ref.get().update_time == stored  # verified, not written
    with pytest.raises(grpc.RpcError) as failed:
        commit(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    assert failed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
