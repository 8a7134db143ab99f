"""Document-level calls as a Firebase user makes them: REST create / patch / get / list with
their parameters and error codes, streaming answers, listing missing parents, get_all,
recursive_delete and BulkWriter."""

from __future__ import annotations

import httpx
import pytest
from google.cloud import firestore

from tests.support.firestore_clients import ROOT, set_rules
from tests.support.id_tokens import OWNER_HEADERS, bearer

DOCS = f"/v1/{ROOT}"
INT = {"integerValue": "1"}


def test_create_document_with_and_without_an_id(rest: httpx.Client) -> None:
    named = rest.post(
        f"{DOCS}/c?documentId=mine", headers=OWNER_HEADERS, json={"fields": {"a": INT}}
    )
    assert named.status_code == 200 and named.json()["name"] == f"{ROOT}/c/mine"
    generated = rest.post(f"{DOCS}/c", headers=OWNER_HEADERS, json={"fields": {}})
    assert generated.status_code == 200
    new_id = generated.json()["name"].rsplit("/", 1)[1]
    assert len(new_id) == 20 and new_id.isalnum()
    again = rest.post(f"{DOCS}/c?documentId=mine", headers=OWNER_HEADERS, json={"fields": {}})
    assert again.status_code == 409 and again.json()["error"]["status"] == "ALREADY_EXISTS"


def test_patch_parameters_and_their_errors(rest: httpx.Client) -> None:
    url = f"{DOCS}/c/p"
    created = rest.patch(url, headers=OWNER_HEADERS, json={"fields": {"a": INT, "b": INT}})
    stamp = created.json()["updateTime"]
    masked = rest.patch(
        f"{url}?updateMask.fieldPaths=b&updateMask.fieldPaths=c",
        headers=OWNER_HEADERS,
        json={"fields": {"c": INT}},
    )
    assert masked.status_code == 200
    assert masked.json()["fields"] == {"a": INT, "c": INT}  # b in the mask, not the body: gone
    exists = rest.patch(f"{url}?currentDocument.exists=false", headers=OWNER_HEADERS, json={})
    assert (exists.status_code, exists.json()["error"]["status"]) == (409, "ALREADY_EXISTS")
    stale = rest.patch(f"{url}?currentDocument.updateTime={stamp}", headers=OWNER_HEADERS, json={})
    assert (stale.status_code, stale.json()["error"]["status"]) == (400, "FAILED_PRECONDITION")
    absent = rest.patch(
        f"{DOCS}/c/none?currentDocument.exists=true", headers=OWNER_HEADERS, json={}
    )
    assert (absent.status_code, absent.json()["error"]["status"]) == (404, "NOT_FOUND")
    shown = rest.patch(
        f"{url}?mask.fieldPaths=a", headers=OWNER_HEADERS, json={"fields": {"a": INT, "z": INT}}
    )
    assert shown.json()["fields"] == {"a": INT}
    assert rest.get(f"{url}?mask.fieldPaths=z", headers=OWNER_HEADERS).json()["fields"] == {
        "z": INT
    }
    missing = rest.get(f"{DOCS}/c/none", headers=OWNER_HEADERS)
    assert (missing.status_code, missing.json()["error"]["status"]) == (404, "NOT_FOUND")


def test_batch_get_and_run_query_stream_json_arrays(rest: httpx.Client) -> None:
    rest.patch(f"{DOCS}/c/a", headers=OWNER_HEADERS, json={"fields": {"n": INT}})
    got = rest.post(
        f"{DOCS}:batchGet",
        headers=OWNER_HEADERS,
        json={"documents": [f"{ROOT}/c/a", f"{ROOT}/c/zz"]},
    ).json()
    assert [sorted(item) for item in got] == [["found", "readTime"], ["missing", "readTime"]]
    assert got[0]["found"]["fields"] == {"n": INT} and got[1]["missing"] == f"{ROOT}/c/zz"
    rows = rest.post(
        f"{DOCS}:runQuery",
        headers=OWNER_HEADERS,
        json={"structuredQuery": {"from": [{"collectionId": "c"}]}},
    ).json()
    assert isinstance(rows, list) and rows[0]["document"]["name"] == f"{ROOT}/c/a"
    empty = rest.post(
        f"{DOCS}:runQuery",
        headers=OWNER_HEADERS,
        json={"structuredQuery": {"from": [{"collectionId": "nothing"}]}},
    ).json()
    assert len(empty) == 1 and set(empty[0]) == {"readTime"}


