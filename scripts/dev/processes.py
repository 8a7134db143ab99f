"""Child processes of the stack: each in its own process group, logging to a file."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


class StartupError(RuntimeError):
    """A child exited or stayed silent before it was ready; carries its log's tail."""


class Child:
    """One long-running process: started, watched through its log, stopped with its group."""

    def __init__(
        self, name: str, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], log_path: Path
    ) -> None:
        self.name, self.argv, self.cwd, self.env = name, list(argv), cwd, env
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The process id (also its process group id)."""
        assert self._process is not None, "start() first"
        return self._process.pid

    def start(self) -> None:
        """Starts the process in a new session so that stop() reaches its whole tree."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=dict(self.env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log_text(self) -> str:
        """Everything the process printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the log, for error messages."""
        return "\n".join(self.log_text().splitlines()[-lines:])

    def wait_for_output(self, pattern: str, timeout: float) -> re.Match[str]:
        """Waits until the log matches `pattern`; StartupError if the process exits or times out."""
        assert self._process is not None, "start() first"
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        while True:
            found = regex.search(self.log_text())
            if found:
                return found
            if self._process.poll() is not None:
                raise StartupError(
                    f"{self.name} exited with {self._process.returncode}:\n{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise StartupError(
                    f"{self.name} not ready after {timeout:.0f}s:\n{self.log_tail()}"
                )
            time.sleep(0.2)

    def is_running(self) -> bool:
        """Whether the main process is still alive."""
        return self._process is not None and self._process.poll() is None

    def stop(self, grace: float = 20.0) -> None:
        """Ctrl-C to the main process, then SIGKILL to whatever is left of its group."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Grandchildren (functions-framework workers, the discovery server) share the group.
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._process.wait(timeout=10)
