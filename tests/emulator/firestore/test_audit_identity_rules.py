"""Identity and rules as a client meets them over REST: which token claims reach
request.auth, update rules seeing the merged document, getAfter / existsAfter in batches,
list rules judged on the query, and rules replaced while requests are being served."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.support.firestore_clients import gapic_client, rest_client, set_rules
from tests.support.id_tokens import OWNER_HEADERS, bearer, claims_bearer

PROJECT = "demo-audit-rules"
ROOT = f"projects/{PROJECT}/databases/(default)/documents"
DOCS = f"/v1/{ROOT}"
RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{db}/documents {
    match /who/{id} {
      allow get: if request.auth.uid == id;
    }
    match /verified/{id} {
      allow get: if request.auth.token.firebase.sign_in_provider == 'password'
                 && request.auth.token.email_verified == true
                 && request.auth.token.email.matches('.*@example[.]com');
    }
    match /claims/{id} {
      allow get: if request.auth.token.admin == true;
    }
    match /notes/{id} {
      allow create: if request.resource.data.at == request.time;
      allow update: if request.resource.data.diff(resource.data).affectedKeys().hasOnly(['a'])
                    && request.resource.data.b == resource.data.b;
      allow delete: if resource.data.owner == request.auth.uid;
    }
    match /rooms/{room} {
      function me() {
        return /databases/$(db)/documents/rooms/$(room)/members/$(request.auth.uid);
      }
      allow create: if getAfter(me()).data.role == 'owner' && !exists(me());
      match /members/{uid} {
        allow create: if uid == request.auth.uid
                      && existsAfter(/databases/$(db)/documents/rooms/$(room));
      }
    }
    match /limited/{id} {
      allow list: if request.query.limit <= 10;
    }
    match /mine/{id} {
      allow list: if resource.data.owner == request.auth.uid;
    }
    match /{path=**}/posts/{id} {
      allow list: if resource.data.published == true;
    }
    match /chats/{chat}/msgs/{id} {
      allow list: if exists(/databases/$(db)/documents/chats/$(chat)/members/$(request.auth.uid));
    }
    match /maybe/{id} {
      allow get: if resource == null || resource.data.public == true;
    }
  }
}
"""


@pytest.fixture(scope="module", autouse=True)
def _rules(address: str) -> None:
    with rest_client(address) as rest:
        assert set_rules(rest, RULES, PROJECT).status_code == 200


@pytest.fixture(autouse=True)
def _empty(rest: httpx.Client) -> None:
    rest.delete(f"/emulator/v1/{ROOT}")


def seed(rest: httpx.Client, path: str, **fields: Any) -> None:
    body = {"fields": {k: _value(v) for k, v in fields.items()}}
    assert rest.patch(f"{DOCS}/{path}", headers=OWNER_HEADERS, json=body).status_code == 200


def _value(value: Any) -> dict:
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    return {"stringValue": value}


def field_filter(field: str, op: str, value: Any) -> dict:
    if isinstance(value, list):
        operand = {"arrayValue": {"values": [_value(v) for v in value]}}
    else:
        operand = _value(value)
    return {"fieldFilter": {"field": {"fieldPath": field}, "op": op, "value": operand}}


def run_query(
    rest: httpx.Client,
    headers: dict,
    collection: str,
    parent: str = "",
    all_descendants: bool = False,
    **query: Any,
) -> int:
    source = {"collectionId": collection, **({"allDescendants": True} if all_descendants else {})}
    url = f"{DOCS}{'/' + parent if parent else ''}:runQuery"
    body = {"structuredQuery": {"from": [source], **query}}
    return rest.post(url, headers=headers, json=body).status_code


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"user_id": "u1"}, 200),
        ({"sub": "u1"}, 200),  # request.auth.uid also comes from sub alone
        ({"sub": "u2"}, 403),
    ],
)
def test_uid_from_user_id_or_sub(rest: httpx.Client, claims: dict, status: int) -> None:
    seed(rest, "who/u1")
    assert rest.get(f"{DOCS}/who/u1", headers=claims_bearer(claims)).status_code == status


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        (
            {
                "email": "a@example.com",
                "email_verified": True,
                "firebase": {"sign_in_provider": "password"},
            },
            200,
        ),
        (
            {
                "email": "a@example.com",
                "email_verified": False,
                "firebase": {"sign_in_provider": "password"},
            },
            403,
        ),
        (
            {
                "email": "a@example.com",
                "email_verified": True,
                "firebase": {"sign_in_provider": "anonymous"},
            },
            403,
        ),
        (
            {
                "email": "a@example.org",
                "email_verified": True,
                "firebase": {"sign_in_provider": "password"},
            },
            403,
        ),
    ],
)
def test_standard_claims_reach_request_auth_token(
    rest: httpx.Client, claims: dict, status: int
) -> None:
    seed(rest, "verified/v")
    assert (
        rest.get(f"{DOCS}/verified/v", headers=claims_bearer({"sub": "u", **claims})).status_code
        == status
    )


