"""Turns the Write protos of one commit into the documents they produce, checking
preconditions, without touching the store (the caller applies them all or none)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import grpc

from emulator.firestore import field_paths
from emulator.firestore.errors import FirestoreError, invalid
from emulator.firestore.limits import check_document
from emulator.firestore.names import DatabaseId, document_path
from emulator.firestore.store import Store, StoredDoc
from emulator.firestore.transforms import apply_transforms
from emulator.firestore.values import (
    MAX_SECONDS,
    MIN_SECONDS,
    GeoPoint,
    Reference,
    Timestamp,
    from_proto,
)
from emulator.firestore.verify import verify_target

_RESERVED = re.compile(r"^__.*__$")


@dataclass
class PlannedWrite:
    """One write of a commit: the document before and after it."""

    path: str
    before: StoredDoc | None
    after: StoredDoc | None
    is_delete: bool
    transform_results: list[Any] = field(default_factory=list)
    is_verify: bool = False  # a precondition check only: nothing is written


class CommitPlan:
    """The writes of one commit applied in order over an overlay of the store."""

    def __init__(self, store: Store, database: DatabaseId, commit_time: Timestamp) -> None:
        self.store = store
        self.database = database
        self.commit_time = commit_time
        self.writes: list[PlannedWrite] = []
        self._overlay: dict[str, StoredDoc | None] = {}

    def current(self, path: str) -> StoredDoc | None:
        """The document as the writes planned so far leave it."""
        if path in self._overlay:
            return self._overlay[path]
        return self.store.get(path)

    def changes(self) -> dict[str, StoredDoc | None]:
        return dict(self._overlay)

    def add(self, write: Any) -> PlannedWrite:
        """Plans one Write (raw pb); raises FirestoreError on a failed precondition."""
        name = target_name(write)
        kind = write.WhichOneof("operation")
        database, path = document_path(name)
        if database != self.database:
            raise invalid(f"Document {name!r} is not in database {self.database.root!r}.")
        before = self.current(path)
        if write.HasField("current_document"):
            _check_precondition(write.current_document, before, name, self.commit_time)
        if kind is None:  # a verify (target_name accepted it)
            verified = PlannedWrite(path, before, before, is_delete=False, is_verify=True)
            self.writes.append(verified)
            return verified
        planned = self._planned(kind, write, path, before)
        self._overlay[path] = planned.after
        self.writes.append(planned)
        return planned

    def _planned(self, kind: str, write: Any, path: str, before: StoredDoc | None) -> PlannedWrite:
        if kind == "delete":
            return PlannedWrite(path, before, None, is_delete=True)
        data = copy.deepcopy(before.data) if before else {}
        transforms = list(write.update_transforms)
        if kind == "update":
            data = _updated(data, write)
        else:
            transforms = list(write.transform.field_transforms)
        results = apply_transforms(data, transforms, self.commit_time)
        if transforms:
            _check_field_names(data)  # array union operands are values too (no nested arrays)
        check_document(path, data)
        created = before.create_time if before else self.commit_time
        after = StoredDoc(data, created, self.commit_time)
        return PlannedWrite(path, before, after, is_delete=False, transform_results=results)


def target_name(write: Any) -> str:
    """The document a Write (raw pb) acts on; INVALID_ARGUMENT when it has no operation."""
    kind = write.WhichOneof("operation")
    if kind == "delete":
        return write.delete
    if kind == "update":
        return write.update.name
    if kind == "transform":
        return write.transform.document
    verified = verify_target(write)
    if verified is not None:
        return verified
    raise invalid("A write must have an update, delete, transform or verify.")


def _updated(existing: dict[str, Any], write: Any) -> dict[str, Any]:
    fields = {key: from_proto(value) for key, value in write.update.fields.items()}
    _check_field_names(fields)
    if not write.HasField("update_mask"):
        return fields
    for path in write.update_mask.field_paths:
        segments = field_paths.parse(path)
        value = field_paths.lookup(fields, segments)
        if value is field_paths.MISSING:
            field_paths.remove(existing, segments)
        else:
            field_paths.assign(existing, segments, copy.deepcopy(value))
    return existing


def _check_field_names(data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key == "__type__" and value == "__vector__":
            continue  # how clients encode a vector value: {"__type__": "__vector__", ...}
        if key == "" or _RESERVED.match(key):
            raise invalid(f"Field name {key!r} is empty or reserved.")
        _check_value(value)


def _check_value(value: Any) -> None:
    if isinstance(value, dict):
        _check_field_names(value)
    elif isinstance(value, GeoPoint):
        _check_geo_point(value)
    elif isinstance(value, Reference):
        document_path(value.name)  # a reference must name a document
    elif isinstance(value, Timestamp) and not MIN_SECONDS <= value.seconds <= MAX_SECONDS:
        raise invalid("Timestamps must be within years 1 to 9999.")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, list):
                raise invalid("Cannot have nested arrays: an array cannot contain an array.")
            _check_value(item)


def _check_geo_point(point: GeoPoint) -> None:
    # Comparisons are False for NaN, so NaN coordinates are refused as well.
    if not (-90 <= point.latitude <= 90 and -180 <= point.longitude <= 180):
        raise invalid(
            "A geo point needs a latitude in [-90, 90] and a longitude in "
            f"[-180, 180], got ({point.latitude}, {point.longitude})."
        )


def _check_precondition(
    precondition: Any, before: StoredDoc | None, name: str, now: Timestamp
) -> None:
    kind = precondition.WhichOneof("condition_type")
    if kind == "exists":
        if precondition.exists and before is None:
            raise FirestoreError(grpc.StatusCode.NOT_FOUND, f"No document to update: {name}")
        if not precondition.exists and before is not None:
            raise FirestoreError(grpc.StatusCode.ALREADY_EXISTS, f"Document already exists: {name}")
    elif kind == "update_time":
        wanted = Timestamp(precondition.update_time.seconds, precondition.update_time.nanos)
        if wanted.total_nanos() > now.total_nanos():
            # No document can have been updated then: the backend calls it a bad request.
            raise invalid(f"Precondition update_time is in the future: {name}")
        if before is None or before.update_time != wanted:
            raise FirestoreError(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"The stored document's update time does not match the precondition: {name}",
            )
