"""Property tests: whatever the data, path, auth or expression, the engine answers allow or
deny (or RulesLoadError at load time) and never lets another exception escape."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.database_rules import RulesDecision, RulesLoadError, load_rules

from .operations import apply_writes

ROOT = Path(__file__).resolve().parents[3]
KEYS = st.sampled_from(
    [
        "a",
        "b",
        "typing",
        "status",
        "roomMembers",
        "u1",
        "r1",
        "connections",
        "s1",
        "startedAt",
        "lastActive",
        "device",
        "x",
        "1",
    ]
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
TREES = st.recursive(
    LEAVES, lambda children: st.dictionaries(KEYS, children, max_size=4), max_leaves=20
)
PATHS = st.lists(KEYS, max_size=5).map("/".join)
AUTHS = st.one_of(
    st.none(),
    st.builds(
        lambda uid, claims: {"uid": uid, "provider": "custom", "token": {"sub": uid, **claims}},
        st.sampled_from(["u1", "u2"]),
        st.dictionaries(st.sampled_from(["admin", "email"]), LEAVES),
    ),
)
NOW = 1_700_000_000_000

PROJECT_RULES = (
    load_rules((ROOT / "database.rules.json").read_text())
    if (ROOT / "database.rules.json").exists()
    else load_rules('{"rules": {}}')
)


@settings(max_examples=100, deadline=None)
@given(tree=TREES, path=PATHS, auth=AUTHS, value=TREES)
def test_project_rules_always_decide(
    tree: object, path: str, auth: dict | None, value: object
) -> None:
    read = PROJECT_RULES.can_read(path, auth, tree, NOW)
    after = apply_writes(tree, {path: value})
    write = PROJECT_RULES.can_write({path: value}, auth, tree, after, NOW)
    assert isinstance(read, RulesDecision) and isinstance(write, RulesDecision)


VALUES = st.sampled_from(
    [
        "auth",
        "auth.uid",
        "auth.token.admin",
        "auth.token.email",
        "now",
        "$w",
        "null",
        "true",
        "1",
        "-2.5",
        "'x'",
        "''",
        "data.val()",
        "newData.val()",
        "newData.child('b').val()",
        "data.getPriority()",
        "auth.token[$w]",
        "root.child($w).val()",
        "data.parent().val()",
    ]
)
STRING_SUFFIXES = st.sampled_from(
    [
        "",
        "",
        ".length",
        ".contains('x')",
        ".beginsWith($w)",
        ".replace('a', 'b')",
        ".toUpperCase()",
        ".matches(/^[a-z]+$/i)",
    ]
)
CHECKS = st.sampled_from(
    [
        "data.exists()",
        "newData.hasChildren()",
        "newData.hasChildren(['a', 'b'])",
        "data.hasChild('a')",
        "newData.isString()",
        "newData.isNumber()",
        "data.parent().exists()",
        "root.child('a/b').isBoolean()",
        "newData.child($w).exists()",
    ]
)
OPERATORS = st.sampled_from(["==", "!=", "===", "<", ">=", "+", "-", "*", "/", "%", "&&", "||"])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Random, often ill-typed, rule expressions built from the language's pieces."""
    term = draw(st.one_of(CHECKS, st.tuples(VALUES, STRING_SUFFIXES).map("".join)))
    if depth < 2 and draw(st.booleans()):
        other = draw(expressions(depth + 1))
        term = f"({term} {draw(OPERATORS)} {other})"
    if draw(st.integers(0, 5)) == 0:
        term = f"!{term}" if draw(st.booleans()) else f"{term} ? true : false"
    return term


@settings(max_examples=150, deadline=None)
@given(expression=expressions(), tree=TREES, auth=AUTHS, value=TREES)
def test_any_expression_loads_or_is_refused_and_then_decides(
    expression: str, tree: object, auth: dict | None, value: object
) -> None:
    rules = {"$w": {".write": expression, ".validate": expression}}
    try:
        engine = load_rules(json.dumps({"rules": rules}))
    except RulesLoadError:
        return
    after = apply_writes(tree, {"a": value})
    decision = engine.can_write({"a": value}, auth, tree, after, NOW)
    assert isinstance(decision, RulesDecision)