def test_custom_claims_reach_request_auth_token(rest: httpx.Client) -> None:
    seed(rest, "claims/c")
    assert rest.get(f"{DOCS}/claims/c", headers=bearer("u", admin=True)).status_code == 200
    assert rest.get(f"{DOCS}/claims/c", headers=bearer("u", admin="yes")).status_code == 403
    assert rest.get(f"{DOCS}/claims/c", headers=bearer("u")).status_code == 403


def test_server_timestamp_equals_request_time_on_create(rest: httpx.Client) -> None:
    write = {
        "update": {"name": f"{ROOT}/notes/n", "fields": {}},
        "updateTransforms": [{"fieldPath": "at", "setToServerValue": "REQUEST_TIME"}],
    }
    response = rest.post(f"{DOCS}:commit", headers=bearer("u"), json={"writes": [write]})
    assert response.status_code == 200, response.text
    client_time = {
        "update": {
            "name": f"{ROOT}/notes/m",
            "fields": {"at": {"timestampValue": "2020-01-01T00:00:00Z"}},
        }
    }
    assert (
        rest.post(f"{DOCS}:commit", headers=bearer("u"), json={"writes": [client_time]}).status_code
        == 403
    )


def test_update_rules_see_the_merged_document(rest: httpx.Client) -> None:
    seed(rest, "notes/x", a=1, b=1, owner="u")
    user = bearer("u")
    only_a = rest.patch(
        f"{DOCS}/notes/x?updateMask.fieldPaths=a", headers=user, json={"fields": {"a": _value(2)}}
    )
    assert only_a.status_code == 200
    touches_b = rest.patch(
        f"{DOCS}/notes/x?updateMask.fieldPaths=b", headers=user, json={"fields": {"b": _value(2)}}
    )
    assert touches_b.status_code == 403
    whole = rest.patch(f"{DOCS}/notes/x", headers=user, json={"fields": {"a": _value(3)}})
    assert whole.status_code == 403  # a full set drops b and owner: more keys affected
    assert rest.delete(f"{DOCS}/notes/x", headers=bearer("v")).status_code == 403
    assert rest.delete(f"{DOCS}/notes/x", headers=user).status_code == 200


def test_get_after_and_exists_after_see_the_whole_batch(rest: httpx.Client) -> None:
    def write(path: str, **fields: Any) -> dict:
        return {
            "update": {
                "name": f"{ROOT}/{path}",
                "fields": {k: _value(v) for k, v in fields.items()},
            }
        }

    def commit(*writes: dict) -> int:
        return rest.post(
            f"{DOCS}:commit", headers=bearer("u"), json={"writes": list(writes)}
        ).status_code

    assert commit(write("rooms/r1"), write("rooms/r1/members/u", role="owner")) == 200
    assert commit(write("rooms/r2")) == 403  # no member document after the batch
    assert commit(write("rooms/r3"), write("rooms/r3/members/u", role="guest")) == 403
    assert commit(write("rooms/r4/members/u", role="owner")) == 403  # room missing after
    assert rest.get(f"{DOCS}/rooms/r3/members/u", headers=OWNER_HEADERS).status_code == 404


def test_list_rules_judge_the_query_not_the_data(rest: httpx.Client) -> None:
    seed(rest, "mine/a", owner="u")
    user = bearer("u")
    assert run_query(rest, user, "limited", limit=10) == 200
    assert run_query(rest, user, "limited", limit=11) == 403
    assert run_query(rest, user, "limited") == 403
    assert run_query(rest, user, "mine", where=field_filter("owner", "EQUAL", "u")) == 200
    assert run_query(rest, user, "mine", where=field_filter("owner", "IN", ["u"])) == 200
    assert run_query(rest, user, "mine", where=field_filter("owner", "IN", ["u", "v"])) == 403
    assert run_query(rest, user, "mine") == 403  # every stored doc is u's, still denied


