"""Browser fixtures: one Chromium per test session, test pages bundled with esbuild and
served from a loopback origin, and pages opened per test (closed after it; on a failure
their screenshot and console log are kept under .local/test-artifacts/browser/).

Reuse: a test under tests/browser asks for ``open_page`` (any page of pages/*.html) or
``firestore_page`` (the Firestore web SDK page, signed in as a uid, on a chosen transport)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import (
    Browser,
    BrowserError,
    Page,
    PageServer,
    bundle_pages,
    missing_tools,
)
from tests.rules.world import seed_documents
from tests.support.firestore_rest import FirestoreRest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".local" / "test-artifacts" / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives Chromium: ``-m "not browser"`` leaves them out."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = missing_tools()
    if reason:
        pytest.skip(reason)
    return bundle_pages(tmp_path_factory.mktemp("browser-pages"))


@pytest.fixture(scope="session")
def page_server(browser_bundle: Path) -> Iterator[PageServer]:
    server = PageServer(browser_bundle)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser(browser_bundle: Path) -> Iterator[Browser]:
    """One headless Chromium for the whole session (launching one takes seconds)."""
    chromium = Browser(ARTIFACTS / "driver.log")
    yield chromium
    chromium.close()


@pytest.fixture
def open_page(
    browser: Browser, page_server: PageServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """Opens ``pages/<name>`` (or any ``url``, waiting for its ``ready`` selector) in a new
    browser context if ``isolated``; every page and context opened is closed after the
    test, with a screenshot and log if it failed."""
    opened: list[Page] = []
    contexts: list[str] = []

    def open_(
        name: str = "",
        isolated: bool = False,
        *,
        url: str | None = None,
        ready: str | None = None,
        viewport: dict[str, int] | None = None,
    ) -> Page:
        context = "default"
        if isolated:
            context = browser.new_context()
            contexts.append(context)
        page = browser.new_page(url or page_server.url(name), context, ready, viewport)
        opened.append(page)
        return page

    yield open_
    failed = any(
        # report_<phase>: set by tests/conftest.py's pytest_runtest_makereport
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for index, page in enumerate(opened):
        if failed:
            _keep_artifacts(page, f"{_slug(request.node.nodeid)}-{index}")
        with contextlib.suppress(BrowserError):  # its context may have been closed already
            page.close()
    for context in contexts:
        browser.close_context(context)
    if failed:
        print(f"\nbrowser screenshots and logs: {ARTIFACTS}")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[-150:]


def _keep_artifacts(page: Page, stem: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(ARTIFACTS / f"{stem}.png")
        (ARTIFACTS / f"{stem}.log").write_text("\n".join(page.log()) + "\n")
    except Exception as error:  # a dead page must not hide the test's own failure
        (ARTIFACTS / f"{stem}.log").write_text(f"no artifacts: {error}\n")


@pytest.fixture
def firestore_page(
    open_page: Callable[..., Page], firestore_emulator: str, project_id: str
) -> Callable[..., Page]:
    """A page with the Firestore web SDK connected to the emulator as ``uid`` (None: signed
    out) over WebChannel: "streaming", "long-polling" (experimentalForceLongPolling) or
    "auto-detect" (the SDK's default: streaming unless the first bytes are slow)."""
    host, port = firestore_emulator.rsplit(":", 1)

    def open_(uid: str | None, transport: str = "auto-detect", isolated: bool = False) -> Page:
        page = open_page("firestore.html", isolated=isolated)
        page.call(
            "open",
            {
                "host": host,
                "port": int(port),
                "projectId": project_id,
                "uid": uid,
                "transport": transport,
            },
        )
        return page

    return open_


@pytest.fixture(scope="session")
def firestore_rest(firestore_emulator: str, project_id: str) -> Iterator[FirestoreRest]:
    client = FirestoreRest(firestore_emulator, project_id)
    yield client
    client.close()


@pytest.fixture
def world(firestore_rest: FirestoreRest) -> dt.datetime:
    """Firestore holding exactly the rules suite's world (tests/rules/world.py)."""
    now = dt.datetime.now(dt.UTC)
    firestore_rest.clear()
    firestore_rest.seed(seed_documents(now))
    return now


def outcome_code(result: dict[str, Any]) -> str:
    """ "ok" or the SDK's error code of a page operation's outcome."""
    return "ok" if result["ok"] else str(result["code"])
