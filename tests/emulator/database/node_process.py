"""Runs a driver under tests/js with Node and reads its JSON-lines output with timeouts."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

JS_DIR = Path(__file__).resolve().parents[2] / "js"

requires_node = pytest.mark.skipif(
    shutil.which("node") is None or not (JS_DIR / "node_modules" / "firebase").is_dir(),
    reason="needs node and the npm packages of tests/js (npm ci there)",
)


class NodeScript:
    """One Node process; each stdout line is kept (parsed as JSON when it is JSON)."""

    def __init__(self, script: str, *args: str) -> None:
        self.process = subprocess.Popen(
            ["node", script, *args],
            cwd=JS_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[Any] = queue.Queue()
        self.stderr: list[str] = []
        self._stdout_reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._stdout_reader.start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                self.lines.put(line.strip())

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr.extend(self.process.stderr)

    def expect(self, predicate: Callable[[Any], bool], timeout: float) -> Any:
        """The first line (from now on) matching ``predicate``; fails after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                exited = not self._stdout_reader.is_alive() and self.lines.empty()
                if exited or time.monotonic() > deadline:
                    pytest.fail(f"no matching output within {timeout}s; stderr: {self.stderr}")
                continue
            if predicate(line):
                return line

    def kill(self) -> None:
        """Kills the process at once (no clean shutdown, as a crashed tab or a lost laptop)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
