"""Evaluates a StructuredQuery (raw pb) against a store: source collections, filters,
ordering with the implicit ``__name__``, cursors, offset, limit and projection."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.cloud.firestore_v1.types import StructuredQuery

from emulator.firestore import field_paths
from emulator.firestore.errors import invalid
from emulator.firestore.history import StoreView
from emulator.firestore.names import DatabaseId
from emulator.firestore.ordering import NULL, compare, equal, type_rank
from emulator.firestore.store import Store, StoredDoc
from emulator.firestore.values import Reference, from_proto

NAME_FIELD = "__name__"
_FieldOp = StructuredQuery.FieldFilter.Operator
_UnaryOp = StructuredQuery.UnaryFilter.Operator
_DESCENDING = StructuredQuery.Direction.DESCENDING
INEQUALITIES = {
    _FieldOp.LESS_THAN,
    _FieldOp.LESS_THAN_OR_EQUAL,
    _FieldOp.GREATER_THAN,
    _FieldOp.GREATER_THAN_OR_EQUAL,
    _FieldOp.NOT_EQUAL,
    _FieldOp.NOT_IN,
}


@dataclass(frozen=True)
class Order:
    field: str  # canonical field path, or "__name__"
    descending: bool


@dataclass(frozen=True)
class Hit:
    """A document matched by a query."""

    path: str
    doc: StoredDoc


class QueryRunner:
    """One query over one database; ``run`` returns the matching documents in order."""

    def __init__(self, database: DatabaseId, parent: str, query: Any) -> None:
        self.database = database
        self.parent = parent
        self.query = query
        validate(query)
        self.orders = effective_orders(query)
        for cursor in (query.start_at, query.end_at):
            if len(cursor.values) > len(self.orders):
                raise invalid("A cursor has more values than the query has orders.")

    @property
    def collection_path(self) -> str:
        """The queried collection's path (for a collection group: just its id)."""
        source = _single_source(self.query)
        if source.all_descendants or not self.parent:
            return source.collection_id
        return f"{self.parent}/{source.collection_id}"

    @property
    def is_collection_group(self) -> bool:
        return bool(_single_source(self.query).all_descendants)

    def run(self, store: Store | StoreView, *, apply_limits: bool = True) -> list[Hit]:
        """Matching documents in query order, after cursors (and offset / limit)."""
        hits = [Hit(path, doc) for path, doc in self._source(store) if self.matches(path, doc)]
        # Each hit's order-by values, read once rather than at every comparison.
        keyed: list[tuple[list[Any], Hit]] = [(self._order_values(hit), hit) for hit in hits]

        def by_order(a: tuple[list[Any], Hit], b: tuple[list[Any], Hit]) -> int:
            return _compare_positions(a[0], b[0], self.orders)

        keyed.sort(key=functools.cmp_to_key(by_order))
        hits = [hit for values, hit in keyed if self._within_cursors(values)]
        if not apply_limits:
            return hits
        hits = hits[self.query.offset :]
        if self.query.HasField("limit"):
            hits = hits[: self.query.limit.value]
        return hits

    @property
    def is_limited(self) -> bool:
        """Whether offset or limit cut the results."""
        return self.query.HasField("limit") or self.query.offset > 0

    def run_for_field(self, store: Store | StoreView, field_path: str) -> list[Hit]:
        """What a sum() / avg() over ``field_path`` reads from a limited query, as the
        official emulator does: ordered by that field after the query's own orders, the
        documents without a number there left out, then offset and limit."""
        ordered = type(self.query)()
        ordered.CopyFrom(self.query)
        ordered.ClearField("limit")
        ordered.offset = 0
        if all(order.field.field_path != field_path for order in ordered.order_by):
            ordered.order_by.add(field=StructuredQuery.FieldReference.pb()(field_path=field_path))
        segments = field_paths.parse(field_path)
        numbers = [
            hit
            for hit in QueryRunner(self.database, self.parent, ordered).run(store)
            if _is_number(field_paths.lookup(hit.doc.data, segments))
        ]
        numbers = numbers[self.query.offset :]
        if self.query.HasField("limit"):
            numbers = numbers[: self.query.limit.value]
        return numbers

    def matches(self, path: str, doc: StoredDoc) -> bool:
        """Whether a document passes the filters and has every order-by field."""
        if not self.in_scope(path):
            return False
        if self.query.HasField("where") and not _filter_matches(
            self.query.where, lambda f: self._field(path, doc, f)
        ):
            return False
        return all(
            self._field(path, doc, order.field) is not field_paths.MISSING for order in self.orders
        )

    def admits(self, path: str, doc: StoredDoc) -> bool:
        """Whether a document is in the results of the query without offset / limit
        (filters, order-by fields present, between the cursors): for an unlimited query,
        whether it is in the results at all, judged without running the query."""
        return self.matches(path, doc) and self._within_cursors(self._order_values(Hit(path, doc)))

    def project(self, doc: StoredDoc) -> dict[str, Any]:
        """The fields a query's projection keeps (all when there is none)."""
        if not self.query.HasField("select"):
            return doc.data
        paths = [
            field_paths.parse(ref.field_path)
            for ref in self.query.select.fields
            if ref.field_path != NAME_FIELD
        ]
        return field_paths.project(doc.data, paths)

    def _source(self, store: Store | StoreView) -> Any:
        source = _single_source(self.query)
        if source.all_descendants:
            return store.in_group(self.parent, source.collection_id)
        return store.in_collection(self.collection_path)

    def in_scope(self, path: str) -> bool:
        """Whether a document path is in the queried collection(s)."""
        source = _single_source(self.query)
        collection, _, _ = path.rpartition("/")
        if source.all_descendants:
            prefix = f"{self.parent}/" if self.parent else ""
            wanted = source.collection_id
            id_ok = not wanted or collection.rsplit("/", 1)[-1] == wanted
            return id_ok and path.startswith(prefix) and collection != self.parent
        return collection == self.collection_path

    def _field(self, path: str, doc: StoredDoc, field: str) -> Any:
        if field == NAME_FIELD:
            return Reference(self.database.name(path))
        return field_paths.lookup(doc.data, field_paths.parse(field))

    def _order_values(self, hit: Hit) -> list[Any]:
        return [self._field(hit.path, hit.doc, order.field) for order in self.orders]

    def _within_cursors(self, values: list[Any]) -> bool:
        if self.query.HasField("start_at"):
            position = self._against_cursor(values, self.query.start_at)
            if position < 0 or (position == 0 and not self.query.start_at.before):
                return False
        if self.query.HasField("end_at"):
            position = self._against_cursor(values, self.query.end_at)
            if position > 0 or (position == 0 and self.query.end_at.before):
                return False
        return True

    def _against_cursor(self, values: list[Any], cursor: Any) -> int:
        bound = [
            self._cursor_value(v, order)
            for v, order in zip(cursor.values, self.orders, strict=False)
        ]
        return _compare_positions(values[: len(bound)], bound, self.orders)

    def _cursor_value(self, value: Any, order: Order) -> Any:
        native = from_proto(value)
        if order.field == NAME_FIELD and isinstance(native, str):
            # A bare id (or relative path) as cursor, relative to the queried collection.
            path = native if "/" in native else f"{self.collection_path}/{native}"
            return Reference(self.database.name(path))
        return native


