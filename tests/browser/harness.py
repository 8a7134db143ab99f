"""Real headless Chromium for the browser tests: test pages bundled with esbuild (the
official firebase web SDK inside), served on a loopback port, and one browser per test
session driven through driver.mjs (puppeteer-core over the DevTools protocol)."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
NODE_MODULES = HERE / "node_modules"
ESBUILD = NODE_MODULES / ".bin" / "esbuild"


class BrowserError(RuntimeError):
    """An operation the driver or a page failed to carry out."""


def missing_tools() -> str | None:
    """Why browser tests cannot run here (None when they can)."""
    if shutil.which("node") is None:
        return "needs node"
    for package in ("puppeteer-core", "@sparticuz/chromium", "esbuild", "firebase"):
        if not (NODE_MODULES / package).exists():
            return f"needs {package} in tests/browser/node_modules (scripts/bootstrap.sh)"
    return None


def bundle_pages(out_dir: Path, entries: list[str] | None = None) -> Path:
    """Bundles every ``pages/*.js`` entry that an HTML page loads, with esbuild, into
    ``out_dir`` next to copies of the HTML pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_pages = sorted(PAGES.glob("*.html"))
    names = entries or [page.stem for page in html_pages]
    subprocess.run(
        [
            str(ESBUILD),
            *[str(PAGES / f"{name}.js") for name in names],
            "--bundle",
            "--format=esm",
            "--target=es2022",
            f"--outdir={out_dir}",
            "--log-level=warning",
        ],
        check=True,
        cwd=HERE,
        timeout=120,
    )
    for page in html_pages:
        shutil.copy(page, out_dir / page.name)
    return out_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class PageServer:
    """Serves a folder on a free loopback port (the pages' origin)."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, page: str) -> str:
        return f"http://127.0.0.1:{self.port}/{page}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class Browser:
    """One Chromium, driven by driver.mjs over JSON lines; safe to call from threads."""

    def __init__(self, log_path: Path) -> None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = log_path.open("w")  # the driver's and Chromium's stderr
        self._process = subprocess.Popen(
            ["node", str(HERE / "driver.mjs")],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            bufsize=1,
        )
        self._answers: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition()
        self._next_id = 0
        self._send_lock = threading.Lock()
        assert self._process.stdout is not None
        ready = self._process.stdout.readline()
        if not ready:
            self.close()
            raise BrowserError(f"Chromium did not start; see {log_path}")
        self.version = json.loads(ready)["ready"]
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            answer = json.loads(line)
            with self._arrived:
                self._answers[answer["id"]] = answer
                self._arrived.notify_all()
        with self._arrived:
            self._answers[-1] = {"error": "the browser driver exited"}
            self._arrived.notify_all()

    def command(self, op: str, timeout: float = 60.0, **fields: Any) -> Any:
        with self._send_lock:
            self._next_id += 1
            command_id = self._next_id
            assert self._process.stdin is not None
            self._process.stdin.write(json.dumps({"id": command_id, "op": op, **fields}) + "\n")
            self._process.stdin.flush()
        deadline = time.monotonic() + timeout
        with self._arrived:
            while command_id not in self._answers and -1 not in self._answers:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BrowserError(f"{op} took more than {timeout} s")
                self._arrived.wait(remaining)
            answer = self._answers.pop(command_id, None) or self._answers[-1]
        if "error" in answer:
            raise BrowserError(f"{op}: {answer['error']}")
        return answer["result"]

    def new_context(self) -> str:
        """A fresh incognito-like context: its own cookies, storage and connections."""
        return str(self.command("newContext"))

    def close_context(self, context: str) -> None:
        self.command("closeContext", context=context)

    def new_page(
        self,
        url: str,
        context: str = "default",
        ready: str | None = None,
        viewport: dict[str, int] | None = None,
    ) -> Page:
        """Opens ``url``; waits for ``window.flowchat`` or, for an app page, the ``ready``
        selector (e.g. an ARIA selector of its first screen)."""
        page_id = self.command("newPage", context=context, url=url, ready=ready, viewport=viewport)
        return Page(self, str(page_id), context)

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._log.close()


class Page:
    """A page whose module set ``window.flowchat``; ``call`` runs one of its operations.
    An app page is driven through its UI: ``click``, ``fill``, ``press``, ``text`` and
    ``wait_text`` take puppeteer selectors (``aria()``, ``::-p-text(...)``), optionally
    ``within`` the first ``(selector, text)`` match whose text contains ``text``."""

    def __init__(self, browser: Browser, page_id: str, context: str = "default") -> None:
        self.browser = browser
        self.id = page_id
        self.context = context

    def _ui(self, op: str, timeout: float, within: tuple[str, str] | None, **fields: Any) -> Any:
        scope = {"selector": within[0], "text": within[1]} if within else None
        return self.browser.command(
            op,
            timeout=timeout + 5,
            page=self.id,
            within=scope,
            timeout_ms=int(timeout * 1000),
            **fields,
        )

    def click(
        self, selector: str, within: tuple[str, str] | None = None, timeout: float = 15.0
    ) -> None:
        self._ui("click", timeout, within, selector=selector)

    def fill(
        self, selector: str, text: str, within: tuple[str, str] | None = None, timeout: float = 15.0
    ) -> None:
        """Types ``text`` key by key into the (cleared) field."""
        self._ui("fill", timeout, within, selector=selector, text=text)

    def press(self, key: str) -> None:
        self.browser.command("press", page=self.id, key=key)

    def text(
        self, selector: str, within: tuple[str, str] | None = None, timeout: float = 15.0
    ) -> str:
        return str(self._ui("text", timeout, within, selector=selector))

    def wait_text(
        self,
        selector: str,
        text: str,
        *,
        gone: bool = False,
        within: tuple[str, str] | None = None,
        timeout: float = 15.0,
    ) -> str:
        """Waits until the element's text contains ``text`` (or, with ``gone``, no longer
        does); returns the text seen."""
        return str(self._ui("waitText", timeout, within, selector=selector, text=text, gone=gone))

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (benches: timings)."""
        return self.browser.command("evaluate", page=self.id, expression=expression)

    def focused(self) -> dict[str, str] | None:
        """Tag and label of the focused element."""
        found = self.browser.command("focused", page=self.id)
        return dict(found) if found else None

    def call(self, fn: str, *args: Any, timeout: float = 30.0) -> Any:
        return self.browser.command(
            "call",
            timeout=timeout + 5,
            page=self.id,
            fn=fn,
            args=list(args),
            timeout_ms=int(timeout * 1000),
        )

    def log(self) -> list[str]:
        return list(self.browser.command("log", page=self.id))

    def requests(self) -> list[str]:
        """Every request the page made so far, as "METHOD URL"."""
        return list(self.browser.command("requests", page=self.id))

    def screenshot(self, path: Path) -> None:
        self.browser.command("screenshot", page=self.id, path=str(path))

    def close(self) -> None:
        self.browser.command("closePage", page=self.id)


def aria(name: str | None = None, role: str | None = None) -> str:
    """Puppeteer's ARIA selector: the element with this accessible name and/or role."""
    parts = ([f'[name="{name}"]'] if name is not None else []) + (
        [f'[role="{role}"]'] if role is not None else []
    )
    return f"::-p-aria({''.join(parts)})"


def wait_until(probe: Callable[[], Any], timeout: float = 15.0, interval: float = 0.05) -> Any:
    """Polls ``probe`` until it returns something truthy; returns that (or raises)."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout} s (last: {found!r})")
        time.sleep(interval)
