"""Acts out rules cases with the official firebase JS SDK under Node: firestore/lite
(REST) or the full firestore SDK (gRPC: Listen and the Write stream).

The rules and the seed go through the REST control and owner paths (RestRunner); only
the request itself is sent by the SDK, as a web or Node client would send it.
"""

from __future__ import annotations

import json
import select
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.emulator.firestore_rules.case_types import (
    Batch,
    Create,
    Delete,
    Get,
    Query,
    RulesCase,
    ServerTime,
    Set,
    Transaction,
    Update,
    Write,
)

ROOT = Path(__file__).resolve().parents[3]
SDK_DIR = ROOT / "tests" / "js"
DRIVER = Path(__file__).with_name("sdk_driver.mjs")
_WRITE_KINDS = {Create: "create", Set: "set", Update: "update", Delete: "delete"}
ANSWER_TIMEOUT_SECONDS = 60


def sdk_available() -> bool:
    return shutil.which("node") is not None and (SDK_DIR / "node_modules" / "firebase").is_dir()


class NotExpressible(ValueError):
    """The SDK cannot send this request (e.g. a query offset, a non-JSON value)."""


def _value(value: Any) -> Any:
    if isinstance(value, ServerTime):
        return {"$serverTime": True}
    if isinstance(value, dict):
        return {key: _value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_value(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise NotExpressible(f"value of type {type(value).__name__}")


def _write(write: Write) -> dict[str, Any]:
    wire: dict[str, Any] = {"kind": _WRITE_KINDS[type(write)], "path": write.path}
    if not isinstance(write, Delete):
        wire["data"] = _value(write.data)
    return wire


def _query(query: Query) -> dict[str, Any]:
    if query.offset is not None:
        raise NotExpressible("the JS SDK has no query offset")
    return {
        "kind": "query",
        "collection": query.collection,
        "group": query.group,
        "where": [[f, op, _value(v)] for f, op, v in query.where],
        "any_of": [[[f, op, _value(v)] for f, op, v in group] for group in query.any_of],
        "order_by": [list(order) for order in query.order_by],
        "limit": query.limit,
    }


def wire_request(request: Any) -> dict[str, Any]:
    """The driver's JSON form of a case request; NotExpressible when the SDK can't."""
    if isinstance(request, Get):
        return {"kind": "get", "path": request.path}
    if isinstance(request, Query):
        return _query(request)
    if isinstance(request, Batch | Transaction):
        kind = "batch" if isinstance(request, Batch) else "transaction"
        return {"kind": kind, "writes": [_write(write) for write in request.writes]}
    return _write(request)


def expressible(case: RulesCase) -> bool:
    try:
        wire_request(case.request)
    except NotExpressible:
        return False
    return True


class SdkDriver:
    """One long-lived Node process running sdk_driver.mjs with one SDK flavor."""

    def __init__(self, address: str, project_id: str, flavor: str) -> None:
        host, port = address.rsplit(":", 1)
        self.process = subprocess.Popen(
            ["node", str(DRIVER), host, port, project_id, str(SDK_DIR), flavor],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def act(self, case: RulesCase) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        message = {
            "uid": case.actor.uid,
            "claims": case.actor.claims,
            "request": wire_request(case.request),
        }
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_TIMEOUT_SECONDS)
        if not ready:
            raise TimeoutError(f"no answer from the Node driver for {case.name!r}")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the Node driver exited")
        return dict(json.loads(line))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
