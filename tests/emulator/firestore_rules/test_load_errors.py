"""Rules the engine cannot judge faithfully fail at load time, never silently allow."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.firestore_rules import RulesLoadError, load_ruleset
from tests.emulator.firestore_rules.case_types import rules_file

ROOT = Path(__file__).resolve().parents[3]


def _body(statement: str) -> str:
    return rules_file(f"    match /a/{{id}} {{\n      {statement}\n    }}")


BAD_SOURCES = [
    ("syntax error", _body("allow get: if (true;"), "syntax error"),
    (
        "missing closing brace",
        "rules_version = '2'; service cloud.firestore { match /a/{b} {",
        "syntax error",
    ),
    (
        "another service",
        "service firebase.storage { match /b/{bucket}/o { } }",
        "unsupported service",
    ),
    ("unknown rules_version", "rules_version = '3'; service cloud.firestore { }", "rules_version"),
    ("allow outside a match", "service cloud.firestore { allow read; }", "outside of a match"),
    ("unknown method", _body("allow reed: if true;"), "unknown method 'reed'"),
    ("unknown variable", _body("allow get: if foo == 1;"), "unknown variable 'foo'"),
    ("unknown function", _body("allow get: if isFoo();"), "unknown function 'isFoo'"),
    ("unknown type method", _body("allow get: if 'a'.sizee() == 1;"), "unknown method sizee"),
    (
        "timestamp has hours(), not hour()",
        _body("allow get: if request.time.hour() == 1;"),
        "unknown method hour",
    ),
    (
        "unknown namespace function",
        _body("allow get: if math.foo(1) == 1;"),
        "unknown function math.foo",
    ),
    ("namespace property", _body("allow get: if math.pi > 3;"), "of a namespace"),
    ("unknown is type", _body("allow get: if 1 is strin;"), "unknown type 'strin'"),
    (
        "wrong arity",
        rules_file("    function f(a) { return a; }\n    match /a/{id} { allow get: if f(1, 2); }"),
        "takes 1 arguments",
    ),
    (
        "direct recursion",
        rules_file("    function f(a) { return f(a); }\n    match /a/{id} { allow get: if f(1); }"),
        "recursion",
    ),
    (
        "indirect recursion",
        rules_file(
            "    function f() { return g(); }\n    function g() { return f(); }\n"
            "    match /a/{id} { allow get: if f(); }"
        ),
        "recursion",
    ),
    (
        "function of a sibling match is not visible",
        rules_file(
            "    match /a/{id} { function f() { return true; } }\n"
            "    match /b/{id} { allow get: if f(); }"
        ),
        "unknown function 'f'",
    ),
    (
        "inner wildcard not visible outside",
        rules_file("    match /a/{id} { allow get: if inner == 'x'; match /b/{inner} { } }"),
        "unknown variable 'inner'",
    ),
    (
        "undefined name in a let",
        rules_file(
            "    function f() { let x = nothing; return x; }\n"
            "    match /a/{id} { allow get: if f(); }"
        ),
        "unknown variable 'nothing'",
    ),
    (
        "let before rules_version 2",
        "service cloud.firestore { match /databases/{d}/documents {"
        " function f() { let x = 1; return x == 1; } match /a/{b} { allow get: if f(); } } }",
        "let bindings need rules_version '2'",
    ),
    (
        "more than 10 lets",
        rules_file(
            "    function f() { "
            + " ".join(f"let v{i} = {i};" for i in range(11))
            + " return true; }\n    match /a/{id} { allow get: if f(); }"
        ),
        "more than 10 let bindings",
    ),
    (
        "let used before it is bound",
        rules_file(
            "    function f() { let a = b + 1; let b = 1; return a == 2; }\n"
            "    match /a/{id} { allow get: if f(); }"
        ),
        "unknown variable 'b'",
    ),
    (
        "two recursive wildcards",
        rules_file("    match /{a=**}/x/{b=**} { allow get; }"),
        "at most one recursive wildcard",
    ),
    (
        "recursive wildcard not last in version 1",
        "service cloud.firestore { match /databases/{d}/documents { "
        "match /{a=**}/x/{b} { allow get; } } }",
        "must be last",
    ),
    (
        "nested match under a recursive wildcard",
        rules_file("    match /{a=**} { match /x/{b} { allow get; } }"),
        "no nested match",
    ),
    ("invalid wildcard segment", rules_file("    match /a/{b-c} { allow get; }"), "syntax error"),
]


@pytest.mark.parametrize(
    ("name", "source", "fragment"), BAD_SOURCES, ids=[b[0] for b in BAD_SOURCES]
)
def test_load_error(name: str, source: str, fragment: str) -> None:
    with pytest.raises(RulesLoadError) as raised:
        load_ruleset(source)
    assert fragment in str(raised.value)


def test_load_error_names_the_line() -> None:
    with pytest.raises(RulesLoadError, match=r"^L5: unknown variable 'foo'"):
        load_ruleset(_body("allow get: if foo;"))


def test_project_rules_file_loads() -> None:
    load_ruleset((ROOT / "firestore.rules").read_text())


GOOD_SOURCES = [
    (
        "comments everywhere",
        "// head\nrules_version = '2'; /* block */ service cloud.firestore"
        " { // x\n match /databases/{database}/documents { /* y */ } }",
    ),
    ("allow without a condition", _body("allow read, write;")),
    (
        "version 1 without rules_version",
        "service cloud.firestore { match /databases/{d}/documents"
        " { match /a/{b=**} { allow read: if true; } } }",
    ),
    (
        "service-level function used in a match",
        rules_file(
            "    match /a/{id} { allow get: if g(id); }\n  }\n  function g(x) { return x == 'a';"
        ),
    ),
    (
        "ten lets",
        rules_file(
            "    function f() { "
            + " ".join(f"let v{i} = {i};" for i in range(10))
            + " return true; }\n    match /a/{id} { allow get: if f(); }"
        ),
    ),
    (
        "let bindings and trailing commas",
        rules_file(
            "    function f() { let a = [1, 2,]; let m = {'k': 1,}; return a.size() == 2; }\n"
            "    match /a/{id} { allow get: if f(); }"
        ),
    ),
]


@pytest.mark.parametrize(("name", "source"), GOOD_SOURCES, ids=[g[0] for g in GOOD_SOURCES])
def test_loads(name: str, source: str) -> None:
    load_ruleset(source)


def test_absurdly_deep_nesting_is_a_load_error() -> None:
    deep = "!" * 3000 + "true"
    with pytest.raises(RulesLoadError):
        load_ruleset(_body(f"allow get: if {deep};"))
