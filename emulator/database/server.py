"""DatabaseEmulator: the aiohttp app (REST, streams, WebSocket) on a background thread."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

from aiohttp import web

from emulator.database import namespaces, persistence
from emulator.database.context import CONTEXT_KEY, EmulatorContext
from emulator.database.cors import cors_middleware
from emulator.database.inspect import handle_coverage
from emulator.database.rest import handle_rest
from emulator.database.settings import handle_rules
from emulator.database.store import Store
from emulator.database.websocket import handle_websocket

log = logging.getLogger(__name__)


def build_app(context: EmulatorContext) -> web.Application:
    """The routes of the emulator: /.ws, /.settings/rules.json, then every REST path."""
    app = web.Application(client_max_size=256 * 1024 * 1024, middlewares=[cors_middleware])
    app[CONTEXT_KEY] = context
    app.router.add_get("/.ws", handle_websocket)
    app.router.add_route("*", "/.settings/rules.json", handle_rules)
    app.router.add_get("/.inspect/coverage", handle_coverage)
    app.router.add_get("/.inspect/coverage.json", handle_coverage)
    app.router.add_route("*", "/{tail:.*}", handle_rest)
    return app


class DatabaseEmulator:
    """A Realtime Database emulator listening on host:port (port 0 picks a free one)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 9000,
        rules_path: str | None = None,
        project_id: str | None = None,
        import_dir: str | None = None,
        export_on_exit: str | None = None,
    ) -> None:
        rules_text = Path(rules_path).read_text() if rules_path else None
        self.import_dir, self.export_on_exit = import_dir, export_on_exit
        self.store = Store(rules_text)
        self.context = EmulatorContext(self.store, namespaces.default_namespace(project_id))
        self._host, self._port = host, port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def address(self) -> str:
        """ "host:port" the emulator listens on."""
        return f"{self._host}:{self._port}"

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop that owns the store (run store calls on it)."""
        assert self._loop is not None, "start() first"
        return self._loop

    def start(self) -> None:
        """Starts serving on a background thread; returns once the port is listening."""
        if self.import_dir:
            count = persistence.import_from(self.store, self.import_dir)
            log.info("Imported %d Realtime Database namespaces from %s", count, self.import_dir)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="rtdb-emulator", daemon=True
        )
        self._thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=30)
        except BaseException:
            self.export_on_exit = None  # nothing was served: keep an earlier export intact
            self.stop()  # e.g. the port is taken: leave no thread or loop behind
            raise

    async def _serve(self) -> None:
        self._runner = web.AppRunner(
            build_app(self.context), shutdown_timeout=0.5, handle_signals=False
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def _shutdown(self) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
        # Streams and sockets still open end here, so no task outlives the loop.
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop(self) -> None:
        """Closes every connection and the port, then ends the thread."""
        if self._loop is None:
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert self._thread is not None
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = self._runner = None
        if self.export_on_exit:  # the loop has stopped: nothing writes any more
            folder = persistence.export_to(self.store, self.export_on_exit)
            log.info("Exported Realtime Database data to %s", folder)