def test_listing_pages_and_missing_parents(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("p/ghost/sub/a").set({"x": 1})
    db.document("p/real").set({"x": 1, "y": 2})
    db.document("p/zed").set({"x": 3})
    first = rest.get(f"{DOCS}/p?pageSize=1&mask.fieldPaths=x", headers=OWNER_HEADERS).json()
    assert [d["name"] for d in first["documents"]] == [f"{ROOT}/p/real"]
    assert first["documents"][0]["fields"] == {"x": INT}
    second = rest.get(
        f"{DOCS}/p",
        params={"pageSize": 1, "pageToken": first["nextPageToken"]},
        headers=OWNER_HEADERS,
    ).json()
    assert [d["name"] for d in second["documents"]] == [f"{ROOT}/p/zed"]
    assert "nextPageToken" not in second
    with_missing = rest.get(f"{DOCS}/p?showMissing=true", headers=OWNER_HEADERS).json()["documents"]
    assert with_missing[0] == {"name": f"{ROOT}/p/ghost"}  # no fields, no times
    assert sorted(d.id for d in db.collection("p").list_documents()) == ["ghost", "real", "zed"]
    assert sorted(s.id for s in db.collection("p").stream()) == ["real", "zed"]
    assert [c.id for c in db.document("p/ghost").collections()] == ["sub"]
    assert [c.id for c in db.collections()] == ["p"]


LIMITED_LIST = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /p/{id} {
      allow list: if request.query.limit <= 5;
    }
  }
}
"""


def test_a_listing_page_size_is_the_query_limit_rules_see(rest: httpx.Client) -> None:
    project = "demo-audit-listing"
    assert set_rules(rest, LIMITED_LIST, project).status_code == 200
    docs = f"/v1/projects/{project}/databases/(default)/documents/p"
    assert rest.get(f"{docs}?pageSize=5", headers=bearer("u")).status_code == 200
    assert rest.get(f"{docs}?pageSize=6", headers=bearer("u")).status_code == 403
    assert rest.get(docs, headers=bearer("u")).status_code == 403


def test_get_all_with_missing_documents_and_a_field_mask(db: firestore.Client) -> None:
    db.document("g/real").set({"x": 1, "y": 2})
    refs = [db.document("g/real"), db.document("g/none")]
    snapshots = {s.id: s for s in db.get_all(refs, field_paths=["x"])}
    assert snapshots["real"].to_dict() == {"x": 1}
    assert not snapshots["none"].exists and snapshots["none"].read_time is not None


def test_recursive_delete_and_bulk_writer(db: firestore.Client) -> None:
    writer = db.bulk_writer()
    for i in range(30):
        writer.set(db.document(f"r/{i}"), {"i": i})
        writer.set(db.document(f"r/{i}/s/child"), {"i": i})
    writer.update(db.document("r/1"), {"touched": True})
    writer.delete(db.document("r/2"))
    writer.close()
    assert db.document("r/1").get().get("touched") is True
    assert db.collection("r").count().get()[0][0].value == 29
    assert db.recursive_delete(db.collection("r")) == 59
    assert list(db.collection_group("s").stream()) == []
    assert list(db.collection("r").list_documents()) == []


@pytest.mark.parametrize("uid", [None, "someone"])
def test_clients_cannot_list_collection_ids(rest: httpx.Client, uid: str | None) -> None:
    response = rest.post(f"{DOCS}:listCollectionIds", headers=bearer(uid), json={})
    assert response.status_code == 403
