"""Connects the trigger functions of a functions source to running emulators' store hooks."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import flask

from emulator.database import tree
from emulator.triggers import database_events, firestore_events, patterns
from emulator.triggers.cloud_events import change_kind, wants
from emulator.triggers.dispatcher import Delivery, Dispatcher
from emulator.triggers.loader import Functions, Trigger

log = logging.getLogger(__name__)


class TriggerHost:
    """Routes committed writes to matching triggers; runs scheduled functions on request."""

    def __init__(self, functions: Functions) -> None:
        self.functions = functions
        self.dispatcher = Dispatcher()
        self._detach: list[Callable[[], None]] = []
        self._watched: set[str] = set()
        self._database_triggers = [t for t in functions.triggers if t.service == "database"]
        # Cleared by the hub's disableBackgroundTriggers: writes committed meanwhile cause no
        # event at all, as with the CLI's Functions emulator (nothing is queued for later).
        self._enabled = True

    @property
    def enabled(self) -> bool:
        """Whether committed writes are turned into events now."""
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Pause (False) or resume (True) background trigger delivery."""
        self._enabled = enabled

    # ---------- Firestore ----------

    def attach_firestore(self, emulator: Any, project_id: str | None = None) -> None:
        """Deliver changes of the project's (default) database of a FirestoreEmulator."""
        from emulator.firestore.names import DatabaseId

        project = project_id or emulator.project_id or _project_from_environment()
        database = emulator.store_backend.database(DatabaseId(project))
        self._detach.append(database.store.subscribe(self._firestore_listener(database.id)))

    def _firestore_listener(self, database_id: Any) -> Callable[[str, Any, Any], None]:
        triggers = [t for t in self.functions.triggers if t.service == "firestore"]

        def on_change(path: str, before: Any, after: Any) -> None:
            if not self._enabled:
                return
            kind = change_kind(before, after)
            if kind == "updated" and before.data == after.data:
                return  # a write that changed nothing is no event
            for trigger in triggers:
                if (
                    wants(trigger.change, kind)
                    and patterns.match(trigger.pattern, path) is not None
                ):
                    self.dispatcher.submit(
                        trigger, _firestore_builder(trigger, database_id, path, before, after)
                    )

        return on_change

    # ---------- Realtime Database ----------

    def attach_database(self, emulator: Any, namespaces: list[str] | None = None) -> None:
        """Deliver changes of a DatabaseEmulator: its default namespace, the named ones, and
        any namespace first written later."""
        names = [emulator.context.default_namespace, *(namespaces or [])]
        store = emulator.store

        def watch_all() -> None:
            for name in names:
                self._watch(store, name)
            self._detach.append(store.subscribe(self._discover(store)))

        self._on_loop(emulator, watch_all)

    def _watch(self, store: Any, namespace: str) -> None:
        if namespace in self._watched:
            return
        self._watched.add(namespace)
        self._detach.append(store.watch(namespace, self._database_listener()))

    def _discover(self, store: Any) -> Callable[[str, str, Any, Any], None]:
        """Watch namespaces as they appear (their first write is routed path by path)."""

        first_change: dict[str, Any] = {}  # namespace -> root after its first write

        def on_write(namespace: str, path: str, before: Any, after: Any) -> None:
            root = store.namespace(namespace).root
            if namespace in self._watched and first_change.get(namespace) is not root:
                return
            self._watch(store, namespace)
            # Later paths of the same first write share its root; they are routed here too.
            first_change[namespace] = root
            self._route_database(namespace, [path], tree.set_at(root, path, before), root)

        return on_write

    def _database_listener(self) -> Callable[[Any], None]:
        def on_change(change: Any) -> None:
            self._route_database(
                change.namespace, list(change.updates), change.before, change.after
            )

        return on_change

    def _route_database(self, namespace: str, written: list[str], before: Any, after: Any) -> None:
        if not self._enabled:
            return
        for trigger in self._database_triggers:
            if patterns.match(trigger.instance, namespace) is None:
                continue
            for ref in database_events.affected_refs(trigger.pattern, written, before, after):
                old, new = tree.get(before, ref), tree.get(after, ref)
                if old == new or not wants(trigger.change, change_kind(old, new)):
                    continue
                self.dispatcher.submit(
                    trigger, _database_builder(trigger, namespace, ref, old, new)
                )

    @staticmethod
    def _on_loop(emulator: Any, action: Callable[[], Any]) -> None:
        """Run on the RTDB emulator's loop: its store is only touched from there."""

        async def run() -> None:
            action()

        asyncio.run_coroutine_threadsafe(run(), emulator.loop).result(timeout=10)

    # ---------- scheduled functions, waiting, shutdown ----------

    def run_schedule(self, name: str, at: datetime | None = None) -> int:
        """Invoke a scheduled function as Cloud Scheduler does; returns the HTTP status."""
        function = self.functions.schedules[name]
        when = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        headers = {
            "X-CloudScheduler-JobName": f"emulator-{name}",
            "X-CloudScheduler-ScheduleTime": when,
        }
        with flask.Flask("emulator-scheduler").test_request_context(
            "/", method="POST", headers=headers
        ):
            return function(flask.request).status_code

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once every event caused so far was delivered (within the timeout)."""
        return self.dispatcher.wait_idle(timeout)

    def failures(self) -> list[Delivery]:
        """Recent deliveries whose function raised."""
        return self.dispatcher.failures()

    def close(self) -> None:
        """Stop listening and stop the worker once the queue is drained."""
        for detach in self._detach:
            try:
                detach()
            except ValueError:
                pass  # already detached
        self._detach.clear()
        self.dispatcher.close()


def _firestore_builder(
    trigger: Trigger, database_id: Any, path: str, before: Any, after: Any
) -> Callable[[], Any]:
    return lambda: firestore_events.event_for(trigger.event_type, database_id, path, before, after)


def _database_builder(
    trigger: Trigger, namespace: str, ref: str, before: Any, after: Any
) -> Callable[[], Any]:
    return lambda: database_events.event_for(trigger.event_type, namespace, ref, before, after)


def _project_from_environment() -> str:
    return (
        os.environ.get("GCLOUD_PROJECT") or os.environ.get("GOOGLE_CLOUD_PROJECT") or "demo-project"
    )
