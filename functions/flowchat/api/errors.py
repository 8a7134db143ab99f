"""The one error translator of the callables.

Domain errors become callable errors with the matching code; a database that is out of
reach becomes UNAVAILABLE with a retry hint; anything else is a bug and propagates as
INTERNAL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from firebase_functions import https_fn
from sqlalchemy.exc import SQLAlchemyError

from flowchat.adapters.db_errors import is_unavailable
from flowchat.errors import DomainError

log = logging.getLogger(__name__)
# What a client waits before retrying when PostgreSQL is restarting or unreachable.
DATABASE_RETRY_AFTER_SECONDS = 5


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise DomainError and database outages as https_fn.HttpsError."""
    try:
        yield
    except DomainError as err:
        code = https_fn.FunctionsErrorCode[err.code]
        raise https_fn.HttpsError(code=code, message=err.message, details=err.details) from err
    except SQLAlchemyError as err:
        if not is_unavailable(err):
            raise
        log.warning("database unavailable: %s", err)
        raise https_fn.HttpsError(
            code=https_fn.FunctionsErrorCode.UNAVAILABLE,
            message="The database is unavailable right now; retry shortly.",
            details={"retryAfterSeconds": DATABASE_RETRY_AFTER_SECONDS},
        ) from err
