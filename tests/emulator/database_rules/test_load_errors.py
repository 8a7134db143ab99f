"""load_rules rejects what Firebase would reject, and everything the engine does not support."""

from __future__ import annotations

import json

import pytest

from emulator.database_rules import RulesLoadError, load_rules


def rules_text(rules: dict) -> str:
    """A database.rules.json text for ``rules``."""
    return json.dumps({"rules": rules})


def read_rule(expression: str) -> str:
    """Rules with one .read expression at /x."""
    return rules_text({"x": {".read": expression}})


BAD_EXPRESSIONS = {
    "assignment": "auth = null",
    "bitwise and": "true & false",
    "bitwise or": "true | false",
    "in operator": "'a' in data.val()",
    "typeof": "typeof auth == 'object'",
    "computed index on a snapshot": "data[auth.uid].exists()",
    "index with a boolean": "auth.token[true] == true",
    "snapshot compared with null": "data.child('a') != null",
    "comparison with a boolean": "data.val() > true",
    "ternary mixing number and boolean": "auth.uid == 'x' ? 7 : true",
    "string method with a number argument": "auth.uid.contains(7)",
    "hasChildren with a number in the list": "data.hasChildren(['a', 7])",
    "hasChildren with a plain string": "data.hasChildren('a')",
    "property of a data value": "data.val().foo == 1",
    "list outside hasChildren": "['a'] == 'a'",
    "exponent operator": "(2**2) == 4",
    "string minus number": "'a' - 1 == 0",
    "string compared with a number": "'abc'.length >= 'a'",
    "negated string": "!'a'",
    "statement separator": "auth.uid === '5'; auth.id === 5",
    "free function call": "exists()",
    "unknown variable": "request.auth != null",
    "unknown $variable": "$uid == auth.uid",
    "newData in .read": "newData.exists()",
    "unknown snapshot method": "data.size() > 0",
    "snapshot method not called": "data.exists == true",
    "unknown string method": "'abc'.size() == 3",
    "unknown string property": "'abc'.size == 3",
    "query member that does not exist": "query.orderBy == 'x'",
    "regex outside matches()": "/abc/ == 1",
    "matches() with a string": "'abc'.matches('a')",
    "unsupported regex flag": "'abc'.matches(/a/g)",
    "invalid regex": "'abc'.matches(/(a/)",
    "number result": "1",
    "string result": "'yes'",
    "null result": "null",
    "snapshot result": "data",
    "data value as the whole rule": "data.val()",
    "ternary of a value and a boolean": "auth != null ? data.val() : false",
    "unbalanced parenthesis": "(true",
    "trailing operator": "true &&",
    "empty expression": "",
    "too many arguments": "data.child('a', 'b').exists()",
    "too few arguments": "data.child().exists()",
    "member of a number": "(1).length == 1",
    "increment": "now++ > 0",
    "comma expression": "true, false",
    "unterminated string": "'abc == 'abc'",
}


@pytest.mark.parametrize("expression", BAD_EXPRESSIONS.values(), ids=BAD_EXPRESSIONS.keys())
def test_bad_expression_is_rejected(expression: str) -> None:
    with pytest.raises(RulesLoadError):
        load_rules(read_rule(expression))


BAD_DOCUMENTS = {
    "not json": "{rules: }",
    "unterminated block comment": '{"rules": {".read": true}} /* no end',
    "no rules key": '{"other": {}}',
    "extra top-level key": '{"rules": {}, "functions": {}}',
    "rules not an object": '{"rules": true}',
    "duplicate key": '{"rules": {".read": true, ".read": false}}',
    "unknown dotted key": rules_text({"x": {".readd": True}}),
    ".value as a rule": rules_text({"x": {".value": True}}),
    "rule value is a number": rules_text({"x": {".read": 1}}),
    "rule value is a list": rules_text({"x": {".write": ["true"]}}),
    "two wildcards at one level": rules_text({"$a": {}, "$b": {}}),
    "same $variable twice on a path": rules_text({"$a": {"$a": {}}}),
    "child rules not an object": rules_text({"x": True}),
    "key with a forbidden character": rules_text({"a#b": {}}),
    ".indexOn with a number": rules_text({"x": {".indexOn": 3}}),
    "$variable used above its level": rules_text({"a": {".read": "$b == 'x'", "$b": {}}}),
}


@pytest.mark.parametrize("text", BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys())
def test_bad_document_is_rejected(text: str) -> None:
    with pytest.raises(RulesLoadError):
        load_rules(text)


def test_absurdly_long_expression_is_a_load_error_not_a_crash() -> None:
    with pytest.raises(RulesLoadError, match="nested too deeply"):
        load_rules(read_rule(" && ".join(["true"] * 1000)))


def test_error_names_the_location() -> None:
    with pytest.raises(RulesLoadError, match=r"\.write at /rooms/\$room/"):
        load_rules(rules_text({"rooms": {"$room": {".write": "data.nope()"}}}))


GOOD_EXPRESSIONS = [
    "auth != null && auth.uid == 'x'",
    "auth.token.email.matches(/.*@example[.]com$/i)",
    "root.child('a/b').child('c').val() === data.child('d').getPriority()",
    "query.orderByChild == 'owner' && query.limitToFirst <= 10",
    "now > 0 ? data.hasChildren() : !data.exists()",
    "-(1 + 2) * 3 / 4 % 5 < 0 || 'a' + 1 == 'a1'",
    "data.val() != null",
    "auth.token.admin",
    "auth.token['admin'] == true",
    "root['exists']() == false",
    "auth.uid['contains']('x')",
    "data.val().length < 100",
    "(1 / 0 + '') == 'NaN'",
    "data.val() >= null",
]


@pytest.mark.parametrize("expression", GOOD_EXPRESSIONS)
def test_supported_expression_loads(expression: str) -> None:
    assert load_rules(read_rule(expression)) is not None


def test_comments_are_allowed_outside_strings() -> None:
    text = """
    // line comment
    {
      /* block
         comment */
      "rules": {
        "x": {
          ".read": "'//not a comment' == '//not a comment'", // trailing comment
          ".write": "'/* nor this */'.length == 14"
        }
      }
    }
    """
    engine = load_rules(text)
    assert engine.can_read("x", None, None, 0).allowed
    assert engine.can_write({"x": 1}, None, None, {"x": 1}, 0).allowed


def test_expressions_may_span_lines() -> None:
    text = """{
      "rules": {
        ".write": true,
        "size": {
          // the value of "size" must be a number between 0 and 99
          ".validate": "newData.isNumber() &&
                        newData.val() >= 0 &&
                        newData.val() <= 99"
        }
      }
    }"""
    engine = load_rules(text)
    assert engine.can_write({"size": 5}, None, None, {"size": 5}, 0).allowed
    assert not engine.can_write({"size": 100}, None, None, {"size": 100}, 0).allowed


def test_escaped_quote_inside_rule_string_keeps_comment_markers() -> None:
    text = r'{"rules": {"x": {".read": "\"a//b\" == \"a//b\""}}}'
    assert load_rules(text).can_read("x", None, None, 0).allowed
