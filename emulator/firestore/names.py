"""Resource names: ``projects/{p}/databases/{d}/documents/{relative path}``."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.firestore.errors import invalid


@dataclass(frozen=True)
class DatabaseId:
    project: str
    database: str = "(default)"

    @property
    def root(self) -> str:
        """The documents root resource name."""
        return f"projects/{self.project}/databases/{self.database}/documents"

    def name(self, path: str) -> str:
        """The resource name of a relative path ('' is the root)."""
        return f"{self.root}/{path}" if path else self.root


def parse_database(name: str) -> DatabaseId:
    """Parses ``projects/{p}/databases/{d}`` (anything after is ignored)."""
    parts = name.split("/")
    if len(parts) < 4 or parts[0] != "projects" or parts[2] != "databases" or not parts[1]:
        raise invalid(f"Invalid database name: {name!r}")
    return DatabaseId(parts[1], parts[3])


def split_name(name: str) -> tuple[DatabaseId, str]:
    """A resource name as (database, relative path); the root has path ''."""
    database = parse_database(name)
    rest = name[len(database.root) :]
    if not name.startswith(database.root) or (rest and not rest.startswith("/")):
        raise invalid(f"Invalid resource name: {name!r}")
    path = rest.lstrip("/")
    if any(segment == "" for segment in path.split("/")) and path:
        raise invalid(f"Invalid resource name: {name!r}")
    return database, path


# "Must be no longer than 1,500 bytes" (Firestore's limits on document and collection ids).
MAX_ID_BYTES = 1500


def document_path(name: str) -> tuple[DatabaseId, str]:
    """A document resource name as (database, relative path), checked to be a document."""
    database, path = split_name(name)
    if not is_document(path):
        raise invalid(f"Document name {name!r} has an odd number of path segments.")
    for segment in path.split("/"):
        if segment in (".", "..") or (segment.startswith("__") and segment.endswith("__")):
            raise invalid(f"Resource id {segment!r} is reserved (in {name!r}).")
        if len(segment.encode("utf-8")) > MAX_ID_BYTES:
            raise invalid(f"A resource id is longer than {MAX_ID_BYTES} bytes: {segment[:20]!r}...")
    return database, path


def is_document(path: str) -> bool:
    return bool(path) and len(path.split("/")) % 2 == 0


def parent_of(path: str) -> str:
    """The collection path of a document path (or the document of a collection)."""
    return path.rsplit("/", 1)[0] if "/" in path else ""


def last_segment(path: str) -> str:
    return path.rsplit("/", 1)[-1]
