"""Realtime Database emulator figures: REST write throughput with the project's rules on, and
the time from a REST write to its arrival at a streaming (SSE) listener, p50 / p99.

Run: .venv/bin/python bench/emulator_rtdb.py [--writes 2000] [--samples 300]
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import record  # noqa: E402
from bench.timing import percentile  # noqa: E402
from emulator.database.auth import caller_for  # noqa: E402
from emulator.database.store import Store  # noqa: E402
from tests.support.id_tokens import id_token  # noqa: E402
from tests.support.realtime_client import RealtimeConnection  # noqa: E402

NAMESPACE = "bench-default-rtdb"


def session_body() -> dict[str, object]:
    return {"startedAt": {".sv": "timestamp"}, "lastActive": {".sv": "timestamp"}}


HEARTBEAT = {".sv": "timestamp"}  # what a client writes to its session's lastActive


def open_session(client: httpx.Client, uid: str) -> None:
    """Session s0 of ``uid``: the rules cap sessions at s0..s9 and keep startedAt, so the
    timed writes are heartbeats of this one session, as a signed-in tab sends them."""
    response = client.put(f"/status/{uid}/connections/s0.json", json=session_body())
    assert response.status_code in (200, 204), response.text


def write_throughput(base: str, writes: int) -> float:
    """Sequential PUTs of a presence session (rules and validation evaluated); writes/s."""
    params = {"ns": NAMESPACE, "auth": id_token("alice"), "print": "silent"}
    with httpx.Client(base_url=base, params=params, verify=False, trust_env=False) as client:
        open_session(client, "alice")
        start = time.perf_counter()
        for _ in range(writes):
            response = client.put("/status/alice/connections/s0/lastActive.json", json=HEARTBEAT)
            assert response.status_code == 204, response.text
        return writes / (time.perf_counter() - start)


def store_throughput(writes: int) -> float:
    """The same writes straight into the store (rules, no HTTP); writes/s."""
    store = Store((ROOT / "database.rules.json").read_text())
    caller = caller_for(id_token("alice"))
    start = time.perf_counter()
    for i in range(writes):
        path = "status/alice/connections/s0" + ("/lastActive" if i else "")
        store.set(NAMESPACE, path, HEARTBEAT if i else session_body(), caller)
    return writes / (time.perf_counter() - start)


def stream_latencies(base: str, samples: int) -> list[float]:
    """Milliseconds from sending a write to its event arriving at another user's stream."""
    arrivals: queue.Queue[float] = queue.Queue()
    ready = threading.Event()

    def listen() -> None:
        params = {"ns": NAMESPACE, "auth": id_token("bob")}
        with (
            httpx.Client(verify=False, trust_env=False, timeout=None) as client,
            client.stream(
                "GET",
                f"{base}/status/carol.json",
                params=params,
                headers={"Accept": "text/event-stream"},
            ) as response,
        ):
            try:
                for line in response.iter_lines():
                    if line.startswith("data: ") and '"path"' in line:
                        if ready.is_set():
                            arrivals.put(time.perf_counter())
                        ready.set()
            except httpx.HTTPError:
                return  # the server stopped at the end of the run

    params = {"ns": NAMESPACE, "auth": id_token("carol"), "print": "silent"}
    latencies = []
    with httpx.Client(base_url=base, params=params, verify=False, trust_env=False) as client:
        open_session(client, "carol")
        threading.Thread(target=listen, daemon=True).start()
        assert ready.wait(10), "stream did not open"
        for _ in range(samples):
            sent = time.perf_counter()
            client.put("/status/carol/connections/s0/lastActive.json", json=HEARTBEAT)
            latencies.append((arrivals.get(timeout=10) - sent) * 1000)
    return latencies


def websocket_latencies(base: str, samples: int) -> list[float]:
    """Milliseconds from sending a REST write to its push reaching a realtime-protocol
    listener (the SDKs' transport), signed in as another user."""
    host = base.removeprefix("http://")
    latencies = []
    params = {"ns": NAMESPACE, "auth": id_token("erin"), "print": "silent"}
    listener = RealtimeConnection(host, NAMESPACE, timeout=10)
    try:
        with httpx.Client(base_url=base, params=params, verify=False, trust_env=False) as client:
            listener.sign_in("bob")
            open_session(client, "erin")
            listener.listen("status/erin")
            for _ in range(samples):
                sent = time.perf_counter()
                client.put("/status/erin/connections/s0/lastActive.json", json=HEARTBEAT)
                listener.next_push()
                latencies.append((time.perf_counter() - sent) * 1000)
    finally:
        listener.close()
    return latencies


def summary(latencies: list[float]) -> str:
    return (
        f"p50 {percentile(latencies, 0.5):.2f} ms, p99 {percentile(latencies, 0.99):.2f} ms, "
        f"mean {statistics.mean(latencies):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    # The emulator runs in its own process, as `python -m emulator` runs it for clients.
    command = [
        sys.executable,
        "-m",
        "emulator.database",
        "--port",
        "0",
        "--database-rules",
        str(ROOT / "database.rules.json"),
    ]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base = server.stdout.readline().split()[-1]
        rate = write_throughput(base, args.writes)
        latencies = stream_latencies(base, args.samples)
        ws_latencies = websocket_latencies(base, args.samples)
    finally:
        server.terminate()
        server.wait(timeout=10)
    store_rate = store_throughput(args.writes)
    print(
        f"command: .venv/bin/python bench/emulator_rtdb.py --writes {args.writes} "
        f"--samples {args.samples}"
    )
    print(
        f"REST PUT with rules (a session's lastActive heartbeat, sequential, one client): "
        f"{rate:.0f} writes/s (emulator in its own process)"
    )
    print(f"the same writes straight into the store (rules on, no HTTP): {store_rate:.0f} writes/s")
    print(f"write -> SSE listener arrival over {len(latencies)} writes: {summary(latencies)}")
    print(
        f"write -> WebSocket (SDK protocol) listener arrival over {len(ws_latencies)} writes: "
        f"{summary(ws_latencies)}"
    )
    scenario = "emulator RTDB"
    record(scenario, "REST PUT, rules on (own process)", rate, "writes/s", lower_is_better=False)
    record(
        scenario, "store writes, rules on (no HTTP)", store_rate, "writes/s", lower_is_better=False
    )
    for name, values in (
        ("write -> SSE listener", latencies),
        ("write -> WebSocket listener", ws_latencies),
    ):
        record(scenario, f"{name} p50", percentile(values, 0.5), "ms")
        record(scenario, f"{name} p99", percentile(values, 0.99), "ms")
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
        "(figures drop when other work shares the cores)"
    )


if __name__ == "__main__":
    main()
