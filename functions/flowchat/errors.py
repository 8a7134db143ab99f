"""Expected failures of the domain; the API layer maps each to a callable error code."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failure the caller can act on; never a bug."""

    code = "FAILED_PRECONDITION"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    """The request is malformed or breaks a field rule."""

    code = "INVALID_ARGUMENT"


class NotAuthenticated(DomainError):
    """Credentials are missing or wrong."""

    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    code = "PERMISSION_DENIED"


class NotFound(DomainError):
    """The thing does not exist (or the caller may not know it does)."""

    code = "NOT_FOUND"


class AlreadyExists(DomainError):
    """A unique thing (username, email, membership) is taken."""

    code = "ALREADY_EXISTS"


class PreconditionFailed(DomainError):
    """The state does not allow this right now (e.g. the last owner leaving)."""

    code = "FAILED_PRECONDITION"


class Throttled(DomainError):
    """Too many attempts; retry after the given number of seconds."""

    code = "RESOURCE_EXHAUSTED"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message, {"retryAfterSeconds": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


class FileTooLarge(InvalidInput):
    """An upload is larger than its kind allows (HTTP 413 from upload_file)."""


class Unavailable(DomainError):
    """A service FlowChat depends on (Cloudinary, the virus scanner) cannot answer now."""

    code = "UNAVAILABLE"
