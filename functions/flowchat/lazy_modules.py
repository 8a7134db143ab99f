"""Modules imported on first use, so that a cold instance pays only for what it runs.

Every Cloud Functions instance imports main.py, which declares all entry points; importing
every handler there would load SQLAlchemy, argon2 and the Firestore client even in an
instance that only ever serves a trigger. `lazy_modules` returns stand-ins that import the
real module (through `importlib.import_module`, which holds the import lock, so concurrent
first calls are safe) on their first attribute access.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands in for a module until one of its attributes is first read."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_modules(package: str, *names: str) -> tuple[Any, ...]:
    """Stand-ins for `package.name` for each name, in order."""
    return tuple(LazyModule(f"{package}.{name}") for name in names)
