"""The real firebase JS SDK's database API, step by step (tests/js/sdk_tour.mjs), against an
emulator with the tests' rules: writes, child events, queries, server values, errors the SDK
surfaces and onDisconnect set / update / remove / cancel."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from emulator.database.server import DatabaseEmulator
from tests.emulator.database.node_process import NodeScript, requires_node

pytestmark = [pytest.mark.node, requires_node]

STEP_WITHIN_S = 30.0  # connection and every step included, on a busy machine


@pytest.fixture(scope="module")
def tour(rtdb: DatabaseEmulator) -> Iterator[tuple[dict[str, dict[str, Any]], str]]:
    """Runs the tour once as alice; its steps by name, and the namespace it used."""
    host, port = rtdb.address.split(":")
    namespace = f"tour-{int(time.time() * 1000)}"
    script = NodeScript("sdk_tour.mjs", host, port, namespace, "alice")
    steps: dict[str, dict[str, Any]] = {}
    try:
        while "on_disconnect" not in steps:
            line = script.expect(lambda line: isinstance(line, dict), STEP_WITHIN_S)
            steps[line.pop("step")] = line
    finally:
        script.kill()
    yield steps, namespace


def test_info_connected_becomes_true(tour: tuple[dict[str, Any], str]) -> None:
    assert tour[0]["connected"] == {"value": True}


def test_set_update_push_remove(tour: tuple[dict[str, Any], str]) -> None:
    basics = tour[0]["basics"]
    key = basics["pushedKey"]
    assert len(key) == 20
    assert basics["value"] == {"a": 2, "b": {"d": True}, "list": {key: {"n": 1}}}


def test_child_added_changed_removed(tour: tuple[dict[str, Any], str]) -> None:
    assert tour[0]["child_events"]["events"] == [
        ["added", "x", 1],
        ["added", "y", 2],
        ["changed", "x", 3],
        ["removed", "y", 2],
    ]


def test_queries_return_children_in_firebase_order(tour: tuple[dict[str, Any], str]) -> None:
    # Missing child first, then numbers, then strings (docs: "How query data is ordered").
    assert tour[0]["queries"] == {
        "byChild": ["d", "b", "c", "a", "e"],
        "equal": ["a", "c"],
        "last2": ["a", "e"],
        "range": ["c", "a"],
        "byKeyFirst2": ["a", "b"],
    }
    assert tour[0]["order_by_value"] == {"keys": ["q", "r", "p"]}


def test_live_query_window_moves_with_a_new_child(tour: tuple[dict[str, Any], str]) -> None:
    assert tour[0]["live_query"] == {"last": ["f", "e"]}


def test_server_timestamp_and_increment(tour: tuple[dict[str, Any], str]) -> None:
    server = tour[0]["server_values"]
    assert server["value"]["n"] == 5
    assert server["value"]["missing"] == 1
    assert server["skewMs"] < 5000
    assert abs(tour[0]["server_time_offset"]["value"]) < 5000


def test_rules_with_auth_uid_and_errors_surface_in_the_sdk(
    tour: tuple[dict[str, Any], str],
) -> None:
    steps = tour[0]
    assert steps["own_write"] == {"code": None}
    assert steps["denied_write"] == {"code": "PERMISSION_DENIED"}
    assert steps["denied_read"] == {"code": "PERMISSION_DENIED"}
    assert steps["denied_get"]["code"] is not None
    assert steps["invalid_write"] == {"code": "PERMISSION_DENIED"}


def test_on_disconnect_set_update_remove_and_cancel(
    tour: tuple[dict[str, Any], str], rtdb: DatabaseEmulator, raw: httpx.Client
) -> None:
    steps, namespace = tour
    assert steps["on_disconnect"]["deniedCode"] == "PERMISSION_DENIED"
    stored = raw.get(
        f"http://{rtdb.address}/public/od.json", params={"ns": namespace, "auth": "owner"}
    ).json()
    assert stored["keep"] == "k"
    assert stored["cancelled"] == "c"
    assert "gone" not in stored
    assert stored["merged"] == {"a": 1, "b": 1}
    assert stored["status"]["state"] == "offline"
    assert abs(stored["status"]["at"] - time.time() * 1000) < 60_000
    private = raw.get(
        f"http://{rtdb.address}/private.json", params={"ns": namespace, "auth": "owner"}
    ).json()
    assert private == {"alice": {"name": "alice"}}


def test_query_based_read_rules_through_the_sdk(
    rtdb: DatabaseEmulator, raw: httpx.Client, ns: str
) -> None:
    # The docs' query-based rules example: a user may read the baskets they own, only with
    # the query that selects them (rules are not filters).
    base, owner = f"http://{rtdb.address}", {"ns": ns, "auth": "owner"}
    rules = {
        "rules": {
            "baskets": {
                ".read": "auth.uid !== null && query.orderByChild === 'owner' && "
                "query.equalTo === auth.uid",
                ".indexOn": ["owner"],
            }
        }
    }
    assert raw.put(f"{base}/.settings/rules.json", params=owner, json=rules).status_code == 200
    raw.put(
        f"{base}/baskets.json",
        params=owner,
        json={"b1": {"owner": "alice", "n": 1}, "b2": {"owner": "bob"}, "b3": {"owner": "alice"}},
    )
    host, port = rtdb.address.split(":")
    script = NodeScript("query_rules.mjs", host, port, ns, "alice")
    try:
        result = script.expect(lambda line: isinstance(line, dict), STEP_WITHIN_S)
    finally:
        script.kill()
    assert result == {
        "own": {"b1": {"owner": "alice", "n": 1}, "b3": {"owner": "alice"}},
        "liveOwn": ["b1", "b3"],
        "all": "Permission denied",
        "allLive": "PERMISSION_DENIED",
        "other": "PERMISSION_DENIED",
        "limited": ["b1"],
    }


def test_go_offline_runs_on_disconnect_and_go_online_resumes(
    rtdb: DatabaseEmulator, ns: str
) -> None:
    host, port = rtdb.address.split(":")
    script = NodeScript("reconnect.mjs", host, port, ns, "alice")
    try:
        result = script.expect(lambda line: isinstance(line, dict), STEP_WITHIN_S)
    finally:
        script.kill()
    assert result == {
        "afterOffline": "offline",
        "afterOnline": "back",
        "listenerSaw": [None, "written while the client was away"],
    }


def test_query_bounds_with_the_sdks_key_sentinels(rtdb: DatabaseEmulator, ns: str) -> None:
    # Values order null < false < true < numbers < strings, ties by key ("A" < "Z" < "a").
    host, port = rtdb.address.split(":")
    script = NodeScript("query_bounds.mjs", host, port, ns)
    try:
        result = script.expect(lambda line: isinstance(line, dict), STEP_WITHIN_S)
    finally:
        script.kill()
    assert result == {
        "startAfter2": ["d", "e"],
        "startAfter2b": ["c", "d", "e"],
        "endBefore2": ["f", "g", "Z", "a"],
        "startAt2c": ["c", "d", "e"],
        "endAt2b": ["f", "g", "Z", "a", "A", "b"],
        "eq2": ["A", "b", "c"],
        "eq2c": ["c"],
        "keyAfterB": ["c", "d"],
        "keyBeforeD": ["b", "c"],
        "nullEq": ["f"],
        "boolEq": ["g"],
    }
