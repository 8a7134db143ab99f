"""Answers that must match the backend's: sum/avg over a limited query, a future
update_time precondition, aggregation validation; RTDB rules that do not parse."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1.types import firestore as fs
from google.cloud.firestore_v1.types import query as query_types
from google.protobuf import wrappers_pb2

from tests.support.firestore_clients import ROOT, gapic_client

OWNER_METADATA = [("authorization", "Bearer owner")]
Aggregation = query_types.StructuredAggregationQuery.Aggregation


def _seed(db: firestore.Client) -> None:
    """Random ids, so only ordering by the field makes a limited sum deterministic."""
    for value in (50, 7, 3, 20, 1.5, 9):
        db.collection("scores").document(uuid.uuid4().hex).set({"v": value})
    db.collection("scores").document(uuid.uuid4().hex).set({"v": "not a number"})
    db.collection("scores").document(uuid.uuid4().hex).set({"other": 1})


def test_sum_and_avg_with_limit_take_the_smallest_numbers(db: firestore.Client) -> None:
    _seed(db)
    limited = db.collection("scores").limit(3)
    assert limited.sum("v").get()[0][0].value == 1.5 + 3 + 7
    assert limited.avg("v").get()[0][0].value == pytest.approx((1.5 + 3 + 7) / 3)
    assert limited.count().get()[0][0].value == 3
    # Without a limit every number counts, in any order.
    assert db.collection("scores").sum("v").get()[0][0].value == 90.5
    # The query's own filters still apply first.
    big = db.collection("scores").where(filter=firestore.FieldFilter("v", ">", 5)).limit(2)
    assert big.sum("v").get()[0][0].value == 7 + 9


def test_a_future_update_time_precondition_is_invalid(db: firestore.Client) -> None:
    ref = db.document("scores/fixed")
    ref.set({"v": 1})
    future = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with pytest.raises(exceptions.InvalidArgument, match="in the future"):
        ref.update({"v": 2}, option=db.write_option(last_update_time=future))
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with pytest.raises(exceptions.FailedPrecondition):
        ref.update({"v": 2}, option=db.write_option(last_update_time=past))
    assert ref.get().to_dict() == {"v": 1}


def _aggregate(address: str, aggregations: list[Aggregation]) -> None:
    request = fs.RunAggregationQueryRequest(
        parent=ROOT,
        structured_aggregation_query=query_types.StructuredAggregationQuery(
            structured_query=query_types.StructuredQuery(
                from_=[query_types.StructuredQuery.CollectionSelector(collection_id="s")]
            ),
            aggregations=aggregations,
        ),
    )
    list(gapic_client(address).run_aggregation_query(request, metadata=OWNER_METADATA))


def _count(alias: str = "", up_to: int | None = None) -> Aggregation:
    count = Aggregation.Count()
    if up_to is not None:
        count.up_to = wrappers_pb2.Int64Value(value=up_to)
    return Aggregation(count=count, alias=alias)


@pytest.mark.parametrize(
    ("aggregations", "message"),
    [
        ([], "Aggregations must not be empty."),
        ([_count(f"a{i}") for i in range(6)], "Aggregations must have at most 5 entries, found 6."),
        (
            [_count("same"), _count("same")],
            "Duplicate alias 'same' is not allowed in aggregations.",
        ),
        ([_count(up_to=0)], "up_to must be greater than 0, found 0."),
    ],
)
def test_aggregation_validation_messages(
    address: str, aggregations: list[Aggregation], message: str
) -> None:
    with pytest.raises(exceptions.InvalidArgument) as raised:
        _aggregate(address, aggregations)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    "rules",
    [
        '{"rules": {".read": "auth != null &&"}}',
        '{"rules": {".read": true,}',
        '{"rules": {"a": {".write": "data.val() == \'x"}}}',
    ],
)
def test_rtdb_rules_that_do_not_parse_say_parse_error(database_emulator: str, rules: str) -> None:
    answer = httpx.put(
        f"http://{database_emulator}/.settings/rules.json",
        params={"ns": "parse-check"},
        content=rules,
        headers={"Authorization": "Bearer owner"},
    )
    assert answer.status_code == 400
    assert "Parse error" in answer.json()["error"]
