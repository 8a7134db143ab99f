"""The local emulators for tests and benches: `python -m emulator` started as a developer starts
it (free ports, the project's rules), or the same stack in process."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.stack import EmulatorStack, StackSettings
from scripts.dev.processes import Child
from tests.support.environment import environ_restored

ROOT = Path(__file__).resolve().parents[2]
# What a started stack points the SDKs at through the environment.
STACK_VARIABLES = (
    "FIRESTORE_EMULATOR_HOST",
    "FIREBASE_DATABASE_EMULATOR_HOST",
    "FIREBASE_STORAGE_EMULATOR_HOST",
    "FIREBASE_EMULATOR_HUB",
    "GCLOUD_PROJECT",
)


@dataclass(frozen=True)
class LocalEmulators:
    """The running emulator process and the host:port of each of its services."""

    child: Child
    firestore: str
    database: str

    def stop(self) -> None:
        self.child.stop()


def start_local_emulators(log: Path, *flags: str, timeout: float = 60.0) -> LocalEmulators:
    """Firestore + RTDB (+ hub) on free ports under firestore.rules and database.rules.json;
    ``flags`` are more command-line options. The child is stopped again if it never gets ready."""
    argv = [
        sys.executable,
        "-m",
        "emulator",
        "--firestore-port",
        "0",
        "--database-port",
        "0",
        "--hub-port",
        "0",
        "--rules",
        str(ROOT / "firestore.rules"),
        "--database-rules",
        str(ROOT / "database.rules.json"),
        *flags,
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = Child("python -m emulator", argv, cwd=ROOT, env=env, log_path=log)
    child.start()
    try:
        child.wait_for_output(r"^ready$", timeout)
        firestore = child.wait_for_output(r"FIRESTORE_EMULATOR_HOST=(\S+)", 1).group(1)
        database = child.wait_for_output(r"FIREBASE_DATABASE_EMULATOR_HOST=(\S+)", 1).group(1)
    except BaseException:
        child.stop()
        raise
    return LocalEmulators(child, firestore, database)


@contextmanager
def running_stack(**settings: Any) -> Iterator[EmulatorStack]:
    """The emulator stack in this process on free ports (``settings``: more StackSettings);
    the environment variables it sets are put back when it stops."""
    stack = EmulatorStack(StackSettings(firestore_port=0, database_port=0, **settings))
    with environ_restored(*STACK_VARIABLES):
        stack.start()
        try:
            yield stack
        finally:
            stack.stop()
