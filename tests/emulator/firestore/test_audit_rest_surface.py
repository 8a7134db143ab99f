"""REST details a Firebase user relies on: the official emulator's denial wording, Google's
system query parameters, CORS for browser clients, and the JSON mapping of every type."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore

from tests.support.firestore_clients import ROOT, gapic_client, set_rules
from tests.support.id_tokens import OWNER_HEADERS, bearer

DOCS = f"/v1/{ROOT}"
# Rules PUT for a project win over the rules file for good, so rules of these tests go to a
# project of their own.
AUDIT = "demo-audit-rest"
AUDIT_ROOT = f"projects/{AUDIT}/databases/(default)/documents"
GET_ONLY_FOR_X = """rules_version = '2';
service cloud.firestore {
  match /databases/{db}/documents {
    match /c/{id} {
      allow get: if request.auth.uid == 'x';
    }
  }
}
"""


@pytest.fixture
def get_only_for_x(rest: httpx.Client) -> None:
    assert set_rules(rest, GET_ONLY_FOR_X, project=AUDIT).status_code == 200


@pytest.mark.usefixtures("get_only_for_x")
@pytest.mark.parametrize(
    ("uid", "message"),
    [
        ("u1", "\nfalse for 'get' @ L5"),
        (None, "\nNull value error. for 'get' @ L5"),
    ],
)
def test_rest_denial_message_is_worded_as_the_official_emulator(
    rest: httpx.Client, uid: str | None, message: str
) -> None:
    response = rest.get(f"/v1/{AUDIT_ROOT}/c/doc", headers=bearer(uid))
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": 403,
        "message": message,
        "status": "PERMISSION_DENIED",
    }


@pytest.mark.usefixtures("get_only_for_x")
def test_grpc_denial_message_starts_with_a_newline(address: str) -> None:
    client = gapic_client(address)
    token = bearer("u1")["Authorization"]
    with pytest.raises(exceptions.PermissionDenied) as caught:
        client.get_document(
            request={"name": f"{AUDIT_ROOT}/c/doc"}, metadata=[("authorization", token)]
        )
    assert caught.value.message == "\nfalse for 'get' @ L5"


@pytest.mark.usefixtures("get_only_for_x")
def test_no_matching_allow_statement(rest: httpx.Client) -> None:
    response = rest.get(f"/v1/{AUDIT_ROOT}/other/doc", headers=bearer("x"))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "\nNo matching allow statements"


def test_system_parameters_such_as_key_are_ignored(
    rest: httpx.Client, db: firestore.Client
) -> None:
    db.document("public/p").set({"v": 1})
    for query in ("key=fake-api-key", "alt=json&prettyPrint=false", "$.xgafv=2"):
        response = rest.get(f"{DOCS}/public/p?{query}")
        assert response.status_code == 200, response.text
        assert response.json()["fields"] == {"v": {"integerValue": "1"}}
    response = rest.post(
        f"{DOCS}:runQuery?key=k",
        headers=OWNER_HEADERS,
        json={"structuredQuery": {"from": [{"collectionId": "public"}]}},
    )
    assert response.status_code == 200
    assert len(response.json()) == 1
    # Real request fields are still checked.
    assert rest.get(f"{DOCS}/public/p?bogus=1").status_code == 400


def test_cors_preflight_and_headers_for_browser_clients(
    rest: httpx.Client, db: firestore.Client
) -> None:
    db.document("public/p").set({"v": 1})
    origin = "http://localhost:5173"
    preflight = rest.options(
        f"{DOCS}/public/p",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"] == "authorization,content-type"
    got = rest.get(f"{DOCS}/public/p", headers={"Origin": origin})
    assert got.status_code == 200
    assert got.headers["access-control-allow-origin"] == origin
    denied = rest.patch(f"{DOCS}/public/p", headers={"Origin": origin}, json={"fields": {}})
    assert denied.status_code == 403
    assert denied.headers["access-control-allow-origin"] == origin


def test_json_mapping_of_every_type_round_trips(rest: httpx.Client) -> None:
    fields = {
        "i": {"integerValue": "9223372036854775807"},
        "neg": {"integerValue": "-9223372036854775808"},
        "d": {"doubleValue": 1.5},
        "nan": {"doubleValue": "NaN"},
        "inf": {"doubleValue": "-Infinity"},
        "t": {"timestampValue": "2020-01-02T03:04:05.123456Z"},
        "s": {"stringValue": "héllo 😀"},
        "b": {"bytesValue": "AP8="},
        "g": {"geoPointValue": {"latitude": 1.5, "longitude": -2.5}},
        "r": {"referenceValue": f"{ROOT}/x/y"},
        "n": {"nullValue": None},
        "bool": {"booleanValue": False},
        "a": {"arrayValue": {"values": [{"integerValue": "1"}, {"mapValue": {}}]}},
        "m": {"mapValue": {"fields": {"a.b": {"stringValue": "dotted key"}}}},
    }
    created = rest.post(
        f"{DOCS}/typed?documentId=all", headers=OWNER_HEADERS, json={"fields": fields}
    )
    assert created.status_code == 200, created.text
    got = rest.get(f"{DOCS}/typed/all", headers=OWNER_HEADERS).json()
    assert got["fields"] == {
        **fields,
        "a": {"arrayValue": {"values": [{"integerValue": "1"}, {"mapValue": {}}]}},
    }
    assert got["createTime"].endswith("Z") and got["updateTime"] == got["createTime"]


def test_stored_timestamps_are_rounded_down_to_microseconds(rest: httpx.Client) -> None:
    """ "When stored in Firestore, precise only to microseconds; any additional precision is
    rounded down" (cloud.google.com/firestore/docs/data-types)."""
    fields = {
        "t": {"timestampValue": "2020-01-02T03:04:05.123456789Z"},
        "old": {"timestampValue": "1969-12-31T23:59:59.999999999Z"},
    }
    assert (
        rest.patch(f"{DOCS}/typed/ts", headers=OWNER_HEADERS, json={"fields": fields}).status_code
        == 200
    )
    got = rest.get(f"{DOCS}/typed/ts", headers=OWNER_HEADERS).json()["fields"]
    assert got == {
        "t": {"timestampValue": "2020-01-02T03:04:05.123456Z"},
        "old": {"timestampValue": "1969-12-31T23:59:59.999999Z"},
    }


@pytest.mark.parametrize("doc_id", ["colon:here", "a b", "é😀", "x#y", "q?r", "p%q"])
def test_document_ids_with_reserved_url_characters(
    rest: httpx.Client, db: firestore.Client, doc_id: str
) -> None:
    db.document(f"ids/{doc_id}").set({"id": doc_id})
    url = f"{DOCS}/ids/{quote(doc_id, safe='')}"
    got = rest.get(url, headers=OWNER_HEADERS)
    assert got.status_code == 200, got.text
    assert got.json()["fields"] == {"id": {"stringValue": doc_id}}
    patched = rest.patch(
        f"{url}?updateMask.fieldPaths=n",
        headers=OWNER_HEADERS,
        json={"fields": {"n": {"integerValue": "1"}}},
    )
    assert patched.status_code == 200 and patched.json()["name"] == f"{ROOT}/ids/{doc_id}"
    assert rest.delete(url, headers=OWNER_HEADERS).status_code == 200
    assert not db.document(f"ids/{doc_id}").get().exists
