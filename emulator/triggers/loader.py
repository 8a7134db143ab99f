"""Finds the event-triggered and scheduled functions a functions source file declares.

The firebase_functions decorators attach a manifest entry (``__firebase_endpoint__``) to
each function; its ``eventTrigger`` / ``scheduleTrigger`` say what the function listens to.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

FIRESTORE_PREFIX = "google.cloud.firestore.document.v1."
DATABASE_PREFIX = "google.firebase.database.ref.v1."


@dataclass(frozen=True)
class Trigger:
    """One deployed function and the events it receives."""

    name: str
    function: Callable[..., Any]
    event_type: str
    # "document" (Firestore) or "ref" (RTDB) pattern, and the RTDB instance pattern.
    pattern: str
    filters: dict[str, str] = field(default_factory=dict)
    instance: str = "*"

    @property
    def service(self) -> str:
        """ "firestore" or "database"."""
        return "firestore" if self.event_type.startswith(FIRESTORE_PREFIX) else "database"

    @property
    def change(self) -> str:
        """ "written", "created", "updated" or "deleted"."""
        return self.event_type.removesuffix(".withAuthContext").rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Functions:
    """What a functions source declares: event triggers and scheduled functions by name."""

    triggers: list[Trigger]
    schedules: dict[str, Callable[..., Any]]


def load_module(module_path: str | Path) -> ModuleType:
    """The module at ``module_path``, reusing it when it is already imported."""
    path = Path(module_path).resolve()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve() == path:
            return module
    # The functions folder is the import root in Cloud Functions (flowchat/ lives beside main).
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    name = path.stem if path.stem not in sys.modules else f"_triggers_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load functions from {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def declared_functions(module: ModuleType) -> Functions:
    """Event triggers of Firestore and the RTDB, and scheduled functions, of a module."""
    triggers: list[Trigger] = []
    schedules: dict[str, Callable[..., Any]] = {}
    for name, value in vars(module).items():
        endpoint = getattr(value, "__firebase_endpoint__", None)
        if endpoint is None:
            continue
        if endpoint.scheduleTrigger:
            schedules[name] = value
        trigger = _trigger(name, value, endpoint.eventTrigger)
        if trigger is not None:
            triggers.append(trigger)
    return Functions(triggers, schedules)


def _trigger(name: str, function: Callable[..., Any], spec: Any) -> Trigger | None:
    if not spec:
        return None
    event_type = spec["eventType"]
    patterns = spec.get("eventFilterPathPatterns") or {}
    filters = dict(spec.get("eventFilters") or {})
    if event_type.startswith(FIRESTORE_PREFIX):
        pattern = patterns.get("document") or filters.get("document", "")
        return Trigger(name, function, event_type, pattern, filters)
    if event_type.startswith(DATABASE_PREFIX):
        pattern = patterns.get("ref") or filters.get("ref", "")
        instance = patterns.get("instance") or filters.get("instance", "*")
        return Trigger(name, function, event_type, pattern, filters, instance)
    return None


def load(module_path: str | Path) -> Functions:
    """Imports a functions source and lists what it declares."""
    return declared_functions(load_module(module_path))
