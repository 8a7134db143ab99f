"""Environment variables that servers and SDKs set for a while, put back afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def environ_restored(*names: str) -> Iterator[None]:
    """On leaving, each named variable is set again to its old value, or unset if it was."""
    saved = {name: os.environ.get(name) for name in names}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
