"""List queries are judged against the query, not against stored documents.

Firestore does not evaluate a ``list`` rule per stored document: it asks whether the
rule holds for *every document the query could return* ("rules are not filters",
https://firebase.google.com/docs/firestore/security/rules-query). The engine does the
same by evaluating the condition once per disjunct of the query's filter with
``resource`` bound to a ``SymbolicResource``: a document known only through the
disjunct's filters.

* ``resource.data.f`` (also nested, ``resource.data.a.b``, or ``['f']``, or
  ``.get('f', d)``) is a ``SymbolicField``.
* A comparison of a symbolic field with a concrete value is decided from the filters
  on that field: ``f == X`` holds when the query has ``f == X`` (or ``f in [X]``),
  ``f in L`` when the query's ``==`` value or whole ``in`` list is inside ``L``,
  ``f != X`` when the query pins ``f`` to other values (``==``, ``in``) or excludes
  ``X`` (``!=``, ``not-in``), ranges when the query's range lies inside the rule's,
  ``X in f`` when the query has ``array-contains X``, ``'k' in resource.data`` (or in
  a map field) when the query filters on ``k``, ``f is T`` when the values the
  query pins f to (``==``, ``in``) are all of type T. When the filters prove the
  opposite, the comparison is false.
* Anything else about a symbolic value (an unconstrained field, a method call,
  arithmetic, ``resource.id``) is an evaluation error, so it cannot grant; ``&&`` and
  ``||`` still short-circuit around it as they do for any error.
* ``resource != null`` holds: every result is an existing document.

A query with several disjuncts (an OR query, or ``in`` split by the caller) is
allowed only when every disjunct is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulator.firestore_rules.api import FieldFilter
from emulator.firestore_rules.operators import compare, contains, is_type
from emulator.firestore_rules.values import EvalError, from_store, is_number, values_equal

_SEGMENT = re.compile(r"`((?:[^`\\]|\\.)*)`|([^.`]+)")
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def field_name(field_path: str) -> str:
    """A query's field path in the dotted form rules use (`a-b`.c -> a-b.c)."""
    parts = []
    for quoted, plain in _SEGMENT.findall(field_path):
        parts.append(re.sub(r"\\(.)", r"\1", quoted) if quoted else plain)
    return ".".join(parts)


@dataclass(frozen=True)
class SymbolicResource:
    """``resource`` in a list rule: one possible result of the query."""

    filters: tuple[FieldFilter, ...]

    @classmethod
    def of(cls, filters: list[FieldFilter], database: str = "(default)") -> SymbolicResource:
        """From a query disjunct: rules-style field names and values (references → paths)."""
        return cls(
            tuple(
                FieldFilter(field_name(f.field), f.op, from_store(f.value, database))
                for f in filters
            )
        )

    def member(self, name: str) -> Any:
        if name == "data":
            return SymbolicField(self.filters, ())
        raise EvalError(f"Property resource.{name} is not constrained by the query.")


@dataclass(frozen=True)
class SymbolicField:
    """A field of ``resource.data`` whose value is known only through the filters."""

    filters: tuple[FieldFilter, ...]
    path: tuple[str, ...]

    @property
    def name(self) -> str:
        """The dotted field path, as query filters name it ("" for the whole data map)."""
        return ".".join(self.path)

    def member(self, name: str) -> SymbolicField:
        return SymbolicField(self.filters, (*self.path, name))

    def on_field(self) -> list[FieldFilter]:
        return [f for f in self.filters if f.field == self.name]

    def unconstrained(self) -> EvalError:
        shown = ".".join(("resource.data", *self.path))
        return EvalError(f"Property {shown} is not constrained by the query.")


def is_symbolic(value: Any) -> bool:
    return isinstance(value, SymbolicResource | SymbolicField)


