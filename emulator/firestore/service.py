"""The Firestore API as plain methods on raw protobuf requests, shared by gRPC and REST."""

from __future__ import annotations

from emulator.firestore.commits import Commits
from emulator.firestore.context import Context
from emulator.firestore.reads import Reads


class FirestoreService(Reads, Commits):
    """Every unary and server-streaming RPC; Listen lives in emulator.firestore.listen."""

    def __init__(self, context: Context) -> None:
        self.context = context
