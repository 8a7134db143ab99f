"""Member access and method calls: snapshot methods, string members, auth maps, query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .api import ReadQuery
from .errors import RuleEvalError
from .operators import is_number
from .regex import RuleRegex
from .snapshot import SNAPSHOT_METHODS, RuleDataSnapshot

STRING_METHODS = frozenset(
    {
        "contains",
        "beginsWith",
        "endsWith",
        "replace",
        "toLowerCase",
        "toUpperCase",
        "matches",
    }
)
STRING_PROPERTIES = frozenset({"length"})
QUERY_FIELDS = {
    "orderByKey": "order_by_key",
    "orderByValue": "order_by_value",
    "orderByPriority": "order_by_priority",
    "orderByChild": "order_by_child",
    "startAt": "start_at",
    "endAt": "end_at",
    "equalTo": "equal_to",
    "limitToFirst": "limit_to_first",
    "limitToLast": "limit_to_last",
}
METHOD_ARITY: dict[str, tuple[int, int]] = {
    "val": (0, 0),
    "child": (1, 1),
    "parent": (0, 0),
    "hasChild": (1, 1),
    "hasChildren": (0, 1),
    "exists": (0, 0),
    "getPriority": (0, 0),
    "isNumber": (0, 0),
    "isString": (0, 0),
    "isBoolean": (0, 0),
    "contains": (1, 1),
    "beginsWith": (1, 1),
    "endsWith": (1, 1),
    "replace": (2, 2),
    "toLowerCase": (0, 0),
    "toUpperCase": (0, 0),
    "matches": (1, 1),
}


@dataclass(frozen=True)
class QueryView:
    """The ``query`` variable of read rules."""

    query: ReadQuery

    def field(self, name: str) -> Any:
        """One query.* value (booleans for orderBy flags, null when unset)."""
        if name not in QUERY_FIELDS:
            raise RuleEvalError(f"query has no member {name}")
        return getattr(self.query, QUERY_FIELDS[name])


def get_member(target: Any, name: str) -> Any:
    """``target.name`` as the rules language defines it; anything else is an error."""
    if target is None:
        return None  # auth.uid when signed out is null; calling a method of null still fails
    if isinstance(target, str):
        if name == "length":
            return len(target.encode("utf-16-le")) // 2  # JS counts UTF-16 code units
    elif isinstance(target, QueryView):
        return target.field(name)
    elif isinstance(target, dict):
        return target.get(name)  # auth / auth.token claims; absent claims are null
    raise RuleEvalError(f"cannot read {name} of {type(target).__name__}")


def require_key(key: Any) -> str:
    """A computed member name (``auth.token[$claim]``): a string, or an integer as in JS."""
    if isinstance(key, str):
        return key
    if is_number(key) and float(key).is_integer():
        return str(int(key))
    raise RuleEvalError("member names must be strings or integers")


def invoke(target: Any, name: str, args: list[Any]) -> Any:
    """``target.name(args)``: a snapshot or string method; anything else is an error."""
    low, high = METHOD_ARITY[name]
    if not low <= len(args) <= high:
        raise RuleEvalError(f"{name}() takes {low}..{high} arguments")
    if isinstance(target, RuleDataSnapshot) and name in SNAPSHOT_METHODS:
        return getattr(target, name)(*args)
    if isinstance(target, str) and name in STRING_METHODS:
        return _call_string(target, name, args)
    raise RuleEvalError(f"{name}() cannot be called on {type(target).__name__}")


def _call_string(text: str, name: str, args: list[Any]) -> Any:
    """The string methods of the rules language."""
    if name == "toLowerCase":
        return text.lower()
    if name == "toUpperCase":
        return text.upper()
    if name == "matches":
        if not isinstance(args[0], RuleRegex):
            raise RuleEvalError("matches() needs a regular expression literal")
        return args[0].search(text)
    if not all(isinstance(arg, str) for arg in args):
        raise RuleEvalError(f"{name}() needs string arguments")
    if name == "contains":
        return args[0] in text
    if name == "beginsWith":
        return text.startswith(args[0])
    if name == "endsWith":
        return text.endswith(args[0])
    return text.replace(args[0], args[1])  # replace(): every occurrence, as documented
