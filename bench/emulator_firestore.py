"""Firestore emulator figures: single-document write / read throughput over REST with
rules on and over gRPC as admin, p50 / p99 latency of a rules evaluation that makes
two get() calls (in-process, and end to end over REST), documents per second of a
1,000-document query and of batched commits of 500 documents (gRPC, and the web SDK in
headless Chromium over WebChannel), and the web SDK's write -> other client's listener
delivery p50 / p99 over WebChannel.

Run: .venv/bin/python bench/emulator_firestore.py [--seconds 2] [--deliveries 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from google.auth.credentials import AnonymousCredentials  # noqa: E402
from google.cloud import firestore  # noqa: E402

from bench.figures import record  # noqa: E402
from bench.timing import timed  # noqa: E402
from emulator.firestore.authorization import StoreReader  # noqa: E402
from emulator.firestore.server import FirestoreEmulator  # noqa: E402
from emulator.firestore.store import Store, StoredDoc  # noqa: E402
from emulator.firestore.values import Timestamp  # noqa: E402
from emulator.firestore_rules import AccessRequest, load_ruleset  # noqa: E402
from tests.support.id_tokens import id_token  # noqa: E402

PROJECT = "demo-bench"
ROOT = f"projects/{PROJECT}/databases/(default)/documents"
RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function member(roomId) {
      return get(/databases/$(database)/documents/rooms/$(roomId)/members/$(request.auth.uid))
        .data.role in ['member', 'admin'];
    }
    function open(roomId) {
      return get(/databases/$(database)/documents/rooms/$(roomId)).data.open == true;
    }
    match /owned/{uid} {
      allow read, write: if request.auth.uid == uid && request.resource.data.n is int
        || request.auth.uid == uid && request.method == 'get';
    }
    match /rooms/{roomId}/messages/{messageId} {
      allow read: if member(roomId) && open(roomId);
    }
    match /{bulk}/{id} {
      allow read, write: if bulk in ['bench', 'bulk', 'batched'] && request.auth != null;
    }
  }
}
"""
QUERY_DOCS = 1000
BATCH_SIZE = 500
BATCHES = 2  # so the query collection holds QUERY_DOCS documents
QUERY_WARM_RUNS = 5


SCENARIO = "emulator Firestore"


def token(uid: str) -> str:
    return id_token(uid, project_id=PROJECT)


def record_latencies(name: str, seconds: list[float], variant: str | None = None) -> None:
    """p50 / p99 of latency samples given in seconds, recorded in milliseconds."""
    cuts = statistics.quantiles(seconds, n=100)
    record(SCENARIO, f"{name} p50", cuts[49] * 1e3, "ms", variant=variant)
    record(SCENARIO, f"{name} p99", cuts[98] * 1e3, "ms", variant=variant)


def record_rate(name: str, value: float, unit: str, variant: str | None = None) -> float:
    record(SCENARIO, name, value, unit, variant=variant, lower_is_better=False)
    return value


