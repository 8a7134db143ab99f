"""Malformed requests a REST user can send: each answers 400 INVALID_ARGUMENT (never a
500) and writes nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.support.firestore_clients import ROOT
from tests.support.id_tokens import OWNER_HEADERS

DOCS = f"/v1/{ROOT}"
DOC = f"{ROOT}/bad/doc"
COUNT = {"count": {}}


def _aggregation(*aggregations: dict) -> dict:
    return {
        "structuredAggregationQuery": {
            "structuredQuery": {"from": [{"collectionId": "bad"}]},
            "aggregations": list(aggregations),
        }
    }


@pytest.mark.parametrize(
    ("verb", "body"),
    [
        (
            "commit",
            {
                "writes": [
                    {
                        "update": {"name": DOC, "fields": {}},
                        "updateTransforms": [{"fieldPath": "x"}],
                    }
                ]
            },
        ),
        (
            "commit",
            {"writes": [{"transform": {"document": DOC, "fieldTransforms": [{"fieldPath": "x"}]}}]},
        ),
        ("commit", {"writes": [{}]}),
        ("runQuery", {"structuredQuery": {"from": [{"collectionId": "a/b"}]}}),
        ("runAggregationQuery", _aggregation({"alias": "a", **COUNT}, {"alias": "a", **COUNT})),
        ("runAggregationQuery", _aggregation(*({"alias": f"a{i}", **COUNT} for i in range(6)))),
        ("runAggregationQuery", _aggregation()),
        (
            "runAggregationQuery",
            _aggregation({"alias": "s", "sum": {"field": {"fieldPath": "a..b"}}}),
        ),
    ],
)
def test_bad_requests_are_invalid_argument(rest: httpx.Client, verb: str, body: dict) -> None:
    response = rest.post(f"{DOCS}:{verb}", headers=OWNER_HEADERS, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert rest.get(f"{DOCS}/bad/doc", headers=OWNER_HEADERS).status_code == 404


def test_default_aggregation_aliases(rest: httpx.Client) -> None:
    rest.patch(f"{DOCS}/bad/one", headers=OWNER_HEADERS, json={"fields": {}})
    response = rest.post(
        f"{DOCS}:runAggregationQuery",
        headers=OWNER_HEADERS,
        json=_aggregation(COUNT, {"alias": "n", **COUNT}),
    )
    assert response.status_code == 200
    assert response.json()[0]["result"]["aggregateFields"] == {
        "field_1": {"integerValue": "1"},
        "n": {"integerValue": "1"},
    }
