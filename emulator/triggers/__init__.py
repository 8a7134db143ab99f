"""Cloud Functions event delivery for the local emulators.

``attach(firestore, database, "functions/main.py")`` loads the trigger functions a
functions source declares (their ``__firebase_endpoint__`` manifest entries), subscribes
to the emulators' store hooks, and calls each matching function with the CloudEvent
Cloud Functions would send, on a worker thread after the write committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.triggers.host import TriggerHost
from emulator.triggers.loader import load

__all__ = ["TriggerHost", "attach"]


def attach(
    firestore: Any | None,
    database: Any | None,
    module_path: str | Path,
    *,
    project_id: str | None = None,
    database_namespaces: list[str] | None = None,
) -> TriggerHost:
    """Deliver the events of running emulators to the triggers of ``module_path``.

    ``firestore`` is a started FirestoreEmulator, ``database`` a started DatabaseEmulator
    (either may be None). Call ``close()`` on the result before stopping the emulators.
    """
    host = TriggerHost(load(module_path))
    if firestore is not None:
        host.attach_firestore(firestore, project_id)
    if database is not None:
        host.attach_database(database, database_namespaces)
    return host
