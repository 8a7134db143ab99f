"""Database paths: slash-separated keys, no leading or trailing slash, "" is the root."""

from __future__ import annotations

_FORBIDDEN = set(".$#[]/")
MAX_KEY_BYTES = 768
MAX_DEPTH = 32


class InvalidPathError(ValueError):
    """A path or key that Firebase would refuse."""


def split(path: str) -> list[str]:
    """The keys of a path, empty segments dropped as Firebase does."""
    return [key for key in path.split("/") if key]


def join(*parts: str) -> str:
    """Joins path pieces into one normalized path."""
    keys: list[str] = []
    for part in parts:
        keys.extend(split(part))
    return "/".join(keys)


def parent(path: str) -> str:
    """The parent path ("" for the root and its children)."""
    return "/".join(split(path)[:-1])


def utf8_size(text: str) -> int | None:
    """Bytes of ``text`` in UTF-8, None when it holds a lone surrogate (not valid Unicode)."""
    try:
        return len(text.encode())
    except UnicodeEncodeError:
        return None


def is_valid_key(key: str) -> bool:
    """Whether a key is allowed in stored data (no . $ # [ ] / or control characters)."""
    size = utf8_size(key)
    if not key or size is None or size > MAX_KEY_BYTES:
        return False
    return not any(ch in _FORBIDDEN or ord(ch) < 32 or ord(ch) == 127 for ch in key)


def validate(path: str) -> str:
    """Normalizes a request path, raising InvalidPathError for forbidden characters;
    ``.priority`` may end a path (it addresses the priority of its parent)."""
    keys = split(path)
    for position, key in enumerate(keys):
        is_priority = key == ".priority" and position == len(keys) - 1 and position > 0
        if not (is_valid_key(key) or is_priority):
            raise InvalidPathError(f"Invalid path: {path!r}")
    if len([key for key in keys if key != ".priority"]) > MAX_DEPTH:
        raise InvalidPathError(f"Path is deeper than {MAX_DEPTH} levels: {path!r}")
    return "/".join(keys)


def is_prefix(ancestor: str, path: str) -> bool:
    """Whether ``ancestor`` is ``path`` or one of its ancestors."""
    return ancestor == "" or path == ancestor or path.startswith(ancestor + "/")


def related(a: str, b: str) -> bool:
    """Whether one path contains the other."""
    return is_prefix(a, b) or is_prefix(b, a)


def relative(ancestor: str, path: str) -> str:
    """``path`` relative to its ancestor ``ancestor``."""
    if ancestor == "":
        return path
    return path[len(ancestor) + 1 :] if path != ancestor else ""
