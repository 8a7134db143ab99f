"""Shape tables and property tests for the Realtime Database: typing values and sessions.

alice, a member of r1, writes her own typing entry and her own presence session over
REST; only the schema of docs/data-model.md may pass, and a denied write changes nothing.
Times are written relative to the moment of sending, far enough from each bound that
the few milliseconds a request takes cannot change the outcome.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.assertions import assert_allowed, assert_rtdb_denied
from tests.rules.schema_oracle import (
    is_allowed_session_write,
    is_valid_session,
    is_valid_typing,
    normalized,
)
from tests.support.database_rest import SERVER_TIMESTAMP, DatabaseRest

ALICE = "alice"
TYPING = f"typing/r1/{ALICE}"
SESSION = f"status/{ALICE}/connections/s9"
SV = SERVER_TIMESTAMP


class Ago:
    """A time ``ms`` milliseconds before sending (negative: in the future)."""

    def __init__(self, ms: float) -> None:
        self.ms = ms

    def __repr__(self) -> str:
        return f"Ago({self.ms})"


def at_send(value: Any, now_ms: int) -> Any:
    """Replaces every ``Ago`` inside a value by an absolute time."""
    if isinstance(value, Ago):
        return now_ms - value.ms
    if isinstance(value, dict):
        return {key: at_send(item, now_ms) for key, item in value.items()}
    return value


def _now_ms() -> int:
    return int(time.time() * 1000)


TYPING_VALUES = [
    ("server timestamp", SV, True),
    ("a second ago", Ago(1000), True),
    ("in the future", Ago(-10_000), False),
    ("two minutes ago", Ago(120_000), False),
    ("zero", 0, False),
    ("a string", "typing", False),
    ("true", True, False),
    ("a map", {"at": SV}, False),
    ("increment into the future", {".sv": {"increment": 10**9}}, False),
]


@pytest.mark.parametrize(
    ("value", "allowed"),
    [pytest.param(value, allowed, id=name) for name, value, allowed in TYPING_VALUES],
)
def test_typing_value_shape(
    database: DatabaseRest,
    rtdb_world: int,
    value: Any,
    allowed: bool,
) -> None:
    before = database.read(TYPING)
    response = database.put(TYPING, at_send(value, _now_ms()), ALICE)
    if allowed:
        assert_allowed(response)
    else:
        assert_rtdb_denied(response)
        assert database.read(TYPING) == before


MISSING: Any = object()  # as a changed value: the child is left out


def session(**changes: Any) -> dict[str, Any]:
    doc = {"startedAt": SV, "lastActive": SV, "device": "Firefox on Linux", **changes}
    return {key: value for key, value in doc.items() if value is not MISSING}


SESSIONS = [
    ("full", session(), True),
    ("without device", session(device=MISSING), True),
    ("device of 64", session(device="d" * 64), True),
    ("device of 64 emoji halves", session(device="😀" * 32), True),
    ("client times", session(startedAt=Ago(2000), lastActive=Ago(1000)), True),
    ("no startedAt", session(startedAt=MISSING), False),
    ("no lastActive", session(lastActive=MISSING), False),
    ("only device", {"device": "web"}, False),
    ("extra child", session(online=True), False),
    ("startedAt in the future", session(startedAt=Ago(-10_000)), False),
    ("lastActive in the future", session(lastActive=Ago(-10_000)), False),
    ("lastActive far in the future", session(lastActive=Ago(-(10**12))), False),
    ("stale lastActive", session(lastActive=Ago(120_000)), False),
    ("startedAt a string", session(startedAt="now"), False),
    ("lastActive a bool", session(lastActive=True), False),
    ("empty device", session(device=""), False),
    ("device of 65", session(device="d" * 65), False),
    ("device of 33 emoji", session(device="😀" * 33), False),
    ("device a number", session(device=5), False),
    ("device a map", session(device={"name": "web"}), False),
    ("a number", 5, False),
]


@pytest.mark.parametrize(
    ("value", "allowed"),
    [pytest.param(value, allowed, id=name) for name, value, allowed in SESSIONS],
)
def test_session_shape(database: DatabaseRest, rtdb_world: int, value: Any, allowed: bool) -> None:
    response = database.put(SESSION, at_send(value, _now_ms()), ALICE)
    if allowed:
        assert_allowed(response)
        assert database.read(SESSION) is not None
    else:
        assert_rtdb_denied(response)
        assert database.read(SESSION) is None


@pytest.mark.parametrize(
    ("child", "value", "allowed"),
    [
        ("lastActive", SV, True),
        ("lastActive", Ago(-10_000), False),
        ("lastActive", "now", False),
        ("device", "phone", True),
        ("device", "", False),
        ("startedAt", None, False),  # would leave the session without startedAt
        ("lastActive", None, False),
        ("device", None, True),  # device is optional
        ("online", True, False),
    ],
)
def test_single_child_write_keeps_the_session_valid(
    database: DatabaseRest,
    rtdb_world: int,
    child: str,
    value: Any,
    allowed: bool,
) -> None:
    path = f"status/{ALICE}/connections/s1"
    before = database.read(path)
    response = database.put(f"{path}/{child}", at_send(value, _now_ms()), ALICE)
    if allowed:
        assert_allowed(response)
    else:
        assert_rtdb_denied(response)
        assert database.read(path) == before


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        (SV, True),
        (Ago(1000), True),
        (Ago(60_000 * 60), False),
        (0, False),
        (Ago(-10_000), False),
        ("yesterday", False),
        ({"at": SV}, False),
    ],
)
def test_last_seen_shape(
    database: DatabaseRest,
    rtdb_world: int,
    value: Any,
    allowed: bool,
) -> None:
    path = f"status/{ALICE}/lastSeen"
    response = database.put(path, at_send(value, _now_ms()), ALICE)
    if allowed:
        assert_allowed(response)
    else:
        assert_rtdb_denied(response)


# ---- properties ----

PROPERTIES = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Offsets safely inside or outside the (now - 60 s, now] window of a fresh server time.
times = st.one_of(
    st.just(SV),
    st.integers(2_000, 50_000).map(Ago),
    st.integers(-(10**12), -5_000).map(Ago),
    st.integers(70_000, 10**12).map(Ago),
    st.floats(2_000, 50_000).map(Ago),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=70),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text("abcxyz", min_size=1, max_size=5), inner, max_size=3),
    ),
    max_leaves=5,
)
devices = st.one_of(st.text(max_size=70), st.sampled_from(["", "d" * 64, "d" * 65]), json_values)
sessions = st.fixed_dictionaries(
    {},
    optional={
        "startedAt": st.one_of(times, times, json_values),
        "lastActive": st.one_of(times, times, json_values),
        "device": devices,
        "extra": json_values,
    },
)


@PROPERTIES
@given(value=st.one_of(times, times, json_values))
def test_only_schema_typing_values_are_accepted(
    database: DatabaseRest,
    rtdb_world: int,
    value: Any,
) -> None:
    database.put(TYPING, SV, "owner").raise_for_status()
    now_ms = _now_ms()
    sent = at_send(value, now_ms)
    response = database.put(TYPING, sent, ALICE)
    expected = is_valid_typing(sent, now_ms)
    assert response.status_code == (200 if expected else 401), (sent, response.text)


@PROPERTIES
@given(value=st.one_of(sessions, sessions, json_values))
def test_only_schema_sessions_are_accepted(
    database: DatabaseRest,
    rtdb_world: int,
    value: Any,
) -> None:
    database.delete(SESSION, "owner").raise_for_status()
    now_ms = _now_ms()
    sent = at_send(value, now_ms)
    response = database.put(SESSION, sent, ALICE)
    expected = is_valid_session(sent, now_ms)
    assert response.status_code == (200 if expected else 401), (sent, response.text)
    stored = database.read(SESSION)
    assert (stored is not None) == (expected and normalized(sent) is not None)


session_ids = st.sampled_from(["s0", "s1", "s9", "s10", "S1", "s01", "tab", "-NxYz12", "s"])


@PROPERTIES
@given(
    session_id=session_ids,
    value=st.one_of(sessions, st.just({"startedAt": SV, "lastActive": SV})),
    keep_started=st.booleans(),
)
def test_sessions_stay_within_the_cap_of_ten(
    database: DatabaseRest,
    rtdb_world: int,
    session_id: str,
    value: Any,
    keep_started: bool,
) -> None:
    """Only ids s0 ... s9 (at most ten sessions); s1 is seeded, and is not taken over."""
    path = f"status/{ALICE}/connections/{session_id}"
    existing = database.read(path) if session_id == "s1" else None
    database.delete(path, "owner").raise_for_status()
    if existing is not None:
        database.put(path, existing, "owner").raise_for_status()
        if keep_started and isinstance(value, dict):
            value = {**value, "startedAt": existing["startedAt"]}
    now_ms = _now_ms()
    sent = at_send(value, now_ms)
    response = database.put(path, sent, ALICE)
    expected = is_allowed_session_write(session_id, sent, existing, now_ms)
    assert response.status_code == (200 if expected else 401), (session_id, sent, response.text)
