"""Identity modes (owner, ID token, nobody) and rules enforcement on REST and gRPC."""

from __future__ import annotations

import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore

from tests.support.firestore_clients import ROOT, gapic_client, set_rules
from tests.support.id_tokens import OWNER_HEADERS, bearer, id_token

DOCS = f"/v1/{ROOT}"


def body(**strings: str) -> dict:
    return {"fields": {k: {"stringValue": v} for k, v in strings.items()}}


@pytest.mark.parametrize(("uid", "status"), [(None, 403), ("alice", 200)])
def test_rest_write_needs_sign_in(rest: httpx.Client, uid: str | None, status: int) -> None:
    response = rest.patch(f"{DOCS}/public/p1", json=body(v="x"), headers=bearer(uid))
    assert response.status_code == status
    if status == 403:
        error = response.json()["error"]
        assert error["status"] == "PERMISSION_DENIED"
        assert "'create'" in error["message"]  # names the method, as the official emulator


def test_rest_read_is_open_on_public(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("public/p1").set({"v": "x"})
    assert rest.get(f"{DOCS}/public/p1").status_code == 200


def test_request_auth_uid_comes_from_the_token(rest: httpx.Client, db: firestore.Client) -> None:
    assert (
        rest.patch(f"{DOCS}/owned/alice", json=body(v="a"), headers=bearer("alice")).status_code
        == 200
    )
    assert (
        rest.patch(f"{DOCS}/owned/alice", json=body(v="b"), headers=bearer("mallory")).status_code
        == 403
    )
    assert rest.get(f"{DOCS}/owned/alice", headers=bearer("mallory")).status_code == 403
    assert rest.get(f"{DOCS}/owned/alice").status_code == 403
    assert db.document("owned/alice").get().to_dict() == {"v": "a"}


def test_owner_bypasses_rules(rest: httpx.Client) -> None:
    assert (
        rest.patch(f"{DOCS}/secret/s1", json=body(v="x"), headers=OWNER_HEADERS).status_code == 200
    )
    assert rest.get(f"{DOCS}/secret/s1", headers=OWNER_HEADERS).status_code == 200
    assert rest.get(f"{DOCS}/secret/s1", headers=bearer("alice")).status_code == 403


@pytest.mark.parametrize("header", ["Bearer not-a-jwt", "Basic abc", "Bearer a.%%%.c"])
def test_malformed_credentials_are_unauthenticated(rest: httpx.Client, header: str) -> None:
    response = rest.get(f"{DOCS}/public/p1", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"


def test_denied_query_over_rest(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("owned/alice").set({"v": "a"})
    query = {"structuredQuery": {"from": [{"collectionId": "owned"}]}}
    assert rest.post(f"{DOCS}:runQuery", json=query, headers=bearer("alice")).status_code == 403
    public = {"structuredQuery": {"from": [{"collectionId": "public"}]}}
    assert rest.post(f"{DOCS}:runQuery", json=public).status_code == 200


def _metadata(uid: str | None) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {id_token(uid)}")] if uid else []


def test_grpc_end_user_identity(address: str, db: firestore.Client) -> None:
    api = gapic_client(address)
    write = {"update": {"name": f"{ROOT}/owned/alice", "fields": {"v": {"string_value": "a"}}}}
    commit = {"database": ROOT.removesuffix("/documents"), "writes": [write]}
    with pytest.raises(exceptions.PermissionDenied):
        api.commit(request=commit, metadata=_metadata(None))
    with pytest.raises(exceptions.PermissionDenied):
        api.commit(request=commit, metadata=_metadata("bob"))
    api.commit(request=commit, metadata=_metadata("alice"))
    got = api.get_document(request={"name": f"{ROOT}/owned/alice"}, metadata=_metadata("alice"))
    assert got.fields["v"].string_value == "a"
    with pytest.raises(exceptions.PermissionDenied):
        api.get_document(request={"name": f"{ROOT}/owned/alice"}, metadata=_metadata("bob"))


def test_grpc_listen_is_denied_without_permission(address: str, db: firestore.Client) -> None:
    api = gapic_client(address)
    request = {
        "database": ROOT.removesuffix("/documents"),
        "add_target": {"target_id": 7, "documents": {"documents": [f"{ROOT}/owned/alice"]}},
    }
    responses = api.listen(iter([request]), metadata=_metadata("bob"))
    first = next(iter(responses))
    assert first.target_change.target_change_type.name == "REMOVE"
    assert first.target_change.cause.code == 7  # PERMISSION_DENIED
    responses.cancel()


ROOM_RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function isMember(roomId) {
      return exists(/databases/$(database)/documents/rooms/$(roomId)/members/$(request.auth.uid));
    }
    match /rooms/{roomId} {
      allow get: if isMember(roomId);
      allow create: if request.auth != null && existsAfter(
        /databases/$(database)/documents/rooms/$(roomId)/members/$(request.auth.uid));
      match /members/{uid} {
        allow create: if request.auth.uid == uid
          && getAfter(/databases/$(database)/documents/rooms/$(roomId)).data.owner == uid;
      }
      match /messages/{messageId} {
        allow list: if isMember(roomId) && request.query.limit <= 10;
        allow create: if isMember(roomId) && request.resource.data.author == request.auth.uid
          && request.resource.data.sentAt == request.time;
        allow update: if resource.data.author == request.auth.uid;
      }
    }
  }
}
"""


@pytest.fixture
def rooms(rest: httpx.Client) -> str:
    """A project of its own whose rules came through the control endpoint."""
    project = "demo-rooms"
    assert set_rules(rest, ROOM_RULES, project).status_code == 200
    rest.delete(f"/emulator/v1/projects/{project}/databases/(default)/documents")
    return f"projects/{project}/databases/(default)/documents"


def test_get_calls_in_rules(rest: httpx.Client, rooms: str) -> None:
    owner_write = {"fields": {"owner": {"stringValue": "alice"}}}
    assert (
        rest.patch(f"/v1/{rooms}/rooms/r1", json=owner_write, headers=OWNER_HEADERS).status_code
        == 200
    )
    assert rest.get(f"/v1/{rooms}/rooms/r1", headers=bearer("alice")).status_code == 403
    rest.patch(f"/v1/{rooms}/rooms/r1/members/alice", json={}, headers=OWNER_HEADERS)
    assert rest.get(f"/v1/{rooms}/rooms/r1", headers=bearer("alice")).status_code == 200


def test_batch_is_judged_on_the_post_batch_state(rest: httpx.Client, rooms: str) -> None:
    room = {"update": {"name": f"{rooms}/rooms/r2", "fields": {"owner": {"stringValue": "alice"}}}}
    member = {"update": {"name": f"{rooms}/rooms/r2/members/alice", "fields": {}}}
    alone = rest.post(f"/v1/{rooms}:commit", json={"writes": [room]}, headers=bearer("alice"))
    assert alone.status_code == 403
    together = rest.post(
        f"/v1/{rooms}:commit", json={"writes": [room, member]}, headers=bearer("alice")
    )
    assert together.status_code == 200, together.text
    stolen = {"update": {"name": f"{rooms}/rooms/r2/members/bob", "fields": {}}}
    assert (
        rest.post(
            f"/v1/{rooms}:commit", json={"writes": [stolen]}, headers=bearer("bob")
        ).status_code
        == 403
    )


def test_create_sees_transforms_and_update_sees_resource(rest: httpx.Client, rooms: str) -> None:
    rest.patch(f"/v1/{rooms}/rooms/r1/members/alice", json={}, headers=OWNER_HEADERS)
    message = f"{rooms}/rooms/r1/messages/m1"
    without_time = {"update": {"name": message, "fields": {"author": {"stringValue": "alice"}}}}
    assert (
        rest.post(
            f"/v1/{rooms}:commit", json={"writes": [without_time]}, headers=bearer("alice")
        ).status_code
        == 403
    )
    with_time = {
        **without_time,
        "updateTransforms": [{"fieldPath": "sentAt", "setToServerValue": "REQUEST_TIME"}],
    }
    response = rest.post(
        f"/v1/{rooms}:commit", json={"writes": [with_time]}, headers=bearer("alice")
    )
    assert response.status_code == 200, response.text
    edit = {"fields": {"author": {"stringValue": "alice"}, "text": {"stringValue": "hi"}}}
    assert rest.patch(f"/v1/{message}", json=edit, headers=bearer("bob")).status_code == 403
    assert rest.patch(f"/v1/{message}", json=edit, headers=bearer("alice")).status_code == 200


def test_list_is_judged_on_the_query_not_the_data(rest: httpx.Client, rooms: str) -> None:
    rest.patch(f"/v1/{rooms}/rooms/r1/members/alice", json={}, headers=OWNER_HEADERS)
    rest.patch(f"/v1/{rooms}/rooms/r1/messages/m1", json={}, headers=OWNER_HEADERS)
    unbounded = {"structuredQuery": {"from": [{"collectionId": "messages"}]}}
    bounded = {"structuredQuery": {"from": [{"collectionId": "messages"}], "limit": 5}}
    url = f"/v1/{rooms}/rooms/r1:runQuery"
    assert rest.post(url, json=unbounded, headers=bearer("alice")).status_code == 403
    rows = rest.post(url, json=bounded, headers=bearer("alice"))
    assert rows.status_code == 200 and len(rows.json()) == 1
    assert rest.post(url, json=bounded, headers=bearer("bob")).status_code == 403
