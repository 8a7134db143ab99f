r"""Field paths (``a.b``, ``\`odd.key\`.c``) and reading / writing them in native maps."""

from __future__ import annotations

import functools
import re
from typing import Any

from emulator.firestore.errors import invalid

_SIMPLE_SEGMENT = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")
_MISSING = object()


@functools.lru_cache(maxsize=4096)  # queries parse the same few paths for every document
def parse(path: str) -> tuple[str, ...]:
    """Splits a field path into segments, honouring backquoted segments."""
    segments: list[str] = []
    i = 0
    while i <= len(path):
        if i < len(path) and path[i] == "`":
            segment, i = _read_quoted(path, i + 1)
        else:
            end = path.find(".", i)
            end = len(path) if end < 0 else end
            segment, i = path[i:end], end
        if segment == "":
            raise invalid(f"Invalid field path: {path!r}")
        segments.append(segment)
        if i < len(path) and path[i] != ".":
            raise invalid(f"Invalid field path: {path!r}")
        i += 1
    return tuple(segments)


def _read_quoted(path: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    while i < len(path):
        ch = path[i]
        if ch == "\\" and i + 1 < len(path):
            out.append(path[i + 1])
            i += 2
        elif ch == "`":
            return "".join(out), i + 1
        else:
            out.append(ch)
            i += 1
    raise invalid(f"Unterminated backquote in field path: {path!r}")


def render(segments: tuple[str, ...]) -> str:
    """The canonical string of a field path (segments quoted where needed)."""
    return ".".join(s if _SIMPLE_SEGMENT.match(s) else _quote(s) for s in segments)


def _quote(segment: str) -> str:
    return "`" + segment.replace("\\", "\\\\").replace("`", "\\`") + "`"


def lookup(data: dict[str, Any], segments: tuple[str, ...]) -> Any:
    """The value at a path, or ``MISSING``."""
    current: Any = data
    for segment in segments:
        if not isinstance(current, dict) or segment not in current:
            return _MISSING
        current = current[segment]
    return current


def assign(data: dict[str, Any], segments: tuple[str, ...], value: Any) -> None:
    """Sets a value, creating (or replacing non-map) intermediate maps."""
    current = data
    for segment in segments[:-1]:
        child = current.get(segment)
        if not isinstance(child, dict):
            child = {}
            current[segment] = child
        current = child
    current[segments[-1]] = value


def remove(data: dict[str, Any], segments: tuple[str, ...]) -> None:
    """Deletes a value if present."""
    current: Any = data
    for segment in segments[:-1]:
        current = current.get(segment) if isinstance(current, dict) else None
        if not isinstance(current, dict):
            return
    current.pop(segments[-1], None)


def project(data: dict[str, Any], paths: list[tuple[str, ...]]) -> dict[str, Any]:
    """Only the given fields of a document (a mask / projection)."""
    out: dict[str, Any] = {}
    for segments in paths:
        value = lookup(data, segments)
        if value is not _MISSING:
            assign(out, segments, value)
    return out


def request_mask(request: Any) -> list[tuple[str, ...]] | None:
    """The parsed ``mask`` of a read or write request (raw pb); None when it has none."""
    if not request.HasField("mask"):
        return None
    return [parse(path) for path in request.mask.field_paths]


def masked(data: dict[str, Any], mask: list[tuple[str, ...]] | None) -> dict[str, Any] | None:
    """The fields a mask keeps; None (every field) without a mask."""
    return project(data, mask) if mask is not None else None


MISSING = _MISSING