def rate(action: Callable[[int], object], seconds: float) -> float:
    """Operations per second of ``action`` run back to back for ``seconds``."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        action(count)
        count += 1
    return count / (time.perf_counter() - start)


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49] * 1e3:.3f} ms  p99 {cuts[98] * 1e3:.3f} ms  (n={len(samples)})"


def rest_figures(address: str, seconds: float) -> None:
    headers = {"Authorization": f"Bearer {token('alice')}"}
    with httpx.Client(base_url=f"http://{address}/v1/{ROOT}", headers=headers) as rest:

        def write(i: int) -> None:
            body = {"fields": {"n": {"integerValue": str(i)}}}
            rest.patch("/owned/alice", json=body).raise_for_status()

        def read(_: int) -> None:
            rest.get("/owned/alice").raise_for_status()

        wrote = record_rate("single writes", rate(write, seconds), "writes/s", "REST, rules on")
        read_rate = record_rate("single reads", rate(read, seconds), "reads/s", "REST, rules on")
        print(f"REST write, rules on (1 doc):   {wrote:8.0f} /s")
        print(f"REST read,  rules on (1 doc):   {read_rate:8.0f} /s")
        samples = timed(lambda: rest.get("/rooms/r1/messages/m1").raise_for_status(), 300)
        record_latencies("REST get, rule with 2 get()", samples)
        print(f"REST get, rule with 2 get():    {percentiles(samples)}")


def grpc_figures(address: str, seconds: float) -> None:
    os.environ["FIRESTORE_EMULATOR_HOST"] = address
    db = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    ref = db.document("admin/doc")
    wrote = rate(lambda i: ref.set({"n": i}), seconds)
    read = rate(lambda _: ref.get(), seconds)
    record_rate("single writes", wrote, "writes/s", "gRPC, admin")
    record_rate("single reads", read, "reads/s", "gRPC, admin")
    print(f"gRPC write, admin (1 doc):      {wrote:8.0f} /s")
    print(f"gRPC read,  admin (1 doc):      {read:8.0f} /s")


def bulk_figures(address: str) -> None:
    """gRPC (the Python client, as admin): batched commits and a 1,000-document query."""
    os.environ["FIRESTORE_EMULATOR_HOST"] = address
    db = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    start = time.perf_counter()
    for b in range(BATCHES):
        batch = db.batch()
        for i in range(BATCH_SIZE):
            batch.set(db.document(f"bulk/b{b}-{i}"), {"n": i, "b": b, "text": "x" * 40})
        batch.commit()
    elapsed = time.perf_counter() - start
    record_rate(
        f"batched commits ({BATCH_SIZE}/batch)",
        BATCHES * BATCH_SIZE / elapsed,
        "docs/s",
        "gRPC, admin",
    )
    print(
        f"gRPC batched commits ({BATCH_SIZE}/batch): {BATCHES * BATCH_SIZE / elapsed:8.0f} docs/s"
    )
    query = db.collection("bulk").limit(QUERY_DOCS)
    # The first run also pays the channel's and the client's first-use costs; a dev's test
    # suite runs the same query shapes many times, so the warm rate is the median of more.
    rates = []
    for _ in range(1 + QUERY_WARM_RUNS):
        start = time.perf_counter()
        count = sum(1 for _ in query.stream())
        rates.append(count / (time.perf_counter() - start))
    warm = statistics.median(rates[1:])
    record_rate(f"{count}-doc query streamed, first run", rates[0], "docs/s", "gRPC, admin")
    record_rate(f"{count}-doc query streamed", warm, "docs/s", "gRPC, admin")
    print(
        f"gRPC {count}-doc query streamed:    {warm:8.0f} docs/s "
        f"(median of {QUERY_WARM_RUNS} after a first run at {rates[0]:.0f})"
    )


def browser_figures(address: str, deliveries: int) -> None:
    """The web SDK in headless Chromium over WebChannel (skipped without tests/browser)."""
    from tests.browser.harness import Browser, PageServer, bundle_pages, missing_tools

    reason = missing_tools()
    if reason:
        print(f"browser figures skipped: {reason}")
        return
    host, port = address.rsplit(":", 1)
    with tempfile.TemporaryDirectory() as folder:
        pages = PageServer(bundle_pages(Path(folder), ["bench"]))
        browser = Browser(Path(folder) / "driver.log")
        try:
            page = browser.new_page(pages.url("bench.html"))
            config = {"host": host, "port": int(port), "projectId": PROJECT, "uid": "alice"}
            for transport in ("streaming", "long-polling"):
                samples = page.call(
                    "delivery", {**config, "transport": transport}, deliveries, timeout=600
                )
                record_latencies(
                    "web SDK write -> other client's listener",
                    [ms / 1e3 for ms in samples],
                    f"WebChannel {transport}",
                )
                print(
                    f"web SDK write->listener, {transport:12}: "
                    f"{percentiles([ms / 1e3 for ms in samples])}"
                )
            read = page.call("queryRate", config, "bulk", timeout=600)
            record_rate(
                f"{read['docs']}-doc query streamed",
                read["docs"] / read["seconds"],
                "docs/s",
                "web SDK, WebChannel",
            )
            print(
                f"web SDK {read['docs']}-doc query (Listen): "
                f"{read['docs'] / read['seconds']:8.0f} docs/s"
            )
            wrote = page.call("batchRate", config, "batched", BATCHES, BATCH_SIZE, timeout=600)
            record_rate(
                f"batched commits ({BATCH_SIZE}/batch)",
                wrote["docs"] / wrote["seconds"],
                "docs/s",
                "web SDK, rules on",
            )
            print(
                f"web SDK batched commits ({BATCH_SIZE}/batch): "
                f"{wrote['docs'] / wrote['seconds']:8.0f} docs/s"
            )
        finally:
            browser.close()
            pages.close()


def seed(address: str) -> None:
    with httpx.Client(
        base_url=f"http://{address}/v1/{ROOT}", headers={"Authorization": "Bearer owner"}
    ) as rest:
        rest.patch("/rooms/r1", json={"fields": {"open": {"booleanValue": True}}})
        rest.patch("/rooms/r1/members/alice", json={"fields": {"role": {"stringValue": "member"}}})
        rest.patch("/rooms/r1/messages/m1", json={"fields": {"t": {"stringValue": "hi"}}})


def member_message_read() -> tuple[AccessRequest, StoreReader]:
    """A member's read of a room message: the rules make two get() calls to allow it."""
    store, now = Store(), Timestamp.now()
    store.apply(
        {
            "rooms/r1": StoredDoc({"open": True}, now, now),
            "rooms/r1/members/alice": StoredDoc({"role": "member"}, now, now),
        }
    )
    request = AccessRequest(
        method="get",
        path="rooms/r1/messages/m1",
        auth={"uid": "alice", "token": {"sub": "alice"}},
        time=now,
    )
    return request, StoreReader(store)


def evaluation_figures() -> None:
    ruleset = load_ruleset(RULES)
    request, reader = member_message_read()
    assert ruleset.authorize(request, reader).allowed
    samples = timed(lambda: ruleset.authorize(request, reader), 2000)
    record_latencies("rules eval, 2 get() in-process", samples)
    print(f"rules eval, 2 get() in-process: {percentiles(samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument(
        "--deliveries",
        type=int,
        default=200,
        help="browser writes timed to the other client's listener",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rules = Path(folder) / "firestore.rules"
        rules.write_text(RULES)
        server = FirestoreEmulator(port=0, rules_path=str(rules))
        server.start()
        try:
            seed(server.address)
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(
                f"python {sys.version.split()[0]}, {os.cpu_count()} cpu, load {load}, "
                f"{args.seconds:g} s per throughput figure, one client thread"
            )
            rest_figures(server.address, args.seconds)
            grpc_figures(server.address, args.seconds)
            evaluation_figures()
            bulk_figures(server.address)
            browser_figures(server.address, args.deliveries)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
