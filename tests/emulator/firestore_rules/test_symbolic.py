"""List-query judging: comparisons of symbolic fields decided from the query's filters."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.firestore.values import Reference
from emulator.firestore_rules.api import FieldFilter
from emulator.firestore_rules.symbolic import (
    SymbolicField,
    SymbolicResource,
    field_name,
    symbolic_binary,
    symbolic_is,
)
from emulator.firestore_rules.values import EvalError, RulesPath


def field(*filters: tuple[str, str, Any]) -> SymbolicField:
    resource = SymbolicResource(tuple(FieldFilter(*f) for f in filters))
    return resource.member("data").member("f")


@pytest.mark.parametrize(
    ("filters", "op", "value", "expected"),
    [
        ([("f", "==", 1)], "==", 1, True),
        ([("f", "==", 1)], "==", 2, False),
        ([("f", "in", [1])], "==", 1, True),
        ([("f", "in", [2, 3])], "==", 1, False),
        ([("f", "is-null", None)], "==", None, True),
        ([("f", "==", 1)], "!=", 2, True),
        ([("f", "not-in", [2, 3])], "!=", 2, True),
        ([("f", "!=", 2)], "!=", 2, True),
        ([("f", "in", [1, 2])], "in", [1, 2, 3], True),
        ([("f", "==", 4)], "in", [1, 2, 3], False),
        ([("f", ">", 5)], ">", 5, True),
        ([("f", ">=", 5)], ">", 5, None),
        ([("f", ">=", 6)], ">", 5, True),
        ([("f", "<", 3)], "<=", 3, True),
        ([("f", "<=", 3)], "<", 3, None),
        ([("f", "in", [1, 2])], "<", 3, True),
        ([("f", "==", "a")], "<", 3, False),
        ([("g", "==", 1)], "==", 1, None),
        ([], "==", 1, None),
    ],
)
def test_field_comparisons(filters: list, op: str, value: Any, expected: bool | None) -> None:
    target = field(*filters)
    if expected is None:
        with pytest.raises(EvalError, match="not constrained"):
            symbolic_binary(op, target, value)
    else:
        assert symbolic_binary(op, target, value) is expected


def test_flipped_operands() -> None:
    assert symbolic_binary("<", 3, field(("f", ">", 4))) is True
    assert symbolic_binary("==", 1, field(("f", "==", 1))) is True


def test_contains_needs_array_contains() -> None:
    assert symbolic_binary("in", "u1", field(("f", "array-contains", "u1"))) is True
    assert symbolic_binary("in", "u1", field(("f", "array-contains-any", ["u1"]))) is True
    with pytest.raises(EvalError):
        symbolic_binary("in", "u1", field(("f", "array-contains-any", ["u1", "u2"])))


def test_resource_exists_for_every_result() -> None:
    resource = SymbolicResource(())
    assert symbolic_binary("!=", resource, None) is True
    assert symbolic_binary("==", resource, None) is False
    with pytest.raises(EvalError):
        resource.member("id")


def test_nested_field_names() -> None:
    nested = SymbolicResource((FieldFilter("a.b", "==", 1),)).member("data").member("a")
    assert symbolic_binary("==", nested.member("b"), 1) is True


def test_quoted_field_paths_are_normalised() -> None:
    assert field_name("`a-b`.c") == "a-b.c"
    assert field_name("plain") == "plain"
    assert field_name("`x.y`") == "x.y"
    resource = SymbolicResource.of([FieldFilter("`a-b`", "==", 1)])
    assert symbolic_binary("==", resource.member("data").member("a-b"), 1) is True


def test_reference_filter_values_compare_as_paths() -> None:
    name = "projects/p/databases/(default)/documents/rooms/r1"
    resource = SymbolicResource.of([FieldFilter("room", "==", Reference(name))])
    room = RulesPath(("databases", "(default)", "documents", "rooms", "r1"))
    assert symbolic_binary("==", resource.member("data").member("room"), room) is True


def test_type_checks_from_pinned_values() -> None:
    assert symbolic_is(field(("f", "==", "a")), "string") is True
    assert symbolic_is(field(("f", "in", [1, 2])), "int") is True
    assert symbolic_is(field(("f", "==", 1)), "string") is False
    with pytest.raises(EvalError):
        symbolic_is(field(("f", "in", [1, "a"])), "int")
    with pytest.raises(EvalError):
        symbolic_is(field(("f", ">", 1)), "int")


def test_key_presence_from_any_filter_on_the_key() -> None:
    data = SymbolicResource.of([FieldFilter("owner", "==", "u1")]).member("data")
    assert symbolic_binary("in", "owner", data) is True
    with pytest.raises(EvalError):
        symbolic_binary("in", "other", data)
    nested = SymbolicResource.of([FieldFilter("meta.kind", "!=", "x")]).member("data")
    assert symbolic_binary("in", "kind", nested.member("meta")) is True
