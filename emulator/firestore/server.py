"""FirestoreEmulator: gRPC (``grpc.aio``), REST and WebChannel on one port and one asyncio
loop, run on a background thread so it can be used in-process (pytest fixtures,
``python -m emulator``) or standalone. Store work runs on the blocking pool (the store
keeps its lock: transactions' document locks wait)."""

from __future__ import annotations

import asyncio
import logging
import threading

import grpc
from aiohttp import web

from emulator.firestore import persistence
from emulator.firestore.authorization import Gate
from emulator.firestore.backend import Backend
from emulator.firestore.blocking import BlockingPool
from emulator.firestore.context import Context
from emulator.firestore.front import FrontDoor
from emulator.firestore.grpc_api import build_handler
from emulator.firestore.listen import ListenStream
from emulator.firestore.rest_api import RestApi
from emulator.firestore.rpc_table import StreamRunner
from emulator.firestore.rules import RulesRegistry
from emulator.firestore.service import FirestoreService
from emulator.firestore.webchannel.http import WebChannelApi
from emulator.firestore.write_stream import WriteStreamHandler

log = logging.getLogger(__name__)
_MAX_MESSAGE = 64 * 1024 * 1024


class FirestoreEmulator:
    """The local Firestore emulator; ``start()`` returns once it is listening."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8080,
        rules_path: str | None = None,
        project_id: str | None = None,
        import_dir: str | None = None,
        export_on_exit: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.project_id = project_id
        self.import_dir = import_dir
        self.export_on_exit = export_on_exit
        self.backend = Backend()
        self.rules = RulesRegistry(rules_path)
        context = Context(self.backend, Gate(self.rules))
        self.service = FirestoreService(context)
        self._pool = BlockingPool()
        writes = WriteStreamHandler(self.service, self._pool)
        # The bidi RPCs of the table, by handler key: one implementation per transport.
        self._streams: dict[str, StreamRunner] = {
            "Listen": lambda requests, caller: ListenStream(context, caller, self._pool).run(
                requests
            ),
            "Write": writes.stream,
        }
        self._webchannel = WebChannelApi(self._streams)
        self._grpc: grpc.aio.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._front: FrontDoor | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def store_backend(self) -> Backend:
        """The databases, for in-process hooks such as ``store.subscribe``."""
        return self.backend

    def start(self) -> None:
        if self.import_dir:
            count = persistence.import_from(self.backend, self.import_dir)
            log.info("Imported %d Firestore documents from %s", count, self.import_dir)
        self.rules.start_watching()
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run_loop, args=(ready,), name="firestore-emulator", daemon=True
        )
        self._thread.start()
        ready.wait()
        future = asyncio.run_coroutine_threadsafe(self._start_servers(), self._loop)
        try:
            self.port = future.result(timeout=30)
        except BaseException:
            self.export_on_exit = None  # nothing was served: keep an earlier export intact
            self.stop()
            raise
        log.info("Firestore emulator listening on %s", self.address)

    def stop(self) -> None:
        if self.export_on_exit:
            path = persistence.export_to(self.backend, self.export_on_exit)
            log.info("Exported Firestore data to %s", path)
        if self._loop is not None:
            future = asyncio.run_coroutine_threadsafe(self._stop_servers(), self._loop)
            future.result(timeout=30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            assert self._thread is not None
            self._thread.join(timeout=10)
            self._loop.close()
            self._loop = None
        self.rules.stop()
        self._pool.shutdown()

    def _run_loop(self, ready: threading.Event) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(ready.set)
        self._loop.run_forever()

    async def _start_grpc(self) -> int:
        """grpc.aio on this loop, on an internal loopback port behind the front door
        (grpc.aio binds sockets of its own: it cannot take over aiohttp's)."""
        self._grpc = grpc.aio.server(
            options=[
                ("grpc.max_receive_message_length", _MAX_MESSAGE),
                ("grpc.max_send_message_length", _MAX_MESSAGE),
                ("grpc.so_reuseport", 0),
            ],
        )
        self._grpc.add_generic_rpc_handlers(
            [build_handler(self.service, self._streams, self._pool)]
        )
        port = self._grpc.add_insecure_port("127.0.0.1:0")
        await self._grpc.start()
        return port

    async def _start_servers(self) -> int:
        grpc_port = await self._start_grpc()
        api = RestApi(self.service, self.backend, self.rules, self._pool)
        app = api.app()
        self._webchannel.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        assert self._runner.server is not None
        self._front = FrontDoor(grpc_port, self._runner.server)
        return await self._front.start(self.host, self.port)

    async def _stop_servers(self) -> None:
        if self._front is not None:
            await self._front.close()
        if self._grpc is not None:
            await self._grpc.stop(grace=0.5)
            self._grpc = None
        if self._runner is not None:
            await self._runner.cleanup()