def symbolic_binary(op: str, left: Any, right: Any) -> bool:
    """Decides ``left op right`` when one side is symbolic, or raises EvalError."""
    if isinstance(left, SymbolicResource) or isinstance(right, SymbolicResource):
        return _resource_vs_null(op, right if isinstance(left, SymbolicResource) else left)
    if isinstance(left, SymbolicField) and not is_symbolic(right):
        return _judge(left, op, right)
    if isinstance(right, SymbolicField) and not is_symbolic(left):
        if op == "in":
            return _judge_contains(right, left)
        if op in _FLIPPED:
            return _judge(right, _FLIPPED[op], left)
    raise EvalError(f"Unsupported operation on query-dependent values: {op}.")


def _resource_vs_null(op: str, other: Any) -> bool:
    if other is None and op in ("==", "!="):
        return op == "!="
    raise EvalError("Property resource is not constrained by the query.")


def _judge(field: SymbolicField, op: str, value: Any) -> bool:
    judges = {"==": _judge_equal, "!=": _judge_not_equal, "in": _judge_in}
    judge = judges.get(op, _judge_range if op in ("<", "<=", ">", ">=") else None)
    if judge is None:
        raise field.unconstrained()
    for query_filter in field.on_field():
        verdict = judge(query_filter, op, value)
        if verdict is not None:
            return verdict
    raise field.unconstrained()


def _judge_equal(query: FieldFilter, op: str, value: Any) -> bool | None:
    if query.op == "==":
        return values_equal(query.value, value)
    if query.op == "in":
        matches = [values_equal(v, value) for v in query.value]
        return True if all(matches) else (False if not any(matches) else None)
    if query.op == "is-null":
        return value is None
    return None


def _judge_not_equal(query: FieldFilter, op: str, value: Any) -> bool | None:
    if query.op == "==":
        return not values_equal(query.value, value)
    if query.op == "in" and not any(values_equal(v, value) for v in query.value):
        return True
    if query.op == "not-in" and any(values_equal(v, value) for v in query.value):
        return True
    if query.op == "!=" and values_equal(query.value, value):
        return True
    if query.op == "is-not-null" and value is None:
        return True
    return None


def _judge_in(query: FieldFilter, op: str, value: Any) -> bool | None:
    if query.op == "==":
        return contains(value, query.value)
    if query.op == "in" and all(contains(value, v) for v in query.value):
        return True
    return None


def _judge_range(query: FieldFilter, op: str, bound: Any) -> bool | None:
    """True when every value the query admits satisfies ``op bound``."""
    if query.op == "==":
        return _safe_compare(op, query.value, bound)
    if query.op == "in" and all(_safe_compare(op, v, bound) for v in query.value):
        return True
    implied = {
        ("<", "<"): "<=",
        ("<", "<="): "<",
        ("<=", "<"): "<=",
        ("<=", "<="): "<=",
        (">", ">"): ">=",
        (">", ">="): ">",
        (">=", ">"): ">=",
        (">=", ">="): ">=",
    }
    needed = implied.get((op, query.op))
    if needed and _safe_compare(needed, query.value, bound):
        return True
    return None


def _safe_compare(op: str, left: Any, right: Any) -> bool:
    comparable = is_number(left) and is_number(right) or type(left) is type(right)
    return comparable and compare(op, left, right)


def symbolic_is(field: SymbolicField, type_name: str) -> bool:
    """``resource.data.f is T``: decided when the query pins f to values (== or in)."""
    for query_filter in field.on_field():
        pinned = {"==": [query_filter.value], "in": query_filter.value}.get(query_filter.op)
        if pinned:
            verdicts = [is_type(value, type_name) for value in pinned]
            if all(verdicts) or not any(verdicts):
                return verdicts[0]
    raise field.unconstrained()


def _judge_contains(field: SymbolicField, item: Any) -> bool:
    """``item in resource.data.f``: an array-contains filter proves it for a list; any
    filter on the key proves ``'k' in`` a map, since a query only matches documents
    that have the fields it filters on."""
    if isinstance(item, str) and field.member(item).on_field():
        return True
    for query_filter in field.on_field():
        if query_filter.op == "array-contains" and values_equal(query_filter.value, item):
            return True
        values = query_filter.value if query_filter.op == "array-contains-any" else None
        if values and all(values_equal(v, item) for v in values):
            return True
    raise field.unconstrained()
