"""`python -m emulator` started as a developer starts it: free ports, the project's rules."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts.dev.processes import Child

ROOT = Path(__file__).resolve().parents[2]


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
