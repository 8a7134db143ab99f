"""Property: malformed REST requests get a 4xx Google JSON error, never a 500 (bad input
must never surface as INTERNAL), and leave no partial state."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.firestore_clients import ROOT
from tests.support.id_tokens import OWNER_HEADERS

DOCS = f"/v1/{ROOT}"

KEYS = [
    "structuredQuery",
    "from",
    "collectionId",
    "allDescendants",
    "where",
    "fieldFilter",
    "compositeFilter",
    "unaryFilter",
    "field",
    "fieldPath",
    "op",
    "value",
    "filters",
    "orderBy",
    "direction",
    "startAt",
    "endAt",
    "values",
    "before",
    "limit",
    "offset",
    "select",
    "fields",
    "integerValue",
    "stringValue",
    "arrayValue",
    "mapValue",
    "writes",
    "update",
    "name",
    "delete",
    "updateMask",
    "fieldPaths",
    "updateTransforms",
    "increment",
    "currentDocument",
    "exists",
    "updateTime",
    "transaction",
    "documents",
    "structuredAggregationQuery",
    "aggregations",
    "count",
    "sum",
    "avg",
    "alias",
]
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=6),
    st.sampled_from(
        ["", "a.b", "`x`", "__name__", "NaN", "-1", f"{ROOT}/c/a", "ASCENDING", "EQUAL", "IN"]
    ),
)
json_values = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=12,
)

ENDPOINTS = [
    ":runQuery",
    ":commit",
    ":batchGet",
    ":runAggregationQuery",
    ":batchWrite",
    ":listCollectionIds",
    ":beginTransaction",
]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    body=st.dictionaries(st.sampled_from(KEYS), json_values, max_size=4),
)
def test_random_bodies_never_crash(rest: httpx.Client, endpoint: str, body: dict) -> None:
    response = rest.post(f"{DOCS}{endpoint}", json=body, headers=OWNER_HEADERS)
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] == response.status_code and error["status"]


typed_values = st.one_of(
    st.builds(lambda: {"nullValue": None}),
    st.builds(lambda b: {"booleanValue": b}, st.booleans()),
    st.builds(lambda i: {"integerValue": str(i)}, st.integers(-3, 3)),
    st.builds(lambda f: {"doubleValue": f}, st.sampled_from([0.5, -1.0, "NaN", "Infinity"])),
    st.builds(lambda t: {"stringValue": t}, st.text("ab", max_size=2)),
    st.builds(lambda: {"referenceValue": f"{ROOT}/c/a"}),
    st.builds(lambda: {"arrayValue": {"values": [{"integerValue": "1"}]}}),
    st.builds(lambda: {"arrayValue": {}}),
    st.builds(lambda: {"mapValue": {"fields": {"k": {"integerValue": "1"}}}}),
)
field_names = st.sampled_from(["v", "w.x", "__name__", "missing", "`a b`"])
field_ops = st.sampled_from(
    [
        "LESS_THAN",
        "LESS_THAN_OR_EQUAL",
        "GREATER_THAN",
        "GREATER_THAN_OR_EQUAL",
        "EQUAL",
        "NOT_EQUAL",
        "ARRAY_CONTAINS",
        "IN",
        "ARRAY_CONTAINS_ANY",
        "NOT_IN",
    ]
)
field_filters = st.builds(
    lambda f, op, v: {"fieldFilter": {"field": {"fieldPath": f}, "op": op, "value": v}},
    field_names,
    field_ops,
    typed_values,
)
unary_filters = st.builds(
    lambda f, op: {"unaryFilter": {"field": {"fieldPath": f}, "op": op}},
    field_names,
    st.sampled_from(["IS_NAN", "IS_NULL", "IS_NOT_NAN", "IS_NOT_NULL"]),
)
filters = st.recursive(
    st.one_of(field_filters, unary_filters),
    lambda inner: st.builds(
        lambda op, fs: {"compositeFilter": {"op": op, "filters": fs}},
        st.sampled_from(["AND", "OR"]),
        st.lists(inner, max_size=3),
    ),
    max_leaves=4,
)
cursors = st.builds(
    lambda vs, before: {"values": vs, "before": before},
    st.lists(typed_values, max_size=3),
    st.booleans(),
)


@st.composite
def queries(draw: st.DrawFn) -> dict:
    query: dict = {"from": [{"collectionId": "c", "allDescendants": draw(st.booleans())}]}
    if draw(st.booleans()):
        query["where"] = draw(filters)
    if draw(st.booleans()):
        query["orderBy"] = [
            {
                "field": {"fieldPath": draw(field_names)},
                "direction": draw(st.sampled_from(["ASCENDING", "DESCENDING"])),
            }
        ]
    for key in ("startAt", "endAt"):
        if draw(st.booleans()):
            query[key] = draw(cursors)
    if draw(st.booleans()):
        query["limit"] = draw(st.integers(-1, 3))
    if draw(st.booleans()):
        query["offset"] = draw(st.integers(0, 2))
    return query


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=queries())
def test_structured_queries_never_crash(rest: httpx.Client, query: dict) -> None:
    for doc, value in (
        ("a", {"integerValue": "1"}),
        ("b", {"stringValue": "a"}),
        ("c", {"doubleValue": "NaN"}),
        ("d", {"nullValue": None}),
    ):
        body = {"fields": {"v": value, "w": {"mapValue": {"fields": {"x": value}}}}}
        rest.patch(f"{DOCS}/c/{doc}", json=body, headers=OWNER_HEADERS).raise_for_status()
    response = rest.post(f"{DOCS}:runQuery", json={"structuredQuery": query}, headers=OWNER_HEADERS)
    assert response.status_code < 500, (response.status_code, response.text)
    aggregate = {
        "structuredAggregationQuery": {
            "structuredQuery": query,
            "aggregations": [
                {"count": {}},
                {"sum": {"field": {"fieldPath": "v"}}},
                {"avg": {"field": {"fieldPath": "w.x"}}},
            ],
        }
    }
    response = rest.post(f"{DOCS}:runAggregationQuery", json=aggregate, headers=OWNER_HEADERS)
    assert response.status_code < 500, (response.status_code, response.text)


transforms = st.one_of(
    st.builds(lambda f, v: {"fieldPath": f, "increment": v}, field_names, typed_values),
    st.builds(lambda f, v: {"fieldPath": f, "maximum": v}, field_names, typed_values),
    st.builds(lambda f, v: {"fieldPath": f, "minimum": v}, field_names, typed_values),
    st.builds(lambda f: {"fieldPath": f, "setToServerValue": "REQUEST_TIME"}, field_names),
    st.builds(
        lambda f, vs: {"fieldPath": f, "appendMissingElements": {"values": vs}},
        field_names,
        st.lists(typed_values, max_size=2),
    ),
    st.builds(
        lambda f, vs: {"fieldPath": f, "removeAllFromArray": {"values": vs}},
        field_names,
        st.lists(typed_values, max_size=2),
    ),
)
preconditions = st.one_of(
    st.builds(lambda e: {"exists": e}, st.booleans()),
    st.just({"updateTime": "2020-01-01T00:00:00Z"}),
)


@st.composite
def writes(draw: st.DrawFn) -> dict:
    name = f"{ROOT}/c/{draw(st.sampled_from(['a', 'b', 'z']))}"
    if draw(st.integers(0, 4)) == 0:
        write: dict = {"delete": name}
    else:
        fields = draw(
            st.dictionaries(st.sampled_from(["v", "w", "__bad__", ""]), typed_values, max_size=2)
        )
        write = {"update": {"name": name, "fields": fields}}
        if draw(st.booleans()):
            write["updateMask"] = {"fieldPaths": draw(st.lists(field_names, max_size=2))}
        write["updateTransforms"] = draw(st.lists(transforms, max_size=2))
    if draw(st.booleans()):
        write["currentDocument"] = draw(preconditions)
    return write


def _snapshot(rest: httpx.Client) -> list:
    return rest.get(f"{DOCS}/c", headers=OWNER_HEADERS).json().get("documents", [])


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(writes(), min_size=1, max_size=3))
def test_random_commits_are_all_or_nothing(rest: httpx.Client, batch: list) -> None:
    rest.patch(
        f"{DOCS}/c/a", json={"fields": {"v": {"integerValue": "1"}}}, headers=OWNER_HEADERS
    ).raise_for_status()
    before = _snapshot(rest)
    response = rest.post(f"{DOCS}:commit", json={"writes": batch}, headers=OWNER_HEADERS)
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code != 200:
        assert _snapshot(rest) == before
