"""Domain errors become callable errors with the matching code; bugs propagate as INTERNAL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from firebase_functions import https_fn

from flowchat.errors import DomainError


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise DomainError as https_fn.HttpsError (code, message, details)."""
    try:
        yield
    except DomainError as err:
        code = https_fn.FunctionsErrorCode[err.code]
        raise https_fn.HttpsError(code=code, message=err.message, details=err.details) from err
