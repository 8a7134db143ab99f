"""What a list query asks for, in the form the rules engine judges (filters in DNF)."""

from __future__ import annotations

from typing import Any, Literal

from google.cloud.firestore_v1.types import StructuredQuery

from emulator.firestore.query import effective_orders
from emulator.firestore.values import from_proto
from emulator.firestore_rules.api import FieldFilter, FilterOp, QueryConstraints

_FieldOp = StructuredQuery.FieldFilter.Operator
_UnaryOp = StructuredQuery.UnaryFilter.Operator
_FIELD_OPS: dict[Any, FilterOp] = {
    _FieldOp.LESS_THAN: "<",
    _FieldOp.LESS_THAN_OR_EQUAL: "<=",
    _FieldOp.GREATER_THAN: ">",
    _FieldOp.GREATER_THAN_OR_EQUAL: ">=",
    _FieldOp.EQUAL: "==",
    _FieldOp.NOT_EQUAL: "!=",
    _FieldOp.IN: "in",
    _FieldOp.NOT_IN: "not-in",
    _FieldOp.ARRAY_CONTAINS: "array-contains",
    _FieldOp.ARRAY_CONTAINS_ANY: "array-contains-any",
}
_UNARY_OPS: dict[Any, FilterOp] = {
    _UnaryOp.IS_NULL: "is-null",
    _UnaryOp.IS_NOT_NULL: "is-not-null",
    _UnaryOp.IS_NAN: "is-nan",
    _UnaryOp.IS_NOT_NAN: "is-not-nan",
}


def constraints_of(query: Any) -> QueryConstraints:
    """The QueryConstraints of a StructuredQuery (raw pb)."""
    disjuncts = _dnf(query.where) if query.HasField("where") else [[]]
    orders: list[tuple[str, Literal["ASCENDING", "DESCENDING"]]] = [
        (order.field, "DESCENDING" if order.descending else "ASCENDING")
        for order in effective_orders(query)
    ]
    return QueryConstraints(
        disjuncts=disjuncts,
        limit=query.limit.value if query.HasField("limit") else None,
        offset=query.offset or None,
        order_by=orders,
    )


def _dnf(filter_pb: Any) -> list[list[FieldFilter]]:
    kind = filter_pb.WhichOneof("filter_type")
    if kind == "field_filter":
        ff = filter_pb.field_filter
        return [[FieldFilter(ff.field.field_path, _FIELD_OPS[ff.op], from_proto(ff.value))]]
    if kind == "unary_filter":
        uf = filter_pb.unary_filter
        return [[FieldFilter(uf.field.field_path, _UNARY_OPS[uf.op])]]
    composite = filter_pb.composite_filter
    children = [_dnf(child) for child in composite.filters]
    if composite.op == StructuredQuery.CompositeFilter.Operator.OR:
        return [conjunction for child in children for conjunction in child]
    product: list[list[FieldFilter]] = [[]]
    for child in children:
        product = [left + right for left in product for right in child]
    return product
