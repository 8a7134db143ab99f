"""Fine points of expression evaluation, checked directly on the engine."""

from __future__ import annotations

import json

import pytest

from emulator.database_rules import auth_from_claims, load_rules

from .case_types import user

DATA = {
    "x": {"s": "ab-ab-ab", "n": 7, "neg": -7, "f": 2.5, "b": True, "emoji": "a😀", "obj": {"k": 1}}
}
AUTH = auth_from_claims(user("u1", email="U1@Example.com", roles={"admin": True}, level=3))


def grants(expression: str, auth: dict | None = AUTH) -> bool:
    """True when a .read rule at /x with ``expression`` grants a read of /x."""
    engine = load_rules(json.dumps({"rules": {"x": {".read": expression}}}))
    return engine.can_read("x", auth, DATA, 1_700_000_000_000).allowed


TRUE_EXPRESSIONS = [
    "data.child('s').val().replace('ab', 'c') == 'c-c-c'",
    "data.child('s').val().length == 8",
    "data.child('emoji').val().length == 3",  # UTF-16 code units, as JavaScript counts
    "data.child('neg').val() % 4 == -3",  # the remainder keeps the dividend's sign
    "data.child('n').val() / 2 == 3.5",
    "data.child('f').val() * 2 == 5",
    "'n' + data.child('f').val() == 'n2.5'",
    "'n' + data.child('n').val() / 7 == 'n1'",
    "1 + 2 * 3 == 7 && (1 + 2) * 3 == 9",
    "10 - 2 - 3 == 5 && 24 / 4 / 2 == 3",
    "!false && !!true",
    "-data.child('n').val() == -7",
    "true ? true : false",
    "false ? false : true ? true : false",
    "now == 1700000000000",
    "now > 0 && now - 1 < now",
    "auth.token.email.toLowerCase() == 'u1@example.com'",
    "auth.token.roles.admin == true",
    "auth.token.firebase.identities[0] == null",
    "auth.token.level >= 3",
    "auth.token.firebase.sign_in_provider == 'password'",
    "auth.token.missing == null",
    "auth.token.missing.deeper == null",
    "data.child('obj').val() != null",
    "data.child('obj').hasChildren(['k']) && !data.child('obj').hasChildren(['k', 'z'])",
    "data.child('b').isBoolean() && data.child('b').val() === true",
    "data.child('s').val().matches(/^(ab-?)+$/)",
    "data.child('s').val().matches(/AB/i) && !data.child('s').val().matches(/AB/)",
    "data.child('s').val() < 'b' && 'b' > 'ab'",
    "'a/b'.matches(/^[/a-z]+$/) && 'a/b'.matches(/^a\\/b$/) && 8 / 4 / 2 == 1",
    "root.child('x/s').val() == data.child('s').val()",
    "data.child('s').parent().child('n').val() == 7",
    "\"double\" == 'double' && 'it\\'s' == \"it's\"",
    "'\\u0041' == 'A'",
    "1e3 == 1000 && .5 == 0.5",
    "data.child('none').val() >= data.child('none').val()",
]


@pytest.mark.parametrize("expression", TRUE_EXPRESSIONS)
def test_expression_is_true(expression: str) -> None:
    assert grants(expression)


FALSE_EXPRESSIONS = [
    "data.child('n').val() == '7'",  # no coercion
    "data.child('b').val() == 1",
    "data.child('missing').val() > 1",  # null in a comparison is an error
    "data.child('n').val() >= null",
    "data.child('none').val() < data.child('none').val()",
    "data.child('obj').val() == 'x'",
    "data.child('n').val().length == 1",  # number has no length: error
    "data.child('s').val().contains(data.child('n').val())",  # number argument: error
    "data.child('s').child('deeper').exists()",
    "auth.token.roles.admin.x == null && false",
    "data.child('n').val() + data.child('missing').val() == 7",
    "data.child('missing').val().length == 0",
    "auth.token.email.beginsWith(auth.token.missing)",
    "data.val() == null",
    "data.child('a.b').exists() && false",
]


@pytest.mark.parametrize("expression", FALSE_EXPRESSIONS)
def test_expression_is_false_or_fails(expression: str) -> None:
    assert not grants(expression)


def test_a_claim_as_the_whole_rule_grants_only_when_exactly_true() -> None:
    # Loads (an auth value may be a boolean); a non-boolean value at run time denies.
    assert grants("auth.token.roles.admin")
    assert not grants("auth.token.email")
    assert not grants("auth.token.level")


def test_signed_out_auth_members_are_null() -> None:
    assert grants("auth == null && auth.uid == null && auth.token.email == null", auth=None)
    assert grants("auth.uid.length == null", auth=None)
    assert not grants("auth.uid.length > 0", auth=None)  # null > 0 is an error
    assert not grants("auth.uid.contains('a') == false", auth=None)  # method of null
