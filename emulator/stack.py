"""The project's local Firebase stack: the Firestore and Realtime Database emulators together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol

from emulator.hub import EmulatorHub, HubEntry

DEFAULT_PROJECT_ID = "demo-flowchat"
DEFAULT_HOST = "127.0.0.1"
# The ports firebase.json gives the official emulators, so clients need no other settings.
DEFAULT_FIRESTORE_PORT = 8080
DEFAULT_DATABASE_PORT = 9000
# The official suite's hub port (firebase.json's emulators.hub.port).
DEFAULT_HUB_PORT = 4400


class Emulator(Protocol):
    """What the stack needs of each emulator."""

    @property
    def address(self) -> str: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class StackSettings:
    """Where the two emulators listen and what they load."""

    host: str = DEFAULT_HOST
    firestore_port: int = DEFAULT_FIRESTORE_PORT
    database_port: int = DEFAULT_DATABASE_PORT
    firestore_rules: str | None = None
    database_rules: str | None = None
    project_id: str = DEFAULT_PROJECT_ID
    import_dir: str | None = None
    export_on_exit: str | None = None
    # A functions source (functions/main.py) whose Firestore / RTDB triggers get events.
    functions_source: str | None = None
    # The Emulator Hub's port (0 picks a free one); None runs no hub.
    hub_port: int | None = None
    # Emulators running elsewhere that the hub lists too (the CLI's auth and functions).
    announced: tuple[HubEntry, ...] = ()


def _firestore(settings: StackSettings) -> Emulator:
    """The project's Firestore emulator, imported late so a broken RTDB import can't hide it."""
    from emulator.firestore.server import FirestoreEmulator

    return FirestoreEmulator(
        host=settings.host,
        port=settings.firestore_port,
        rules_path=settings.firestore_rules,
        project_id=settings.project_id,
        import_dir=settings.import_dir,
        export_on_exit=settings.export_on_exit,
    )


def _database(settings: StackSettings) -> Emulator:
    """The project's Realtime Database emulator."""
    from emulator.database.server import DatabaseEmulator

    return DatabaseEmulator(
        host=settings.host,
        port=settings.database_port,
        rules_path=settings.database_rules,
        project_id=settings.project_id,
        import_dir=settings.import_dir,
        export_on_exit=settings.export_on_exit,
    )


class EmulatorStack:
    """Starts Firestore then the Realtime Database; stops them in reverse order."""

    def __init__(self, settings: StackSettings) -> None:
        self.settings = settings
        self._firestore: Emulator | None = None
        self._database: Emulator | None = None
        self._triggers: Any = None
        self._hub: EmulatorHub | None = None

    @property
    def firestore_address(self) -> str:
        """host:port of the Firestore emulator (gRPC and REST)."""
        assert self._firestore is not None, "start() first"
        return self._firestore.address

    @property
    def database_address(self) -> str:
        """host:port of the Realtime Database emulator."""
        assert self._database is not None, "start() first"
        return self._database.address

    @property
    def hub_address(self) -> str | None:
        """host:port of the Emulator Hub (None when it does not run)."""
        return self._hub.address if self._hub is not None else None

    @property
    def triggers(self) -> Any:
        """The TriggerHost delivering events to --functions (None without one)."""
        return self._triggers

    def start(self) -> None:
        """Starts both emulators; if the second fails the first is stopped again."""
        self._firestore = _firestore(self.settings)
        self._firestore.start()
        try:
            self._database = _database(self.settings)
            self._database.start()
        except BaseException:
            self._database = None
            self.stop()
            raise
        if self.settings.functions_source:
            self._attach_triggers(self.settings.functions_source)
        if self.settings.hub_port is not None:
            self._start_hub(self.settings.hub_port)

    def _start_hub(self, port: int) -> None:
        """The hub listing this stack's emulators and switching its trigger delivery."""
        hub = EmulatorHub(
            host=self.settings.host,
            port=port,
            entries=self.hub_entries,
            triggers=lambda: self._triggers,
        )
        try:
            hub.start()
        except BaseException:
            self.stop()
            raise
        self._hub = hub
        if self._triggers is not None:
            os.environ["FIREBASE_EMULATOR_HUB"] = hub.address

    def hub_entries(self) -> list[HubEntry]:
        """The emulators running now, as the hub lists them (itself excluded)."""
        entries = [
            HubEntry.parse(name, address)
            for name, address in (
                ("firestore", self._firestore.address if self._firestore else None),
                ("database", self._database.address if self._database else None),
            )
            if address is not None
        ]
        return entries + list(self.settings.announced)

    def _attach_triggers(self, source: str) -> None:
        """Deliver this stack's events to the source's triggers (in this process)."""
        from emulator.triggers import attach

        # The functions' own SDK clients must reach this stack, as in the functions emulator.
        self.export_environment()
        try:
            self._triggers = attach(
                self._firestore, self._database, source, project_id=self.settings.project_id
            )
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stops what was started (each exporting on exit when asked); Firestore last."""
        database, firestore, triggers = self._database, self._firestore, self._triggers
        self._database = self._firestore = self._triggers = None
        hub, self._hub = self._hub, None
        if hub is not None:
            hub.stop()
        if triggers is not None:
            triggers.close()
        try:
            if database is not None:
                database.stop()
        finally:
            if firestore is not None:
                firestore.stop()

    def environment(self) -> dict[str, str]:
        """The variables the Firebase SDKs read to find these emulators."""
        variables = {
            "FIRESTORE_EMULATOR_HOST": self.firestore_address,
            "FIREBASE_DATABASE_EMULATOR_HOST": self.database_address,
            "GCLOUD_PROJECT": self.settings.project_id,
        }
        if self._hub is not None:
            variables["FIREBASE_EMULATOR_HUB"] = self._hub.address
        return variables

    def export_environment(self) -> None:
        """Points this process's Firebase SDKs at the stack."""
        os.environ.update(self.environment())
