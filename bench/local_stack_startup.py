"""Prints how long the local stack takes to start and to answer its first and later calls.

Usage: .venv/bin/python bench/local_stack_startup.py [--calls N]
Free ports and temporary data, so it can run beside a dev stack. Figures depend on load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from bench.figures import record  # noqa: E402
from scripts.dev.firebase_cli import (  # noqa: E402
    BackendTargets,
    CliPorts,
    FirebaseEmulators,
    configure_functions,
    sandbox_project,
)
from scripts.dev.postgres import migrate, start_postgres, stop_postgres  # noqa: E402
from tests.support.functions_client import AuthEmulatorClient, FunctionsClient  # noqa: E402
from tests.support.local_emulators import start_local_emulators  # noqa: E402

PROJECT = "demo-flowchat"
T = TypeVar("T")


def timed(label: str, action: Callable[[], T]) -> T:
    """Runs action, prints its wall time in seconds, returns its result."""
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s", flush=True)
    record("local stack start", label, seconds, "s")
    return result


def start_emulators(work: Path, stack: ExitStack) -> tuple[str, str]:
    """python -m emulator on free ports; (firestore, database) host:port."""
    emulators = start_local_emulators(work / "emulator.log", timeout=120)
    stack.callback(emulators.stop)
    return emulators.firestore, emulators.database


def latencies(label: str, calls: int, action: Callable[[int], object]) -> None:
    """Prints p50 / max of `calls` runs of action(i) in milliseconds."""
    samples = []
    for i in range(calls):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    record("local stack start", f"{label} p50", statistics.median(samples), "ms")
    record("local stack start", f"{label} max", max(samples), "ms")
    print(
        f"{label:<44} p50 {statistics.median(samples):7.1f} ms  max {max(samples):7.1f} ms"
        f"  (n={calls})",
        flush=True,
    )


def main() -> None:
    """Starts everything once, then measures calls."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    calls = parser.parse_args().calls
    (ROOT / ".local").mkdir(exist_ok=True)
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=ROOT / ".local")))
        server, url = timed("embedded PostgreSQL start", lambda: start_postgres(work / "pg"))
        stack.callback(stop_postgres, server)
        timed("migrations", lambda: migrate(ROOT, url))
        firestore, database = timed(
            "python -m emulator ready", lambda: start_emulators(work, stack)
        )
        ports = CliPorts.free()
        project = sandbox_project(ROOT, work / "project", ports)
        targets = BackendTargets(url, firestore, database, PROJECT)
        configure_functions(project / "functions", targets)
        cli = FirebaseEmulators(ROOT, project, PROJECT, targets, work / "cli.log")
        stack.callback(cli.stop)
        timed("firebase emulators (auth,functions) ready", cli.start)
        functions = FunctionsClient(f"127.0.0.1:{ports.functions}", PROJECT)
        auth = AuthEmulatorClient(f"127.0.0.1:{ports.auth}")

        def register(i: int) -> dict[str, str]:
            return dict(
                functions.call(
                    "register",
                    {
                        "username": f"bench_{i}",
                        "password": "bench-password-1",
                        "displayName": f"Bench {i}",
                    },
                )
            )

        first = timed("register, first call (worker cold start)", lambda: register(10_000))
        token = auth.sign_in_with_custom_token(first["customToken"])  # type: ignore[index]
        timed(
            "list_my_rooms, first call (cold start)",
            lambda: functions.call("list_my_rooms", {}, token),
        )
        latencies("register (argon2id), warm", calls, register)
        latencies(
            "list_my_rooms, warm", calls, lambda _: functions.call("list_my_rooms", {}, token)
        )


if __name__ == "__main__":
    main()
