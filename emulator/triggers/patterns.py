"""Eventarc path patterns: literal segments, ``{name}`` / ``*`` (one segment) and
``{name=**}`` / ``**`` (any number of segments); captures become event params."""

from __future__ import annotations

import re

_CAPTURE = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)(=\*\*?)?\}$")


def segments(path: str) -> list[str]:
    """The non-empty segments of a slash-separated path."""
    return [s for s in path.split("/") if s]


def match(pattern: str, path: str) -> dict[str, str] | None:
    """The captures if ``path`` matches ``pattern``, else None."""
    return _match(segments(pattern), segments(path), {})


def fixed_depth(pattern: str) -> int | None:
    """The number of segments every match has; None when the pattern has a ``**``."""
    parts = segments(pattern)
    return None if any(_is_multi(p) for p in parts) else len(parts)


def _is_multi(part: str) -> bool:
    found = _CAPTURE.match(part)
    return part == "**" or bool(found and found.group(2) == "=**")


def _match(parts: list[str], path: list[str], captures: dict[str, str]) -> dict[str, str] | None:
    if not parts:
        return captures if not path else None
    head, rest = parts[0], parts[1:]
    found = _CAPTURE.match(head)
    if _is_multi(head):
        for split in range(len(path), -1, -1):
            name = found.group(1) if found else None
            taken = {name: "/".join(path[:split])} if name else {}
            result = _match(rest, path[split:], {**captures, **taken})
            if result is not None:
                return result
        return None
    if not path:
        return None
    if found:
        return _match(rest, path[1:], {**captures, found.group(1): path[0]})
    if head == "*" or head == path[0]:
        return _match(rest, path[1:], captures)
    return None
