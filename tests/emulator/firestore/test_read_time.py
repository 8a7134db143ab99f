"""Point-in-time reads: ``read_time`` on every read RPC, in read-only transactions and in
Listen resume, through the official clients and REST; the backend's errors outside the
one-hour window."""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1.types import common, query
from google.cloud.firestore_v1.types import firestore as fs
from google.protobuf import timestamp_pb2

from tests.support.firestore_clients import ROOT, gapic_client
from tests.support.id_tokens import OWNER_HEADERS

DATABASE = ROOT.removesuffix("/documents")
OWNER_METADATA = [("authorization", "Bearer owner")]
FUTURE = "read_time cannot be in the future"
TOO_OLD = "The requested snapshot version is too old."


@pytest.fixture
def history(db: firestore.Client) -> dict[str, Any]:
    """cities/a v1 + cities/c + cities/a/sights/s1 at t1; then a -> v2, b added,
    c deleted, towns/x added (after t1)."""
    first = db.batch()
    first.set(db.document("cities/a"), {"v": 1})
    first.set(db.document("cities/c"), {"v": 1})
    first.set(db.document("cities/a/sights/s1"), {"n": 1})
    t1 = first.commit()[0].update_time
    second = db.batch()
    second.set(db.document("cities/a"), {"v": 2})
    second.set(db.document("cities/b"), {"v": 2})
    second.delete(db.document("cities/c"))
    second.set(db.document("towns/x"), {"v": 9})
    second.commit()
    return {"t1": t1}


