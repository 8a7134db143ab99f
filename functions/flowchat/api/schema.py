"""Declared inputs, responses and errors of each callable: one source for both the checks
that run on every request and the API reference (docs/api.md, client/js's types).

A handler parses its request with its Schema (``ARGS = Schema(...)``, then
``args = ARGS.parse(req)``); ``scripts/api_docs`` renders the same objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from firebase_functions import https_fn

from flowchat.api import fields
from flowchat.services.domain import values

Data = dict[str, Any]


@dataclass(frozen=True)
class Field:
    """One request field: how it is checked, and how it is documented.

    ``ts_type`` is its TypeScript type; ``limits`` says in words what the check accepts.
    """

    name: str
    ts_type: str
    required: bool
    limits: str
    doc: str
    check: Callable[[Data], Any] = field(repr=False, compare=False)
    # TypedDicts that ts_type names (rendered beside the response types).
    refs: tuple[type, ...] = ()


@dataclass(frozen=True)
class Failure:
    """An error the callable answers with: its status code and when."""

    code: str
    when: str


@dataclass(frozen=True)
class Schema:
    """A callable's request fields, response type (a TypedDict) and specific errors."""

    summary: str
    fields: tuple[Field, ...]
    response: type
    errors: tuple[Failure, ...] = ()
    signed_in: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def parse(self, req: https_fn.CallableRequest[Any]) -> Data:
        """The checked fields by name (unknown fields refused); InvalidInput names the bad one."""
        data = fields.data_of(req, *self.names)
        return {f.name: f.check(data) for f in self.fields}


def text(name: str, max_len: int, doc: str, min_note: str = "") -> Field:
    """A required, non-empty string of at most max_len characters."""
    limits = f"1-{max_len} characters{min_note}"
    return Field(name, "string", True, limits, doc, lambda d: fields.text(d, name, max_len))


def optional_text(name: str, max_len: int, doc: str) -> Field:
    """A string that may be missing or null."""
    limits = f"at most {max_len} characters"
    return Field(
        name, "string | null", False, limits, doc, lambda d: fields.optional_text(d, name, max_len)
    )


def an_id(name: str, doc: str) -> Field:
    """A required user or room id (a UUID)."""
    return Field(name, "string", True, "a UUID", doc, lambda d: fields.user_id(d, name))


def optional_id(name: str, doc: str) -> Field:
    """A user or room id that may be missing or null."""

    def check(d: Data) -> str | None:
        return fields.user_id(d, name) if d.get(name) is not None else None

    return Field(name, "string | null", False, "a UUID", doc, check)


def ids(name: str, doc: str, max_items: int = 50) -> Field:
    """A required list of ids (duplicates dropped)."""
    limits = f"0-{max_items} UUIDs, duplicates ignored"
    return Field(name, "string[]", True, limits, doc, lambda d: fields.user_ids(d, name, max_items))


def choice(name: str, allowed: type[StrEnum], doc: str) -> Field:
    """A required string among the values of `allowed`, parsed to its member."""
    strings = values(allowed)
    ts_type = " | ".join(f'"{a}"' for a in strings)
    limits = "one of " + ", ".join(strings)
    return Field(
        name, ts_type, True, limits, doc, lambda d: allowed(fields.choice(d, name, strings))
    )


def flag(name: str, default: bool, doc: str) -> Field:
    """An optional boolean (missing or null: the default)."""
    limits = f"true or false, default {'true' if default else 'false'}"
    return Field(name, "boolean", False, limits, doc, lambda d: fields.flag(d, name, default))


def page_size(default: int, most: int) -> Field:
    """The optional `limit` of a paged callable."""
    limits = f"1-{most}, default {default}"
    return Field(
        "limit",
        "number",
        False,
        limits,
        "page size",
        lambda d: fields.page_size(d, default=default, most=most),
    )


def cursor() -> Field:
    """The optional `cursor` of a paged callable: the previous page's `nextCursor`."""
    return Field(
        "cursor",
        "string | null",
        False,
        "at most 512 characters",
        "`nextCursor` of the previous page; omit for the first page",
        lambda d: fields.optional_text(d, "cursor", 512),
    )


def raw(
    name: str, ts_type: str, required: bool, limits: str, doc: str, refs: tuple[type, ...] = ()
) -> Field:
    """A field handed on unchecked here, because a service checks it as a whole (e.g. the
    message draft); its limits are documented from that service's constants."""
    return Field(name, ts_type, required, limits, doc, lambda d: d.get(name), refs)


# Errors shared by many callables.
NOT_A_MEMBER = Failure("PERMISSION_DENIED", "the caller is not a member of the room")
MODERATORS_ONLY = Failure("PERMISSION_DENIED", "the caller is not an owner or admin of the room")
NOT_IN_ROOM = Failure("NOT_FOUND", "userId is not a member of the room")
DIRECT_ROOM = Failure("FAILED_PRECONDITION", "the room is a direct room")
NO_ROOM = Failure("NOT_FOUND", "the room does not exist")
NO_USER = Failure("NOT_FOUND", "the user does not exist")
BAD_CURSOR = Failure("INVALID_ARGUMENT", "the cursor is not one this callable returned")
