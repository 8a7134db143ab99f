"""Property: the emulator's order-by agrees with the official client's own Firestore
value order (google.cloud.firestore_v1.order.Order) on random mixed-type values."""

from __future__ import annotations

import datetime as dt

from google.cloud import firestore
from google.cloud.firestore_v1 import GeoPoint, _helpers
from google.cloud.firestore_v1.order import Order
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.firestore_clients import clear, rest_client

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.binary(max_size=3),
    st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.just(dt.UTC),
    ),
    st.builds(GeoPoint, st.floats(-90, 90), st.floats(-180, 180)),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text("abc", min_size=1, max_size=2), scalars, max_size=3),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(values, min_size=2, max_size=8))
def test_order_by_agrees_with_the_client_order(
    db: firestore.Client, address: str, stored: list
) -> None:
    with rest_client(address) as rest:
        clear(rest)
    batch = db.batch()
    for index, value in enumerate(stored):
        batch.set(db.document(f"prop/{index}"), {"v": value})
    batch.commit()
    for direction in ("ASCENDING", "DESCENDING"):
        got = [
            _helpers.encode_value(s.get("v"))
            for s in db.collection("prop").order_by("v", direction=direction).stream()
        ]
        assert len(got) == len(stored)
        sign = 1 if direction == "ASCENDING" else -1
        for left, right in zip(got, got[1:], strict=False):
            assert sign * Order.compare(left, right) <= 0, (left, right)
