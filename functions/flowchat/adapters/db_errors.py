"""Which database failures mean "PostgreSQL is out of reach for now" (retry) rather than a bug."""

from __future__ import annotations

from sqlalchemy import exc

# SQLSTATE classes a retry can overcome: 08 connection exception, 53 insufficient resources
# (too many connections), 57 operator intervention (shutdown, restart, "cannot connect now"),
# 40 transaction rollback (serialization failure, deadlock).
RETRYABLE_SQLSTATE_CLASSES = frozenset({"08", "53", "57", "40"})


def sqlstate(err: exc.DBAPIError) -> str | None:
    """The SQLSTATE of the driver's error: psycopg's .sqlstate, pg8000's {'C': ...} argument."""
    orig = err.orig
    code = getattr(orig, "sqlstate", None)
    if code is None and orig is not None and orig.args and isinstance(orig.args[0], dict):
        code = orig.args[0].get("C")
    return code if isinstance(code, str) else None


def is_unavailable(err: BaseException) -> bool:
    """True for a lost or refused connection, an exhausted pool or a retryable SQLSTATE."""
    if isinstance(err, exc.TimeoutError | exc.DisconnectionError):
        return True
    if not isinstance(err, exc.DBAPIError):
        return False
    if err.connection_invalidated or isinstance(err, exc.OperationalError | exc.InterfaceError):
        return True
    code = sqlstate(err)
    return code is not None and code[:2] in RETRYABLE_SQLSTATE_CLASSES
