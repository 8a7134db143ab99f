"""Kept for imports written before tests/support existed; the tokens live there."""

from tests.support.id_tokens import OWNER, PROJECT_ID, bearer, id_token, unsigned_jwt

__all__ = ["OWNER", "PROJECT_ID", "bearer", "id_token", "unsigned_jwt"]
