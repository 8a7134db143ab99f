"""EmulatorHub: the official suite's discovery and control endpoints, on a thread of its own.

``@firebase/rules-unit-testing`` and the Firebase SDKs' test helpers read
``FIREBASE_EMULATOR_HUB`` and ask ``GET /emulators`` where each emulator listens;
``withFunctionTriggersDisabled`` calls the two ``PUT /functions/...`` endpoints around its
callback.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web

from emulator.hub.listing import HubEntry, listing

log = logging.getLogger(__name__)
VERSION = "flowchat-emulator"
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_ENTRIES: web.AppKey[Callable[[], list[HubEntry]]] = web.AppKey("entries")
_TRIGGERS: web.AppKey[Callable[[], TriggerSwitch | None]] = web.AppKey("triggers")


class TriggerSwitch(Protocol):
    """What the hub needs of trigger delivery (emulator.triggers.TriggerHost)."""

    def set_enabled(self, enabled: bool) -> None: ...


def _locator(entries: Callable[[], list[HubEntry]]) -> _Handler:
    async def handle(request: web.Request) -> web.Response:
        """The hub's locator: version, origins, pid, host and port."""
        hub = next(entry for entry in entries() if entry.name == "hub")
        return web.json_response(
            {
                "version": VERSION,
                "origins": [f"http://{hub.host}:{hub.port}"],
                "pid": os.getpid(),
                "host": hub.host,
                "port": hub.port,
            }
        )

    return handle


async def _emulators(request: web.Request) -> web.Response:
    return web.json_response(listing(request.app[_ENTRIES]()))


def _switch(enabled: bool) -> _Handler:
    async def handle(request: web.Request) -> web.Response:
        triggers = request.app[_TRIGGERS]()
        if triggers is None:
            # The CLI's hub answers the same when no Functions emulator runs.
            return web.json_response(
                {"error": "The Cloud Functions emulator is not running."}, status=400
            )
        triggers.set_enabled(enabled)
        log.info("Cloud Functions background triggers %s", "enabled" if enabled else "disabled")
        return web.json_response({"enabled": enabled})

    return handle


def build_app(
    entries: Callable[[], list[HubEntry]], triggers: Callable[[], TriggerSwitch | None]
) -> web.Application:
    """The hub's routes."""
    app = web.Application()
    app[_ENTRIES] = entries
    app[_TRIGGERS] = triggers
    app.router.add_get("/", _locator(entries))
    app.router.add_get("/emulators", _emulators)
    app.router.add_put("/functions/disableBackgroundTriggers", _switch(False))
    app.router.add_put("/functions/enableBackgroundTriggers", _switch(True))
    return app


class EmulatorHub:
    """The hub on host:port (0 picks a free port); ``entries`` is asked on every request,
    so it always lists what runs now (itself included)."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        entries: Callable[[], list[HubEntry]],
        triggers: Callable[[], TriggerSwitch | None],
    ) -> None:
        self.host, self.port = host, port
        self._app = build_app(lambda: [*entries(), HubEntry("hub", self.host, self.port)], triggers)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def address(self) -> str:
        """ "host:port" the hub listens on (the value of FIREBASE_EMULATOR_HUB)."""
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        """Serves on a background thread; returns once the port listens."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="emulator-hub", daemon=True
        )
        self._thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=30)
        except BaseException:
            self.stop()
            raise

    async def _serve(self) -> None:
        self._runner = web.AppRunner(self._app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        """Closes the port and ends the thread."""
        if self._loop is None:
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert self._thread is not None
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = self._runner = None
