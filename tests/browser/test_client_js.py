"""client/js bundled with esbuild into a page, in real headless Chromium (Firestore over
WebChannel): a member's message reaches another member's live timeline, and refusals come
back as the client's typed errors."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.harness import ESBUILD, Browser, Page, PageServer, wait_until

ROOT = Path(__file__).resolve().parents[2]
PAGE = Path(__file__).resolve().parent / "client_page"


@pytest.fixture(scope="module")
def client_server(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PageServer]:
    """client_page/client.js bundled on its own (with client/js's own firebase), served."""
    if not (ROOT / "client" / "js" / "dist" / "index.js").is_file():
        pytest.skip("client/js is not built (bash scripts/bootstrap.sh)")
    out = tmp_path_factory.mktemp("client-page")
    subprocess.run(
        [
            str(ESBUILD),
            str(PAGE / "client.js"),
            "--bundle",
            "--format=esm",
            "--target=es2022",
            f"--outdir={out}",
            "--log-level=warning",
        ],
        check=True,
        timeout=120,
    )
    shutil.copy(PAGE / "client.html", out / "client.html")
    server = PageServer(out)
    yield server
    server.close()


@pytest.fixture
def client_page(
    browser: Browser,
    client_server: PageServer,
    firestore_emulator: str,
    database_emulator: str,
    project_id: str,
) -> Iterator[Callable[[str], Page]]:
    """A page running client/js as ``uid`` against the emulators (own browser context)."""
    opened: list[tuple[Page, str]] = []

    def open_(uid: str) -> Page:
        context = browser.new_context()
        page = browser.new_page(client_server.url("client.html"), context)
        opened.append((page, context))
        page.call(
            "open",
            {
                "firestore": firestore_emulator,
                "database": database_emulator,
                "namespace": f"{project_id}-default-rtdb",
                "projectId": project_id,
                "uid": uid,
            },
        )
        return page

    yield open_
    for page, context in opened:
        page.close()
        browser.close_context(context)


def test_a_message_reaches_another_members_timeline(
    client_page: Callable[[str], Page], world: dt.datetime
) -> None:
    mia, alice, sam = client_page("mia"), client_page("alice"), client_page("sam")
    assert mia.call("listen", "r1")

    sent = alice.call("send", "r1", "hello from Chromium")
    assert sent["ok"], sent

    seen = wait_until(lambda: [m for m in mia.call("timeline") if m["id"] == sent["id"]])
    assert seen[0]["text"] == "hello from Chromium" and seen[0]["authorId"] == "alice"
    too_long = alice.call("send", "r1", "x" * 4001)
    assert too_long == {"ok": False, "errorClass": "MessageTooLong", "code": "message-too-long"}
    stranger = sam.call("send", "r1", "let me in")
    assert stranger == {"ok": False, "errorClass": "NotAMember", "code": "not-a-member"}


def test_a_block_in_a_direct_room_is_the_typed_blocked_error_for_both_sides(
    client_page: Callable[[str], Page], world: dt.datetime
) -> None:
    """d2: alice blocked bob. Neither can send there, and the client says Blocked (with the
    side) before the rules' bare refusal; a stranger still gets NotAMember."""
    alice, bob, sam = client_page("alice"), client_page("bob"), client_page("sam")
    assert alice.call("send", "d2", "still there?") == {
        "ok": False,
        "errorClass": "Blocked",
        "code": "blocked",
        "side": "blocking",
    }
    assert bob.call("send", "d2", "why?") == {
        "ok": False,
        "errorClass": "Blocked",
        "code": "blocked",
        "side": "blocked",
    }
    assert sam.call("send", "d2", "hi") == {
        "ok": False,
        "errorClass": "NotAMember",
        "code": "not-a-member",
    }