def _compare_positions(a: list[Any], b: list[Any], orders: list[Order]) -> int:
    for x, y, order in zip(a, b, orders, strict=False):
        result = compare(x, y)
        if result:
            return -result if order.descending else result
    return 0


_COMPOSITE_OPS = {
    StructuredQuery.CompositeFilter.Operator.AND,
    StructuredQuery.CompositeFilter.Operator.OR,
}
_UNARY_OPS = {_UnaryOp.IS_NAN, _UnaryOp.IS_NULL, _UnaryOp.IS_NOT_NAN, _UnaryOp.IS_NOT_NULL}
_FIELD_OPS = INEQUALITIES | {
    _FieldOp.EQUAL,
    _FieldOp.IN,
    _FieldOp.ARRAY_CONTAINS,
    _FieldOp.ARRAY_CONTAINS_ANY,
}
_ARRAY_OPERANDS = {_FieldOp.IN: 30, _FieldOp.ARRAY_CONTAINS_ANY: 30, _FieldOp.NOT_IN: 10}


def validate(query: Any) -> None:
    """Rejects queries Firestore rejects, with INVALID_ARGUMENT."""
    _single_source(query)
    if query.offset < 0 or (query.HasField("limit") and query.limit.value < 0):
        raise invalid("Query offset and limit must not be negative.")
    if query.HasField("where"):
        _validate_filter(query.where)


def _validate_filter(filter_pb: Any) -> None:
    kind = filter_pb.WhichOneof("filter_type")
    if kind == "composite_filter":
        composite = filter_pb.composite_filter
        if not composite.filters or composite.op not in _COMPOSITE_OPS:
            raise invalid("A composite filter needs AND or OR and at least one filter.")
        for child in composite.filters:
            _validate_filter(child)
    elif kind == "unary_filter":
        if filter_pb.unary_filter.op not in _UNARY_OPS:
            raise invalid("A unary filter needs a known operator.")
        field_paths.parse(filter_pb.unary_filter.field.field_path)
    elif kind == "field_filter":
        ff = filter_pb.field_filter
        if ff.op not in _FIELD_OPS:
            raise invalid("A field filter needs a known operator.")
        field_paths.parse(ff.field.field_path)
        if _canonical(ff.field.field_path) == NAME_FIELD:
            _validate_name_operand(ff)
        limit = _ARRAY_OPERANDS.get(ff.op)
        if limit is None:
            return
        operand = from_proto(ff.value)
        if not isinstance(operand, list) or not operand or len(operand) > limit:
            name = _FieldOp(ff.op).name
            raise invalid(f"{name} needs a non-empty array of at most {limit} values.")
    elif kind is None:
        raise invalid("Empty filter.")


