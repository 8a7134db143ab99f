"""Python response types (TypedDicts) as TypeScript types."""

from __future__ import annotations

import enum
import types
import typing
from typing import Any, Literal, NotRequired, Required, Union, get_args, get_origin

SCALARS = {str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


def fields_of(typed_dict: type) -> list[tuple[str, Any, bool]]:
    """(name, annotation, required) of each key, in declaration order."""
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    required = getattr(typed_dict, "__required_keys__", frozenset(hints))
    found = []
    for name, hint in hints.items():
        if get_origin(hint) in (NotRequired, Required):
            hint = get_args(hint)[0]
        found.append((name, hint, name in required))
    return found


def ts_type(hint: Any, named: dict[str, type]) -> str:
    """The TypeScript spelling of a hint; TypedDicts are referenced by name and collected."""
    if hint in SCALARS:
        return SCALARS[hint]
    if isinstance(hint, type) and issubclass(hint, enum.StrEnum):
        return " | ".join(_literal(member.value) for member in hint)
    if typing.is_typeddict(hint):
        named[hint.__name__] = hint
        for _, inner, _ in fields_of(hint):
            ts_type(inner, named)
        return str(hint.__name__)
    origin = get_origin(hint)
    if origin is Literal:
        return " | ".join(_literal(v) for v in get_args(hint))
    if origin in (Union, types.UnionType):
        return " | ".join(ts_type(a, named) for a in get_args(hint))
    if origin is list:
        inner = ts_type(get_args(hint)[0], named)
        return f"({inner})[]" if "|" in inner else f"{inner}[]"
    if origin is dict:
        return f"Record<string, {ts_type(get_args(hint)[1], named)}>"
    if hint is Any:
        return "unknown"
    raise TypeError(f"no TypeScript spelling for {hint!r}")


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    return str(value)


def interface(typed_dict: type, named: dict[str, type]) -> str:
    """`export interface Name { ... }` with the TypedDict's docstring as its comment."""
    lines = []
    if typed_dict.__doc__ and typed_dict.__doc__.strip():
        lines.append(f"/** {' '.join(typed_dict.__doc__.split())} */")
    lines.append(f"export interface {typed_dict.__name__} {{")
    for name, hint, required in fields_of(typed_dict):
        lines.append(f"  {name}{'' if required else '?'}: {ts_type(hint, named)};")
    lines.append("}")
    return "\n".join(lines)