def test_collection_group_rules(rest: httpx.Client) -> None:
    seed(rest, "blogs/b/posts/p", published=True)
    user = bearer("u")
    published = field_filter("published", "EQUAL", True)
    assert run_query(rest, user, "posts", all_descendants=True, where=published) == 200
    assert run_query(rest, user, "posts", all_descendants=True) == 403
    assert run_query(rest, user, "posts", parent="blogs/b", where=published) == 200


def test_get_rules_on_a_missing_document(rest: httpx.Client) -> None:
    seed(rest, "maybe/private", public=False)
    assert rest.get(f"{DOCS}/maybe/none", headers=bearer("u")).status_code == 404
    assert rest.get(f"{DOCS}/maybe/private", headers=bearer("u")).status_code == 403


def test_rules_replaced_while_serving_never_fail_a_request(
    address: str, rest: httpx.Client
) -> None:
    seed(rest, "who/u1")
    stop = threading.Event()
    statuses: list[int] = []

    def read() -> None:
        with rest_client(address) as client:
            while not stop.is_set():
                response = client.get(f"{DOCS}/who/u1", headers=bearer("u1"))
                statuses.append(response.status_code)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for i in range(8):
            variant = RULES.replace("request.auth.uid == id", f"request.auth.uid == id || {i} < 0")
            assert set_rules(rest, variant, PROJECT).status_code == 200
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    assert statuses and set(statuses) == {200}
    assert set_rules(rest, RULES, PROJECT).status_code == 200


class Listener:
    """A raw Listen stream as an end user (the SDKs' transport), collecting responses."""

    def __init__(self, address: str, uid: str, target: dict) -> None:
        self.responses: list[Any] = []
        self._done = threading.Event()
        request = {
            "database": ROOT.removesuffix("/documents"),
            "add_target": {"target_id": 1, **target},
        }
        self._stream = gapic_client(address).listen(
            self._requests(request), metadata=[("authorization", bearer(uid)["Authorization"])]
        )
        threading.Thread(target=self._collect, daemon=True).start()

    def _requests(self, first: dict) -> Iterator[dict]:
        yield first
        self._done.wait(30)

    def _collect(self) -> None:
        try:
            for response in self._stream:
                self.responses.append(response)
        except Exception:  # cancelled at the end of the test
            pass

    def wait_for(self, condition: Callable[[Any], bool], seconds: float = 10) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [r for r in list(self.responses) if condition(r)]
            if found:
                return found[0]
            time.sleep(0.02)
        return None

    def close(self) -> None:
        self._done.set()
        self._stream.cancel()


def _current(response: Any) -> bool:
    return response.target_change.target_change_type.name == "CURRENT"


def _denied(response: Any) -> bool:
    change = response.target_change
    return change.target_change_type.name == "REMOVE" and change.cause.code == 7


def test_a_document_listener_ends_when_a_write_revokes_read_access(
    address: str, rest: httpx.Client
) -> None:
    """The official emulator judges rules for each change a listener gets (so a document
    that turns private ends the listen with PERMISSION_DENIED)."""
    seed(rest, "maybe/doc", public=True)
    listener = Listener(address, "u", {"documents": {"documents": [f"{ROOT}/maybe/doc"]}})
    try:
        assert listener.wait_for(_current) is not None
        assert listener.wait_for(_denied, seconds=0.3) is None
        seed(rest, "maybe/doc", public=False)
        removed = listener.wait_for(_denied)
        assert removed is not None and "get" in removed.target_change.cause.message
    finally:
        listener.close()


def test_a_query_listener_ends_when_membership_is_revoked(address: str, rest: httpx.Client) -> None:
    seed(rest, "chats/c/members/u")
    seed(rest, "chats/c/msgs/1", text="hi")
    query = {
        "parent": f"{ROOT}/chats/c",
        "structured_query": {"from_": [{"collection_id": "msgs"}]},
    }
    listener = Listener(address, "u", {"query": query})
    try:
        assert listener.wait_for(_current) is not None
        seed(rest, "chats/c/msgs/2", text="still a member")
        assert listener.wait_for(lambda r: r.document_change.document.name.endswith("/2"))
        assert rest.delete(f"{DOCS}/chats/c/members/u", headers=OWNER_HEADERS).status_code == 200
        seed(rest, "chats/c/msgs/3", text="after removal")
        assert listener.wait_for(_denied) is not None
        assert not any(r.document_change.document.name.endswith("/3") for r in listener.responses)
    finally:
        listener.close()
