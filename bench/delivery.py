"""Send -> listener delivery in one room with 2, 50 and 500 members listening.

The emulator runs in its own process (`python -m emulator`, the project's firestore.rules).
One room is seeded (owner-bypass writes) with N listening members, the senders and 60 older
messages. One Node process hosts N official-SDK Firestore instances, each signed in as a
different member, each listening to the room's latest messages (orderBy createdAt desc,
limit 50). Senders (one Node process, one SDK instance each) write rule-checked messages
(message + rate-limit stamp in one batch):
- paced: SENDERS members, each sending, waiting 1.1 s after the answer and sending again
  (under the rules' 1/s), the text carrying the send time; p50 / p99 / max of send ->
  every listener's delivery;
- burst: BURST_SENDERS members send their 5-message allowance at once; messages/s committed
  and messages/s delivered to every listener.

Run: .venv/bin/python bench/delivery.py [--sizes 2 50 500] [--messages 5] [--senders 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from google.auth.credentials import AnonymousCredentials  # noqa: E402
from google.cloud import firestore  # noqa: E402

from bench.figures import record  # noqa: E402
from bench.timing import percentile  # noqa: E402
from tests.support.local_emulators import start_local_emulators  # noqa: E402

PROJECT = "demo-flowchat"
CLIENTS = ROOT / "bench" / "delivery_clients.mjs"
OLDER_MESSAGES = 60
BURST_SENDERS = 10
BURST = 5  # the rules' allowance per sender within 5 s
SCENARIO = "delivery"


def seed(db: firestore.Client, room: str, members: list[str]) -> None:
    """The room, its members and OLDER_MESSAGES messages, written as the backend (owner)."""
    now = dt.datetime.now(dt.UTC)
    docs: dict[str, dict[str, object]] = {
        f"rooms/{room}": {
            "kind": "group",
            "name": room,
            "createdBy": members[0],
            "createdAt": now,
            "memberCount": len(members),
        },
    }
    for i, uid in enumerate(members):
        docs[f"rooms/{room}/members/{uid}"] = {
            "role": "owner" if i == 0 else "member",
            "joinedAt": now,
        }
    for i in range(OLDER_MESSAGES):
        docs[f"rooms/{room}/messages/old{i:03}"] = {
            "authorId": members[0],
            "kind": "text",
            "text": "0",
            "attachments": [],
            "parentId": None,
            "createdAt": now - dt.timedelta(minutes=OLDER_MESSAGES - i),
        }
    items = list(docs.items())
    for start in range(0, len(items), 500):
        batch = db.batch()
        for path, data in items[start : start + 500]:
            batch.set(db.document(path), data)
        batch.commit()


@dataclass
class Listeners:
    """The Node process hosting every listener; collects the deliveries it prints."""

    address: str
    room: str
    uids: list[str]
    lines: queue.Queue[dict[str, object]] = field(default_factory=queue.Queue)
    process: subprocess.Popen[str] | None = None

    def start(self, timeout: float) -> None:
        host, port = self.address.rsplit(":", 1)
        self.process = subprocess.Popen(
            ["node", str(CLIENTS), "listen", host, port, self.room, *self.uids],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        first = self.lines.get(timeout=timeout)
        assert first.get("ready") == len(self.uids), first

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def collect(self, expected: int, timeout: float) -> tuple[list[float], float]:
        """Delivery times (ms) until ``expected`` arrived or ``timeout``; and when the
        last one arrived (epoch ms, the clock the senders stamp with)."""
        latencies: list[float] = []
        last = 0.0
        deadline = time.monotonic() + timeout
        while len(latencies) < expected and time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if "ms" in line:
                latencies.append(float(line["ms"]))  # type: ignore[arg-type]
                last = max(last, float(line["at"]))  # type: ignore[arg-type]
            elif "error" in line:
                raise RuntimeError(f"listener failed: {line}")
        return latencies, last

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def send(address: str, room: str, uids: list[str], count: int, pace_ms: int) -> dict[str, float]:
    host, port = address.rsplit(":", 1)
    done = subprocess.run(
        ["node", str(CLIENTS), "send", host, port, room, str(count), str(pace_ms), *uids],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"senders failed: {done.stdout[-500:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "sent" in result, result
    return result


def run_size(
    db: firestore.Client, address: str, emulator_pid: int, size: int, messages: int, senders: int
) -> None:
    room = f"bench-{size}"
    listeners = [f"l{i:03}" for i in range(size)]
    paced = [f"s{i}" for i in range(senders)]
    bursting = [f"b{i}" for i in range(BURST_SENDERS)]
    seed(db, room, listeners + paced + bursting)
    group = Listeners(address, room, listeners)
    started = time.perf_counter()
    try:
        group.start(timeout=90)
        attach = time.perf_counter() - started
        send(address, room, paced, messages, 1100)
        expected = size * messages * senders
        latencies, _ = group.collect(expected, timeout=30)
        assert group.process is not None
        processes = {"emulator": emulator_pid, "listeners": group.process.pid}
        cpu_before = {name: cpu_seconds(pid) for name, pid in processes.items()}
        burst = send(address, room, bursting, BURST, 0)
        expected_burst = size * BURST * BURST_SENDERS
        arrived, last = group.collect(expected_burst, timeout=60)
        cpu_used = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in processes.items()}
    finally:
        group.stop()
    window = (last - burst["start"]) / 1000  # first send -> last delivery
    delivered_rate = BURST * BURST_SENDERS / window
    print(
        f"N={size:4}: {size} listeners attached in {attach:.1f} s; "
        f"{len(latencies)}/{expected} paced deliveries: p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms",
        flush=True,
    )
    print(
        f"        burst of {BURST * BURST_SENDERS} messages ({BURST_SENDERS} senders): "
        f"{burst['sent'] / burst['seconds']:.1f} messages/s committed, "
        f"{delivered_rate:.1f} messages/s delivered to all {size} listeners "
        f"({len(arrived)}/{expected_burst} deliveries, "
        f"{len(arrived) / window:.0f} deliveries/s)",
        flush=True,
    )
    record(SCENARIO, "send -> listener p50", percentile(latencies, 0.5), "ms", size=size)
    record(SCENARIO, "send -> listener p99", percentile(latencies, 0.99), "ms", size=size)
    record(SCENARIO, "send -> listener max", max(latencies), "ms", size=size)
    record(
        SCENARIO,
        "burst messages committed",
        burst["sent"] / burst["seconds"],
        "messages/s",
        size=size,
        lower_is_better=False,
    )
    record(
        SCENARIO,
        "burst messages delivered to all",
        delivered_rate,
        "messages/s",
        size=size,
        lower_is_better=False,
    )
    deliveries_per_s = len(arrived) / window
    record(
        SCENARIO,
        "burst deliveries (one message to one listener)",
        deliveries_per_s,
        "deliveries/s",
        size=size,
        lower_is_better=False,
    )
    # Where the burst's CPU went, per delivery: the emulator (judging rules, encoding and
    # sending each listener's snapshot) and the one Node process hosting every listener's
    # SDK instance (decoding them). Either one near 1 core-second per second bounds the rate.
    for name, seconds in cpu_used.items():
        per_delivery = seconds * 1000 / max(1, len(arrived))
        record(SCENARIO, f"{name} process CPU per delivery", per_delivery, "ms", size=size)
        print(
            f"        {name} process: {seconds:.2f} CPU s during the burst, "
            f"{per_delivery:.3f} ms per delivery",
            flush=True,
        )
    # The fan-out floor: the paced senders send at the same moments, so the last of their
    # messages reaches its last listener no sooner than senders x size deliveries after
    # the first, at the burst's delivery rate (the most this machine delivered).
    record(
        SCENARIO,
        "fan-out floor (senders × size / deliveries per s)",
        senders * size / deliveries_per_s * 1000,
        "ms",
        size=size,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 50, 500])
    parser.add_argument("--messages", type=int, default=5, help="paced messages per sender")
    parser.add_argument("--senders", type=int, default=2, help="paced senders")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    work = Path(tempfile.mkdtemp(prefix="delivery-"))
    emulators = start_local_emulators(work / "emulator.log", "--project", PROJECT)
    address = emulators.firestore
    os.environ["FIRESTORE_EMULATOR_HOST"] = address
    db = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    try:
        print(
            f"command: .venv/bin/python bench/delivery.py --sizes "
            f"{' '.join(map(str, args.sizes))} --messages {args.messages} "
            f"--senders {args.senders}"
        )
        print(
            f"machine: {os.cpu_count()} cores, load average at start {load}; emulator pid "
            f"{emulators.child.pid} at {address}",
            flush=True,
        )
        for size in args.sizes:
            run_size(db, address, emulators.child.pid, size, args.messages, args.senders)
    finally:
        emulators.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average at end {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
