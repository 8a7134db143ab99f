"""Cache pg8000's placeholder rewriting ("%s" -> "$1") per SQL text.

pg8000 rewrites every statement's placeholders with a character-by-character Python scan
on each execute: about 0.3 ms for a 300-character statement on an idle core, several
times that on a loaded one, and more than the database needs for an index-only lookup.
SQLAlchemy sends the same few SQL strings again and again (its compiled cache), so the
rewrite is cached per string; the values pass through unchanged, as pg8000 itself does
for the "format" style SQLAlchemy uses.
"""

from __future__ import annotations

import functools
from typing import Any

import pg8000.legacy

_convert = pg8000.legacy.convert_paramstyle


@functools.lru_cache(maxsize=1024)
def _rewritten(query: str) -> str:
    statement, _ = _convert("format", query, ())
    return statement


def _cached_convert(style: str, query: str, args: Any) -> tuple[str, Any]:
    if style != "format":
        return _convert(style, query, args)
    return _rewritten(query), args


def install() -> None:
    """Use the cached rewrite for every pg8000 cursor of this process (idempotent)."""
    pg8000.legacy.convert_paramstyle = _cached_convert
