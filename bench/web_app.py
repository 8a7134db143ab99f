"""Prints how long a message takes from one browser's Send to the other browser's screen
in the reference web app, and the size of the app's JavaScript (gzipped).

Usage: .venv/bin/python bench/web_app.py [--messages 200] [--interval 0.55]

Starts its own stack (``python -m scripts.dev --isolated``: free ports, temporary data,
the app served by the Hosting emulator), signs the demo users alice and bob in through
the app's UI in two Chromium contexts, opens the demo room "general" in both and sends
messages by typing + Enter, alternating sender. The rules allow at most 5 messages in any
5 s per member and room, so each sender sends every 2 x interval seconds (1.1 s by
default): the client's send queue never has to hold a message back, and what is measured is the
path Send -> Firestore (WebChannel) -> the other browser's listener -> React -> DOM. Both
browsers share this machine's clock: t0 is the sender page's Enter keydown, t1 the moment
a MutationObserver in the receiver page sees the message's text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from bench.figures import record  # noqa: E402
from tests.browser.harness import Browser, Page, aria  # noqa: E402

STACK_TIMEOUT = 900.0
MESSAGE_FIELD = aria("Message", "textbox")
TIMELINE = aria("Messages", "log")

# Receiver: when each "bench-N" text first appears. Sender: when Enter went down for it.
WATCH = """(() => {
  window.__seen = {};
  new MutationObserver(() => {
    for (const p of document.querySelectorAll('article p')) {
      const m = /^bench-(\\d+)$/.exec(p.textContent);
      if (m && !(m[1] in window.__seen)) window.__seen[m[1]] = Date.now();
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  window.__sent = {};
  document.addEventListener('keydown', (e) => {
    const m = /^bench-(\\d+)$/.exec(e.target.value ?? '');
    if (e.key === 'Enter' && m) window.__sent[m[1]] = Date.now();
  }, true);
  return true;
})()"""


def start_stack(work: Path) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    """scripts/dev --isolated in the background; its stack.json once it is up."""
    stack_path = work / "stack.json"
    log = (work / "stack.log").open("wb")
    child = subprocess.Popen(
        [sys.executable, "-m", "scripts.dev", "--isolated", "--stack-file", str(stack_path)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + STACK_TIMEOUT
    while not stack_path.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            stop_stack(child)
            raise SystemExit(f"the stack did not start; see {work / 'stack.log'}")
        time.sleep(1)
    return child, json.loads(stack_path.read_text())


def stop_stack(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGINT)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)


def sign_in(browser: Browser, url: str, username: str, password: str) -> Page:
    page = browser.new_page(url, browser.new_context(), ready=aria("Username", "textbox"))
    page.fill(aria("Username", "textbox"), username)
    page.fill(aria("Password"), password)
    page.click(aria("Sign in", "button"))
    page.click("::-p-text(general)", within=(aria("Rooms", "navigation"), "general"), timeout=60)
    page.wait_text(TIMELINE, "", timeout=60)
    page.evaluate(WATCH)
    return page


def run(messages: int, interval: float, pages: list[Page]) -> list[float]:
    """Sends the messages alternating sender; the latencies seen by the other page (ms)."""
    for n in range(messages):
        sender = pages[n % 2]
        sender.fill(MESSAGE_FIELD, f"bench-{n}")
        sender.press("Enter")
        time.sleep(interval)
    deadline = time.monotonic() + 60
    while True:
        seen = [page.evaluate("window.__seen") for page in pages]
        sent = [page.evaluate("window.__sent") for page in pages]
        arrived = [str(n) in seen[(n + 1) % 2] for n in range(messages)]
        if all(arrived) or time.monotonic() > deadline:
            break
        time.sleep(1)
    return [
        seen[(n + 1) % 2][str(n)] - sent[n % 2][str(n)]
        for n in range(messages)
        if str(n) in seen[(n + 1) % 2] and str(n) in sent[n % 2]
    ]


def gzipped_js(dist: Path) -> tuple[int, int]:
    """(raw, gzipped) bytes of the app's JavaScript."""
    files = sorted((dist / "assets").glob("*.js"))
    raw = sum(f.stat().st_size for f in files)
    return raw, sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)


def percentile(values: list[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument(
        "--interval",
        type=float,
        default=0.55,
        help="seconds between sends (each sender: twice this)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-web-app-"))
    child, stack = start_stack(work)
    browser = Browser(work / "driver.log")
    try:
        url = stack["webApp"]["url"]
        password = stack["demo"]["password"]
        pages = [sign_in(browser, url, name, password) for name in ("alice", "bob")]
        latencies = run(args.messages, args.interval, pages)
    finally:
        browser.close()
        stop_stack(child)
    raw, packed = gzipped_js(ROOT / "web" / "dist")
    print(
        f"command: .venv/bin/python bench/web_app.py --messages {args.messages} "
        f"--interval {args.interval}"
    )
    print(
        f"send -> other browser's screen over {len(latencies)}/{args.messages} messages: "
        f"p50 {percentile(latencies, 50):.0f} ms, p99 {percentile(latencies, 99):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    print(f"web app JavaScript: {raw / 1024:.0f} KiB, {packed / 1024:.0f} KiB gzipped")
    record(
        "web app", "send -> other screen p50", percentile(latencies, 50), "ms", size=args.messages
    )
    record(
        "web app", "send -> other screen p99", percentile(latencies, 99), "ms", size=args.messages
    )
    record("web app", "JavaScript gzipped", packed / 1024, "KiB")
    return 0 if len(latencies) == args.messages else 1


if __name__ == "__main__":
    sys.exit(main())
