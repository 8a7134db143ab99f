"""The firebase JS SDK (full SDK over gRPC and firestore/lite over REST) as a reviewer
would drive it: value types, batches, transactions, aggregations, denials, listeners on
limited queries (documents leaving the window) and on a single document."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

DRIVER = Path(__file__).parent / "js" / "audit_client.mjs"

pytestmark = pytest.mark.node


def test_js_sdk_audit(node: str, address: str) -> None:
    host, port = address.split(":")
    run = subprocess.run(
        [node, str(DRIVER), host, port, "alice"],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    steps = {line["step"]: line["value"] for line in map(json.loads, run.stdout.splitlines())}
    assert steps == {
        # Stored timestamps keep microseconds (extra precision rounded down).
        "types": {
            "ts": [1600000000, 123456000],
            "bytes": "AP8=",
            "geo": [1, 2],
            "ref": "x/y",
            "big": 9007199254740991,
            "negZero": True,
            "nan": True,
            "arr": [1, 2],
            "map": {"a.b": 1},
            "vec": [1, 2],
        },
        "liteGet": {"n": 5, "hasAt": True},
        "liteDenied": {
            "ok": False,
            "code": "permission-denied",
            "message": "Request failed with error: \nfalse for 'create' @ L9",
        },
        "liteQuery": ["lite"],
        "liteBatch": {"ok": True, "value": None},
        "liteAfterBatch": True,
        "liteTransaction": {"ok": True, "value": 7},
        "liteAggregate": {"total": 8, "mean": 4, "n": 3},  # n counts "types" too
        "count": 2,
        "limitWindow": ["w0,w1", "w1,w2", "w9,w1", "w9,w2"],
        "limitToLast": ["w4,w1", "w3,w1"],
        "documentListener": ["none", "1", "none"],
        # match /public/{id} does not cover a collection group query: denied.
        "collectionGroupDenied": "error:permission-denied",
        "documentIdQuery": ["w1", "w2"],
    }
