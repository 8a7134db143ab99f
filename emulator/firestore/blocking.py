"""Store work off the event loop. gRPC, REST, WebChannel, Listen and Write all run on
one asyncio loop; what touches the store runs on this pool, because the store is guarded
by a lock and a transaction's document lock may wait (up to LOCK_WAIT_SECONDS), which
must not stall every other stream on the loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Each worker is busy only for one store call (or one transaction lock wait); streams no
# longer hold a thread while they are open.
_WORKERS = 64


class BlockingPool:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="fs-store")
        # Listen batches all take the store lock, so running N of them on N threads buys
        # no parallelism, only N threads contending for the lock and the GIL (each waiting
        # out the interpreter's switch interval): one thread takes them in turn.
        self._fanout = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fs-fanout")

    async def run(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def run_fanout(self, work: Callable[[], T]) -> T:
        """``work`` on the one fan-out thread (a Listen stream's queued batches)."""
        return await asyncio.get_running_loop().run_in_executor(self._fanout, work)

    def submit(self, work: Callable[[], object]) -> None:
        """Runs ``work`` on the pool without waiting for it."""
        try:
            self._executor.submit(work)
        except RuntimeError:  # shut down: the emulator is stopping
            pass

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._fanout.shutdown(wait=False, cancel_futures=True)
