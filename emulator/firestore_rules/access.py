"""get() / exists() / getAfter() / existsAfter() with Firebase's documented limits.

"10 for single-document requests and query requests; 20 for multi-document reads,
transactions, and batched writes. The previous limit of 10 also applies to each
operation." (https://firebase.google.com/docs/firestore/security/rules-conditions#access_calls_limits)
Repeated reads of one document are served from a cache and counted once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.firestore_rules.api import DocumentReader, StoredDocument
from emulator.firestore_rules.values import EvalError, RulesPath, from_store, type_name

SINGLE_REQUEST_LIMIT = 10
BATCH_LIMIT = 20


@dataclass
class AccessBudget:
    """Access calls already made, shared by every operation of one batch."""

    limit: int
    cache: dict[tuple[str, str], StoredDocument | None] = field(default_factory=dict)


@dataclass
class DocumentAccess:
    """The document reads of one operation (counted against it and its batch)."""

    reader: DocumentReader
    budget: AccessBudget
    database: str = "(default)"
    own_keys: set[tuple[str, str]] = field(default_factory=set)

    def call(self, name: str, args: list[Any]) -> Any:
        if len(args) != 1 or not isinstance(args[0], RulesPath):
            found = ", ".join(type_name(a) for a in args)
            raise EvalError(f"Invalid arguments to {name}(): expected a path, got {found}.")
        relative = self._relative(args[0])
        after = name.endswith("After")
        stored = self._read(relative, after)
        if name.startswith("exists"):
            return stored is not None
        return None if stored is None else resource_map(stored, self.database)

    def _relative(self, path: RulesPath) -> str:
        relative = path.document_path()
        if relative is None or relative == "" or relative.count("/") % 2 == 0:
            raise EvalError(f"Invalid document path: {path}.")
        return relative

    def _read(self, relative: str, after: bool) -> StoredDocument | None:
        key = ("after" if after else "before", relative)
        if key in self.budget.cache:
            self.own_keys.add(key)
            return self.budget.cache[key]
        over_budget = len(self.budget.cache) >= self.budget.limit
        if len(self.own_keys) >= SINGLE_REQUEST_LIMIT or over_budget:
            raise EvalError("Exceeded maximum number of document access calls.")
        stored = self.reader.get_after(relative) if after else self.reader.get(relative)
        self.budget.cache[key] = stored
        self.own_keys.add(key)
        return stored


def resource_map(document: StoredDocument, database: str = "(default)") -> dict[str, Any]:
    """The rules view of a stored document: {data, id, __name__}."""
    segments = ("databases", database, "documents", *document.path.split("/"))
    return {
        "data": from_store(document.data, database),
        "id": segments[-1],
        "__name__": RulesPath(segments),
    }