def _pb(when: dt.datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(when)
    return stamp


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_get_document(address: str, history: dict[str, Any]) -> None:
    client = gapic_client(address)
    name = f"{ROOT}/cities/a"
    then = client.get_document(
        fs.GetDocumentRequest(name=name, read_time=history["t1"]), metadata=OWNER_METADATA
    )
    assert then.fields["v"].integer_value == 1
    assert (
        client.get_document(fs.GetDocumentRequest(name=name), metadata=OWNER_METADATA)
        .fields["v"]
        .integer_value
        == 2
    )
    with pytest.raises(exceptions.NotFound):
        client.get_document(
            fs.GetDocumentRequest(name=f"{ROOT}/cities/b", read_time=history["t1"]),
            metadata=OWNER_METADATA,
        )


def test_batch_get_documents(db: firestore.Client, history: dict[str, Any]) -> None:
    refs = [db.document(f"cities/{i}") for i in "abc"]
    then = {s.id: s for s in db.get_all(refs, read_time=history["t1"])}
    assert then["a"].to_dict() == {"v": 1} and then["c"].to_dict() == {"v": 1}
    assert not then["b"].exists
    assert then["a"].read_time == history["t1"]
    now = {s.id: s for s in db.get_all(refs)}
    assert now["a"].to_dict() == {"v": 2} and now["b"].exists and not now["c"].exists


def test_run_query(db: firestore.Client, history: dict[str, Any]) -> None:
    cities = db.collection("cities")
    then = {s.id: s.to_dict() for s in cities.stream(read_time=history["t1"])}
    assert then == {"a": {"v": 1}, "c": {"v": 1}}
    assert {s.id: s.to_dict() for s in cities.stream()} == {"a": {"v": 2}, "b": {"v": 2}}
    group = db.collection_group("sights").stream(read_time=history["t1"])
    assert [s.reference.path for s in group] == ["cities/a/sights/s1"]


def test_run_aggregation_query(db: firestore.Client, history: dict[str, Any]) -> None:
    cities = db.collection("cities")
    assert cities.count().get(read_time=history["t1"])[0][0].value == 2
    assert cities.sum("v").get(read_time=history["t1"])[0][0].value == 2
    assert cities.sum("v").get()[0][0].value == 4


def test_list_documents(db: firestore.Client, history: dict[str, Any]) -> None:
    listed = db.collection("cities").list_documents(read_time=history["t1"])
    assert sorted(ref.id for ref in listed) == ["a", "c"]
    assert sorted(ref.id for ref in db.collection("cities").list_documents()) == ["a", "b"]


def test_list_collection_ids(db: firestore.Client, history: dict[str, Any]) -> None:
    assert sorted(c.id for c in db.collections(read_time=history["t1"])) == ["cities"]
    assert sorted(c.id for c in db.collections()) == ["cities", "towns"]
    sub = db.document("cities/a").collections(read_time=history["t1"])
    assert [c.id for c in sub] == ["sights"]


def test_read_only_transaction_at_a_read_time(address: str, history: dict[str, Any]) -> None:
    client = gapic_client(address)
    options = common.TransactionOptions(
        read_only=common.TransactionOptions.ReadOnly(read_time=history["t1"])
    )
    begun = client.begin_transaction(
        fs.BeginTransactionRequest(database=DATABASE, options=options), metadata=OWNER_METADATA
    )
    got = list(
        client.batch_get_documents(
            fs.BatchGetDocumentsRequest(
                database=DATABASE,
                documents=[f"{ROOT}/cities/a", f"{ROOT}/cities/b"],
                transaction=begun.transaction,
            ),
            metadata=OWNER_METADATA,
        )
    )
    found = {
        r.found.name.rsplit("/", 1)[1]: r.found.fields["v"].integer_value
        for r in got
        if r.found.name
    }
    assert found == {"a": 1}
    ran = client.run_query(
        fs.RunQueryRequest(
            parent=ROOT,
            structured_query=query.StructuredQuery(
                from_=[query.StructuredQuery.CollectionSelector(collection_id="cities")]
            ),
            transaction=begun.transaction,
        ),
        metadata=OWNER_METADATA,
    )
    assert sorted(r.document.name.rsplit("/", 1)[1] for r in ran if r.document.name) == ["a", "c"]
    # Nothing it read can go stale: its commit succeeds although the data changed since.
    client.commit(
        fs.CommitRequest(database=DATABASE, transaction=begun.transaction), metadata=OWNER_METADATA
    )


def test_read_only_transaction_in_a_read_request(
    db: firestore.Client, address: str, history: dict[str, Any]
) -> None:
    client = gapic_client(address)
    options = common.TransactionOptions(
        read_only=common.TransactionOptions.ReadOnly(read_time=history["t1"])
    )
    answers = list(
        client.batch_get_documents(
            fs.BatchGetDocumentsRequest(
                database=DATABASE, documents=[f"{ROOT}/cities/c"], new_transaction=options
            ),
            metadata=OWNER_METADATA,
        )
    )
    assert answers[0].transaction
    assert answers[1].found.fields["v"].integer_value == 1


def test_rest_reads_take_read_time(rest: httpx.Client, history: dict[str, Any]) -> None:
    stamp = history["t1"].isoformat().replace("+00:00", "Z")
    got = rest.get(f"/v1/{ROOT}/cities/a", params={"readTime": stamp}, headers=OWNER_HEADERS)
    assert got.status_code == 200, got.text
    assert got.json()["fields"]["v"] == {"integerValue": "1"}
    ran = rest.post(
        f"/v1/{ROOT}:runQuery",
        headers=OWNER_HEADERS,
        json={"structuredQuery": {"from": [{"collectionId": "cities"}]}, "readTime": stamp},
    )
    assert sorted(r["document"]["name"].rsplit("/", 1)[1] for r in ran.json()) == ["a", "c"]
    future = (_now() + dt.timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    bad = rest.get(f"/v1/{ROOT}/cities/a", params={"readTime": future}, headers=OWNER_HEADERS)
    assert bad.status_code == 400 and bad.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert FUTURE in bad.json()["error"]["message"]


def _calls(db: firestore.Client, address: str, when: dt.datetime) -> dict[str, Any]:
    """One read of each kind at ``when``, as callables."""
    client = gapic_client(address)
    stamp = _pb(when)
    read_only = common.TransactionOptions(
        read_only=common.TransactionOptions.ReadOnly(read_time=stamp)
    )
    return {
        "GetDocument": lambda: client.get_document(
            fs.GetDocumentRequest(name=f"{ROOT}/cities/a", read_time=stamp), metadata=OWNER_METADATA
        ),
        "BatchGetDocuments": lambda: db.get_all([db.document("cities/a")], read_time=when),
        "RunQuery": lambda: list(db.collection("cities").stream(read_time=when)),
        "RunAggregationQuery": lambda: db.collection("cities").count().get(read_time=when),
        "ListDocuments": lambda: list(db.collection("cities").list_documents(read_time=when)),
        "ListCollectionIds": lambda: list(db.collections(read_time=when)),
        "BeginTransaction": lambda: client.begin_transaction(
            fs.BeginTransactionRequest(database=DATABASE, options=read_only),
            metadata=OWNER_METADATA,
        ),
    }


RPCS = [
    "GetDocument",
    "BatchGetDocuments",
    "RunQuery",
    "RunAggregationQuery",
    "ListDocuments",
    "ListCollectionIds",
    "BeginTransaction",
]


@pytest.mark.parametrize("rpc", RPCS)
def test_a_future_read_time_is_invalid(db: firestore.Client, address: str, rpc: str) -> None:
    call = _calls(db, address, _now() + dt.timedelta(minutes=10))[rpc]
    with pytest.raises(exceptions.InvalidArgument, match=FUTURE):
        list(call()) if rpc == "BatchGetDocuments" else call()


@pytest.mark.parametrize("rpc", RPCS)
def test_a_read_time_older_than_an_hour_is_too_old(
    db: firestore.Client, address: str, rpc: str
) -> None:
    call = _calls(db, address, _now() - dt.timedelta(minutes=61))[rpc]
    with pytest.raises(exceptions.FailedPrecondition, match=TOO_OLD):
        list(call()) if rpc == "BatchGetDocuments" else call()


def _listen(address: str, target: fs.Target) -> Iterator[Any]:
    """A Listen stream with one target; yields responses (closed by the caller)."""
    channel = grpc.insecure_channel(address)
    stub = channel.stream_stream(
        "/google.firestore.v1.Firestore/Listen",
        request_serializer=fs.ListenRequest.serialize,
        response_deserializer=fs.ListenResponse.deserialize,
    )
    requests: queue.Queue[Any] = queue.Queue()
    requests.put(fs.ListenRequest(database=DATABASE, add_target=target))
    done = threading.Event()

    def feed() -> Iterator[Any]:
        while not done.is_set():
            try:
                yield requests.get(timeout=0.2)
            except queue.Empty:
                continue

    call = stub(feed(), metadata=OWNER_METADATA, timeout=20)
    try:
        yield from call
    finally:
        done.set()
        call.cancel()
        channel.close()


def _until_current(responses: Iterator[Any]) -> list[Any]:
    seen = []
    for response in responses:
        seen.append(response)
        change = response.target_change
        if (
            response._pb.WhichOneof("response_type") == "target_change"
            and change.target_change_type == fs.TargetChange.TargetChangeType.CURRENT
        ):
            return seen
    raise AssertionError("no CURRENT")


def test_listen_resumes_from_a_read_time(address: str, history: dict[str, Any]) -> None:
    cities = fs.Target.QueryTarget(
        parent=ROOT,
        structured_query=query.StructuredQuery(
            from_=[query.StructuredQuery.CollectionSelector(collection_id="cities")]
        ),
    )
    resumed = fs.Target(query=cities, target_id=7, read_time=history["t1"])
    answers = _until_current(_listen(address, resumed))
    kinds = [a._pb.WhichOneof("response_type") for a in answers]
    changes = [a.target_change.target_change_type for a in answers if a.target_change]
    assert fs.TargetChange.TargetChangeType.RESET not in changes
    changed = sorted(
        a.document_change.document.name.rsplit("/", 1)[1]
        for a in answers
        if a.document_change.document.name
    )
    deleted = [
        a.document_delete.document.rsplit("/", 1)[1] for a in answers if a.document_delete.document
    ]
    # Only what changed after t1: a (v1 -> v2) and b (new); c was deleted.
    assert changed == ["a", "b"] and deleted == ["c"], kinds


def test_listen_resume_too_old_starts_over_and_future_is_refused(
    address: str, history: dict[str, Any]
) -> None:
    cities = fs.Target.QueryTarget(
        parent=ROOT,
        structured_query=query.StructuredQuery(
            from_=[query.StructuredQuery.CollectionSelector(collection_id="cities")]
        ),
    )
    old = fs.Target(query=cities, target_id=8, read_time=_pb(_now() - dt.timedelta(hours=2)))
    answers = _until_current(_listen(address, old))
    changes = [a.target_change.target_change_type for a in answers if a.target_change]
    assert fs.TargetChange.TargetChangeType.RESET in changes
    assert sorted(
        a.document_change.document.name.rsplit("/", 1)[1]
        for a in answers
        if a.document_change.document.name
    ) == ["a", "b"]
    future = fs.Target(query=cities, target_id=9, read_time=_pb(_now() + dt.timedelta(minutes=5)))
    first = next(iter(_listen(address, future)))
    assert first.target_change.target_change_type == fs.TargetChange.TargetChangeType.REMOVE
    assert first.target_change.cause.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert FUTURE in first.target_change.cause.message


def test_history_keeps_one_hour_only() -> None:
    from emulator.firestore.history import WINDOW_NANOS, History

    kept = History()
    minute = 60 * 1_000_000_000
    for n in range(180):  # three hours of one commit a minute
        kept.record(n * minute, {f"d/{n}": None})
    assert len(kept) == WINDOW_NANOS // minute + 1
    # Reading just before the last commit lays only that commit's before-image over now.
    assert kept.overlay_after(179 * minute - 1) == {"d/179": None}
    assert len(kept.overlay_after(120 * minute)) == 59
