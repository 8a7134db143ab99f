"""The one error type the emulator raises for expected failures, with its wire codes."""

from __future__ import annotations

import grpc

# gRPC status -> (HTTP status, canonical name) as Google JSON errors spell them.
_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}


class FirestoreError(Exception):
    """An expected failure answered to the client with a status code and message."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return _HTTP.get(self.code, 500)

    @property
    def status_name(self) -> str:
        return self.code.name

    def to_json(self) -> dict:
        """The Google JSON error body."""
        return {
            "error": {"code": self.http_status, "message": self.message, "status": self.status_name}
        }


def invalid(message: str) -> FirestoreError:
    return FirestoreError(grpc.StatusCode.INVALID_ARGUMENT, message)


def not_found(message: str) -> FirestoreError:
    return FirestoreError(grpc.StatusCode.NOT_FOUND, message)


def aborted(message: str) -> FirestoreError:
    return FirestoreError(grpc.StatusCode.ABORTED, message)
