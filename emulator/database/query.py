"""Queries (orderBy, ranges, limits) from REST parameters or the wire protocol's query object."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.database import tree
from emulator.database.ordering import MAX_KEY, MIN_KEY, key_order, value_order
from emulator.database_rules.api import ReadQuery


class InvalidQueryError(ValueError):
    """Query parameters Firebase would refuse with 400."""


@dataclass(frozen=True)
class Bound:
    """One end of a range: an order value, an optional key to break ties, inclusiveness."""

    value: Any
    name: str | None = None
    inclusive: bool = True


@dataclass(frozen=True)
class Query:
    """A query on a location: index is "$key", "$value", "$priority" or a child path."""

    index: str = "$priority"
    start: Bound | None = None
    end: Bound | None = None
    limit: int | None = None
    from_right: bool = False

    @property
    def loads_all_data(self) -> bool:
        """Whether the query returns every child (ordering alone filters nothing)."""
        return self.start is None and self.end is None and self.limit is None

    def apply(self, value: Any) -> Any:
        """The part of ``value`` this query selects, children in query order."""
        if not tree.has_children(value) or self.loads_all_data:
            return value
        # Each child's order is computed once; bounds once per query, not per child.
        ranked = sorted(
            (
                (self._order(key, child), key, child)
                for key, child in tree.children_of(value).items()
            ),
            key=lambda item: item[0],
        )
        in_range = self._range_test()
        kept = [(key, child) for order, key, child in ranked if in_range(order)]
        if self.limit is not None:
            kept = kept[-self.limit :] if self.from_right else kept[: self.limit]
            kept = kept if self.limit > 0 else []
        return dict(kept) or None

    def to_rules_query(self) -> ReadQuery:
        """The view of this query that read rules get as ``query.*``."""
        is_child = self.index not in ("$key", "$value", "$priority")
        return ReadQuery(
            order_by_key=self.index == "$key",
            order_by_value=self.index == "$value",
            order_by_priority=self.index == "$priority",
            order_by_child=self.index if is_child else None,
            start_at=self.start.value if self.start else None,
            end_at=self.end.value if self.end else None,
            equal_to=self.start.value if self.start and self.start == self.end else None,
            limit_to_first=self.limit if self.limit is not None and not self.from_right else None,
            limit_to_last=self.limit if self.limit is not None and self.from_right else None,
        )

    def _sort_value(self, key: str, child: Any) -> Any:
        if self.index == "$value":
            return tree.value_of(child)
        if self.index == "$priority":
            return tree.priority_of(child)
        return tree.value_of(tree.get(child, self.index))

    def _order(self, key: str, child: Any) -> tuple[Any, ...]:
        if self.index == "$key":
            return (key_order(key),)
        return (value_order(self._sort_value(key, child)), key_order(key))

    def _bound_order(self, bound: Bound, at_start: bool) -> tuple[Any, ...]:
        if self.index == "$key":
            return (key_order(str(bound.value)),)
        if bound.name is not None:
            name = _SDK_NAME_SENTINELS.get(bound.name) or key_order(bound.name)
        else:
            # Without a key, an inclusive start takes every key of that value, an exclusive
            # start none of them; mirrored for the end.
            name = MIN_KEY if at_start == bound.inclusive else MAX_KEY
        return (value_order(bound.value), name)

    def _range_test(self) -> Callable[[tuple[Any, ...]], bool]:
        """A test of a child's order against this query's start and end."""
        low = self._bound_order(self.start, at_start=True) if self.start else None
        high = self._bound_order(self.end, at_start=False) if self.end else None
        low_open = self.start is not None and not self.start.inclusive
        high_open = self.end is not None and not self.end.inclusive

        def in_range(order: tuple[Any, ...]) -> bool:
            if low is not None and (order < low or (order == low and low_open)):
                return False
            return high is None or not (order > high or (order == high and high_open))

        return in_range


def _json_param(params: dict[str, str], name: str) -> Any:
    try:
        return json.loads(params[name])
    except ValueError as error:
        raise InvalidQueryError(f"{name} must be a valid JSON value") from error


def _int_param(params: dict[str, str], name: str) -> int:
    try:
        number = int(params[name])
    except ValueError as error:
        raise InvalidQueryError(f"{name} must be an integer") from error
    if number < 0:
        raise InvalidQueryError(f"{name} must be a positive integer")
    return number


_FILTERS = ("startAt", "startAfter", "endAt", "endBefore", "equalTo", "limitToFirst", "limitToLast")


def from_rest(params: dict[str, str]) -> Query | None:
    """The query of a REST request, None when it has no orderBy."""
    if "orderBy" not in params:
        if any(name in params for name in _FILTERS):
            raise InvalidQueryError(
                "orderBy must be defined when other query parameters are defined"
            )
        return None
    index = _json_param(params, "orderBy")
    if not isinstance(index, str) or not index:
        raise InvalidQueryError("orderBy must be a valid JSON encoded path")
    if "limitToFirst" in params and "limitToLast" in params:
        raise InvalidQueryError("Only one of limitToFirst and limitToLast may be specified")
    start = _rest_bound(params, ("startAt", "startAfter"), index)
    end = _rest_bound(params, ("endAt", "endBefore"), index)
    if "equalTo" in params:
        if start or end:
            raise InvalidQueryError("equalTo cannot be specified in addition to startAt or endAt")
        start = end = _checked_bound(_json_param(params, "equalTo"), index, True)
    limit, from_right = None, False
    if "limitToFirst" in params:
        limit = _int_param(params, "limitToFirst")
    if "limitToLast" in params:
        limit, from_right = _int_param(params, "limitToLast"), True
    return Query(index=index, start=start, end=end, limit=limit, from_right=from_right)


def _rest_bound(params: dict[str, str], names: tuple[str, str], index: str) -> Bound | None:
    inclusive_name, exclusive_name = names
    if inclusive_name in params:
        return _checked_bound(_json_param(params, inclusive_name), index, True)
    if exclusive_name in params:
        return _checked_bound(_json_param(params, exclusive_name), index, False)
    return None


def _checked_bound(value: Any, index: str, inclusive: bool) -> Bound:
    if index == "$key" and not isinstance(value, str):
        raise InvalidQueryError('orderBy "$key" requires string values for ranges')
    if isinstance(value, dict | list):
        raise InvalidQueryError("Query values must be strings, numbers, booleans or null")
    return Bound(value=value, inclusive=inclusive)


_WIRE_INDEX = {".key": "$key", ".value": "$value", ".priority": "$priority"}
# The SDKs send startAfter(v) as (v, "[MAX_NAME]") exclusive and endBefore(v) as
# (v, "[MIN_NAME]") exclusive: these names sort before / after every key.
_SDK_NAME_SENTINELS = {"[MIN_NAME]": MIN_KEY, "[MAX_NAME]": MAX_KEY}


def from_wire(spec: dict[str, Any] | None) -> Query:
    """The query of a listen request (the SDK's query object: sp sn sin ep en ein l vf i)."""
    if not spec:
        return Query()
    raw_index = spec.get("i", ".priority")
    if not isinstance(raw_index, str) or not raw_index:
        raise InvalidQueryError("Query index must be a non-empty string")
    start = _wire_bound(spec, "sp", "sn", "sin")
    end = _wire_bound(spec, "ep", "en", "ein")
    limit = spec.get("l")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InvalidQueryError("Query limit must be a positive integer")
    return Query(
        index=_WIRE_INDEX.get(raw_index, raw_index),
        start=start,
        end=end,
        limit=limit,
        from_right=spec.get("vf") == "r",
    )


def _wire_bound(
    spec: dict[str, Any], value_key: str, name_key: str, inclusive_key: str
) -> Bound | None:
    if value_key not in spec:
        return None
    value, name = spec[value_key], spec.get(name_key)
    if isinstance(value, dict | list) or (name is not None and not isinstance(name, str)):
        raise InvalidQueryError("Query bounds must be primitives, names strings")
    return Bound(value, name, bool(spec.get(inclusive_key, True)))