def _validate_name_operand(ff: Any) -> None:
    """A filter on the document name compares document references, never strings."""
    operand = from_proto(ff.value)
    items = (
        operand
        if ff.op in (_FieldOp.IN, _FieldOp.NOT_IN) and isinstance(operand, list)
        else [operand]
    )
    if not all(isinstance(item, Reference) for item in items):
        raise invalid("__key__ filter value must be a Key (a document reference).")


def _single_source(query: Any) -> Any:
    sources = query.from_
    if len(sources) != 1:
        raise invalid("A query must have exactly one collection selector.")
    if "/" in sources[0].collection_id:
        raise invalid(f"Collection id {sources[0].collection_id!r} cannot contain '/'.")
    return sources[0]


def effective_orders(query: Any) -> list[Order]:
    """Explicit orders, then inequality fields, then ``__name__`` as Firestore adds them."""
    orders = [
        Order(_canonical(o.field.field_path), o.direction == _DESCENDING) for o in query.order_by
    ]
    # Appended fields take the direction of the last explicit order (StructuredQuery.order_by).
    last_descending = orders[-1].descending if orders else False
    ordered = {order.field for order in orders}
    missing = sorted(
        {f for f in inequality_field_paths(query) if f != NAME_FIELD and f not in ordered}
    )
    orders += [Order(f, last_descending) for f in missing]
    if NAME_FIELD not in ordered:
        orders.append(Order(NAME_FIELD, last_descending))
    return orders


def _canonical(path: str) -> str:
    return path if path == NAME_FIELD else field_paths.render(field_paths.parse(path))


def inequality_field_paths(query: Any) -> list[str]:
    """Fields the query's filters constrain with an inequality."""
    if not query.HasField("where"):
        return []
    found: list[str] = []
    _collect_inequalities(query.where, found)
    return found


def _collect_inequalities(filter_pb: Any, found: list[str]) -> None:
    kind = filter_pb.WhichOneof("filter_type")
    if kind == "composite_filter":
        for child in filter_pb.composite_filter.filters:
            _collect_inequalities(child, found)
    elif kind == "field_filter" and filter_pb.field_filter.op in INEQUALITIES:
        found.append(_canonical(filter_pb.field_filter.field.field_path))
    elif kind == "unary_filter" and filter_pb.unary_filter.op in (
        _UnaryOp.IS_NOT_NAN,
        _UnaryOp.IS_NOT_NULL,
    ):
        found.append(_canonical(filter_pb.unary_filter.field.field_path))


def _filter_matches(filter_pb: Any, field_of: Callable[[str], Any]) -> bool:
    kind = filter_pb.WhichOneof("filter_type")
    if kind == "composite_filter":
        composite = filter_pb.composite_filter
        results = (_filter_matches(child, field_of) for child in composite.filters)
        if composite.op == StructuredQuery.CompositeFilter.Operator.OR:
            return any(results)
        return all(results)
    if kind == "field_filter":
        ff = filter_pb.field_filter
        return field_matches(field_of(ff.field.field_path), ff.op, from_proto(ff.value))
    if kind == "unary_filter":
        uf = filter_pb.unary_filter
        return unary_matches(field_of(uf.field.field_path), uf.op)
    raise invalid("Empty filter.")


def field_matches(value: Any, op: int, operand: Any) -> bool:
    """A field filter on a document's value (MISSING never matches)."""
    if value is field_paths.MISSING:
        return False
    if op == _FieldOp.NOT_EQUAL:
        return value is not None and compare(value, operand) != 0
    if op == _FieldOp.NOT_IN:
        if any(item is None for item in operand):
            return False
        return value is not None and not any(equal(value, item) for item in operand)
    if op == _FieldOp.IN:
        return any(equal(value, item) for item in operand)
    if op == _FieldOp.ARRAY_CONTAINS:
        return isinstance(value, list) and any(equal(item, operand) for item in value)
    if op == _FieldOp.ARRAY_CONTAINS_ANY:
        return isinstance(value, list) and any(
            equal(item, wanted) for item in value for wanted in operand
        )
    if type_rank(value) != type_rank(operand) or _is_nan(value) or _is_nan(operand):
        return False
    return _COMPARISONS[op](compare(value, operand))


_COMPARISONS: dict[int, Callable[[int], bool]] = {
    _FieldOp.EQUAL: lambda c: c == 0,
    _FieldOp.LESS_THAN: lambda c: c < 0,
    _FieldOp.LESS_THAN_OR_EQUAL: lambda c: c <= 0,
    _FieldOp.GREATER_THAN: lambda c: c > 0,
    _FieldOp.GREATER_THAN_OR_EQUAL: lambda c: c >= 0,
}


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def unary_matches(value: Any, op: int) -> bool:
    if value is field_paths.MISSING:
        return False
    is_nan = _is_nan(value)
    if op == _UnaryOp.IS_NAN:
        return is_nan
    if op == _UnaryOp.IS_NULL:
        return value is None
    if op == _UnaryOp.IS_NOT_NAN:
        return value is not None and not is_nan
    if op == _UnaryOp.IS_NOT_NULL:
        return type_rank(value) != NULL
    raise invalid(f"Unsupported unary operator {op}.")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
