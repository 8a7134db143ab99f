"""Expression-language cases: each is one condition on a get of the probe document.

The probe document holds one field of every Firestore type; a case allows exactly when
its condition is true, so every expectation below is the documented value of an
expression.
"""

from __future__ import annotations

from typing import Any

from emulator.firestore.values import GeoPoint, Reference, Timestamp
from tests.emulator.firestore_rules.case_types import ALICE, Actor, Get, RulesCase

PROBE_PATH = "probe/doc"
PROBE: dict[str, Any] = {
    "s": "Hello World",
    "n": 42,
    "f": 1.5,
    "yes": True,
    "nul": None,
    "l": [1, 2, 3],
    "tags": ["a", "b"],
    "m": {"k": "v", "nested": {"x": 1}},
    # 2026-01-01T12:30:45.123456Z, a Thursday
    "t": Timestamp(1_767_270_645, 123_456_000),
    "raw": b"\x01\xff",
    "geo": GeoPoint(48.8566, 2.3522),
    "ref": Reference("projects/demo-flowchat/databases/(default)/documents/rooms/r1"),
}


def probe(name: str, condition: str, allowed: bool, doc: str, actor: Actor = ALICE) -> RulesCase:
    """A get of the probe document under ``allow get: if <condition>``."""
    rules = f"    match /probe/{{docId}} {{\n      allow get: if {condition};\n    }}"
    return RulesCase(
        name=name,
        rules=rules,
        request=Get(PROBE_PATH),
        allowed=allowed,
        actor=actor,
        seed={PROBE_PATH: PROBE},
        doc=doc,
    )


def _group(topic: str, doc: str, rows: list[tuple[str, str, bool]]) -> list[RulesCase]:
    return [probe(f"{topic}: {name}", condition, allowed, doc) for name, condition, allowed in rows]


D = "resource.data"

# https://firebase.google.com/docs/reference/security/storage (section "Errors"; the rules
# language is shared with Cloud Firestore): an error never grants; && and || short-circuit
# around errors: "error && false" and "false && error" are false, "error || true" and
# "true || error" are true; any other use of an error is an error.
ERRORS_DOC = "https://firebase.google.com/docs/reference/security/storage"
ERRORS = _group(
    "errors",
    ERRORS_DOC,
    [
        ("error alone denies", f"{D}.missing == 1", False),
        ("error || true allows", f"{D}.missing == 1 || true", True),
        ("true || error allows", f"true || {D}.missing == 1", True),
        ("error && false denies", f"{D}.missing == 1 && false", False),
        ("false && error denies", f"false && {D}.missing == 1", False),
        ("true && error denies", f"true && {D}.missing == 1", False),
        ("error || false denies", f"{D}.missing == 1 || false", False),
        ("!error denies", f"!({D}.missing == 1)", False),
        ("null member access denies", f"{D}.nul.x == 1", False),
        ("non-boolean condition denies", "1", False),
        ("type mismatch in + denies", f"{D}.s + 1 == 'x'", False),
        ("integer division by zero denies", "1 / 0 == 0", False),
        ("unknown method on a value denies", f"{D}.n.size() == 1", False),
        ("index out of range denies", f"{D}.l[5] == 1", False),
    ],
)

# https://firebase.google.com/docs/rules/rules-language (operators and their precedence) and
# the type pages of https://firebase.google.com/docs/reference/rules/rules (Integer division,
# Number comparisons, String concatenation, `in` on List and Map keys).
OPERATORS_DOC = "https://firebase.google.com/docs/rules/rules-language"
OPERATORS = _group(
    "operators",
    OPERATORS_DOC,
    [
        ("int arithmetic", "1 + 2 * 3 == 7", True),
        ("parentheses", "(1 + 2) * 3 == 9", True),
        ("int division truncates", "7 / 2 == 3", True),
        ("modulo", "7 % 3 == 1", True),
        ("float arithmetic", "1.5 * 2 == 3.0", True),
        ("int equals float of same value", "2 == 2.0", True),
        ("unary minus", f"-{D}.n == -42", True),
        ("string concatenation", "'ab' + 'cd' == 'abcd'", True),
        ("string comparison", "'abc' < 'abd'", True),
        ("number comparison mixes int and float", "1 < 1.5 && 2.0 >= 2", True),
        ("not equal", f"{D}.s != 'other'", True),
        ("logical not", "!false", True),
        ("ternary true branch", f"{D}.yes ? true : false", True),
        ("ternary false branch", f"!{D}.yes ? true : false", False),
        ("in list", "2 in [1, 2, 3]", True),
        ("not in list", "!(4 in [1, 2, 3])", True),
        ("in map checks keys", f"'k' in {D}.m", True),
        ("in map does not check values", f"!('v' in {D}.m)", True),
        ("precedence: && binds tighter than ||", "true || false && false", True),
        ("comparison of different types errors", "'a' < 1", False),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules (the types: Boolean, Bytes, Duration,
# Float, Integer, LatLng, List, Map, MapDiff, Number, Path, Set, String, Timestamp), checked
# with `is`: bool, int, float, number, string, list, map, timestamp, duration, path, latlng,
# bytes, set.
TYPES = _group(
    "types",
    "https://firebase.google.com/docs/reference/rules/rules",
    [
        ("string is string", f"{D}.s is string", True),
        ("int is int", f"{D}.n is int", True),
        ("int is number", f"{D}.n is number", True),
        ("int is not float", f"!({D}.n is float)", True),
        ("float is float and number", f"{D}.f is float && {D}.f is number", True),
        ("bool is bool", f"{D}.yes is bool", True),
        ("list is list", f"{D}.l is list", True),
        ("map is map", f"{D}.m is map", True),
        ("timestamp is timestamp", f"{D}.t is timestamp", True),
        ("bytes is bytes", f"{D}.raw is bytes", True),
        ("geo point is latlng", f"{D}.geo is latlng", True),
        ("reference is path", f"{D}.ref is path", True),
        ("null is not string", f"!({D}.nul is string)", True),
        ("null equals null", f"{D}.nul == null", True),
        ("duration is duration", "duration.value(1, 's') is duration", True),
        ("toSet gives a set", f"{D}.tags.toSet() is set", True),
        ("string is not int", f"{D}.s is int", False),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules.String
STRINGS = _group(
    "string",
    "https://firebase.google.com/docs/reference/rules/rules.String",
    [
        ("size", f"{D}.s.size() == 11", True),
        ("matches is a full match", f"{D}.s.matches('Hello.*')", True),
        ("matches does not match a substring", f"{D}.s.matches('World')", False),
        ("matches with RE2 classes", f"{D}.s.matches('[A-Z][a-z]+ [A-Z][a-z]+')", True),
        ("lower", f"{D}.s.lower() == 'hello world'", True),
        ("upper", f"{D}.s.upper() == 'HELLO WORLD'", True),
        ("trim", "'  x  '.trim() == 'x'", True),
        ("split on a regex", "'a,b;c'.split('[,;]') == ['a', 'b', 'c']", True),
        ("replace all matches", "'aXbXc'.replace('X', '-') == 'a-b-c'", True),
        ("toUtf8", "'é'.toUtf8() == b'\\xC3\\xA9'", True),
        ("index", f"{D}.s[0] == 'H'", True),
        ("range", f"{D}.s[0:5] == 'Hello'", True),
        ("raw string literal keeps backslashes", "'a1'.matches(r'a\\d')", True),
        ("double-quoted literal", "\"x\" == 'x'", True),
        ("string() of int", "string(42) == '42'", True),
        ("string() of bool and null", "string(true) == 'true' && string(null) == 'null'", True),
        ("int() of string", "int('12') == 12", True),
        ("int() of float truncates", "int(2.9) == 2", True),
        ("float() of string", "float('1.5') == 1.5", True),
        ("int() of bad string errors", "int('x') == 0", False),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules.List
LISTS = _group(
    "list",
    "https://firebase.google.com/docs/reference/rules/rules.List",
    [
        ("size", f"{D}.l.size() == 3", True),
        ("index", f"{D}.l[1] == 2", True),
        ("range", f"{D}.l[1:3] == [2, 3]", True),
        ("hasAll", f"{D}.l.hasAll([1, 3])", True),
        ("hasAll missing one", f"{D}.l.hasAll([1, 4])", False),
        ("hasAny", f"{D}.l.hasAny([4, 3])", True),
        ("hasAny none", f"{D}.l.hasAny([4, 5])", False),
        ("hasOnly", f"{D}.tags.hasOnly(['a', 'b', 'c'])", True),
        ("hasOnly with an extra element", f"{D}.tags.hasOnly(['a'])", False),
        ("join", f"{D}.tags.join('-') == 'a-b'", True),
        ("concat", f"{D}.tags.concat(['c']) == ['a', 'b', 'c']", True),
        ("removeAll", f"{D}.l.removeAll([2]) == [1, 3]", True),
        ("list equality is ordered", "[1, 2] != [2, 1]", True),
        ("empty list literal", "[].size() == 0", True),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules.Map
MAPS = _group(
    "map",
    "https://firebase.google.com/docs/reference/rules/rules.Map",
    [
        ("size", f"{D}.m.size() == 2", True),
        ("keys", f"{D}.m.keys().hasOnly(['k', 'nested'])", True),
        ("values", f"{D}.m.values().hasAny(['v'])", True),
        ("member access", f"{D}.m.k == 'v'", True),
        ("index access", f"{D}.m['k'] == 'v'", True),
        ("nested access", f"{D}.m.nested.x == 1", True),
        ("get with a present key", f"{D}.m.get('k', 'd') == 'v'", True),
        ("get with a missing key gives the default", f"{D}.m.get('zz', 'd') == 'd'", True),
        ("get with a key path", f"{D}.m.get(['nested', 'x'], 0) == 1", True),
        ("get with a missing key path", f"{D}.m.get(['nested', 'y'], 0) == 0", True),
        ("missing key errors", f"{D}.m.zz == null", False),
        ("map literal equality ignores order", "{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", True),
        ("diff addedKeys", "{'a': 1, 'b': 2}.diff({'a': 1}).addedKeys() == ['b'].toSet()", True),
        (
            "diff removedKeys",
            "{'a': 1}.diff({'a': 1, 'b': 2}).removedKeys() == ['b'].toSet()",
            True,
        ),
        (
            "diff changedKeys",
            "{'a': 1, 'b': 3}.diff({'a': 1, 'b': 2}).changedKeys() == ['b'].toSet()",
            True,
        ),
        (
            "diff affectedKeys",
            "{'a': 2, 'c': 1}.diff({'a': 1, 'b': 1}).affectedKeys() == ['a', 'b', 'c'].toSet()",
            True,
        ),
        (
            "diff unchangedKeys",
            "{'a': 1, 'b': 3}.diff({'a': 1, 'b': 2}).unchangedKeys() == ['a'].toSet()",
            True,
        ),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules.Set
SETS = _group(
    "set",
    "https://firebase.google.com/docs/reference/rules/rules.Set",
    [
        ("toSet drops duplicates", "[1, 1, 2].toSet().size() == 2", True),
        ("set equality ignores order", "[1, 2].toSet() == [2, 1].toSet()", True),
        ("in a set", "1 in [1, 2].toSet()", True),
        ("hasAll", "[1, 2, 3].toSet().hasAll([1, 2])", True),
        ("hasAny", "[1, 2].toSet().hasAny([5, 2])", True),
        ("hasOnly", "[1, 2].toSet().hasOnly([1, 2, 3])", True),
        ("hasOnly with an extra element", "[1, 4].toSet().hasOnly([1, 2, 3])", False),
        ("difference", "[1, 2, 3].toSet().difference([2].toSet()) == [1, 3].toSet()", True),
        ("intersection", "[1, 2].toSet().intersection([2, 3].toSet()) == [2].toSet()", True),
        ("union", "[1].toSet().union([2].toSet()) == [1, 2].toSet()", True),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules.Timestamp and rules.Duration
TIME_DOC = "https://firebase.google.com/docs/reference/rules/rules.Timestamp"
TIMES = _group(
    "time",
    TIME_DOC,
    [
        ("year month day", f"{D}.t.year() == 2026 && {D}.t.month() == 1 && {D}.t.day() == 1", True),
        (
            "hours minutes seconds",
            f"{D}.t.hours() == 12 && {D}.t.minutes() == 30 && {D}.t.seconds() == 45",
            True,
        ),
        ("nanos", f"{D}.t.nanos() == 123456000", True),
        ("dayOfWeek is 1 to 7", f"{D}.t.dayOfWeek() >= 1 && {D}.t.dayOfWeek() <= 7", True),
        ("dayOfYear", f"{D}.t.dayOfYear() == 1", True),
        ("toMillis", f"{D}.t.toMillis() == 1767270645123", True),
        ("date() is midnight", f"{D}.t.date() == timestamp.date(2026, 1, 1)", True),
        (
            "time() is the duration since midnight",
            f"{D}.t.time() == duration.time(12, 30, 45, 123456000)",
            True,
        ),
        (
            "timestamp.value from millis",
            "timestamp.value(1767225600000) == timestamp.date(2026, 1, 1)",
            True,
        ),
        ("timestamp + duration", f"{D}.t + duration.value(1, 'd') > {D}.t", True),
        (
            "timestamp - timestamp is a duration",
            f"{D}.t - timestamp.date(2026, 1, 1) == duration.time(12, 30, 45, 123456000)",
            True,
        ),
        ("timestamp comparison with request.time", f"{D}.t < request.time", True),
        ("duration.value units", "duration.value(2, 'h') == duration.value(120, 'm')", True),
        (
            "duration seconds and nanos",
            "duration.time(0, 1, 5, 7).seconds() == 65 && duration.time(0, 1, 5, 7).nanos() == 7",
            True,
        ),
        ("duration.abs", "duration.abs(duration.value(-3, 's')) == duration.value(3, 's')", True),
        ("duration comparison", "duration.value(1, 'ms') < duration.value(1, 's')", True),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules.math and rules.LatLng, rules.Bytes
# (bytes literals take characters as UTF-8, two-place hex and three-place octal escapes;
# toBase64 follows base64url; toHexString is upper-case)
MISC_DOC = "https://firebase.google.com/docs/reference/rules/rules.math"
MISC = _group(
    "math, latlng, bytes",
    MISC_DOC,
    [
        ("math.abs", "math.abs(-2) == 2", True),
        ("math.ceil and floor", "math.ceil(2.1) == 3 && math.floor(2.7) == 2", True),
        ("math.ceil and floor give ints", "math.ceil(2.1) is int && math.floor(2.0) is int", True),
        (
            "math.round",
            "math.round(1.9) == 2 && math.round(2.4) == 2 && math.round(2.5) == 3",
            True,
        ),
        ("math.sqrt and pow", "math.sqrt(2.25) == 1.5 && math.pow(1.5, 2) == 2.25", True),
        ("math.sqrt and pow give floats", "math.sqrt(4) is float && math.pow(2, 2) is float", True),
        ("math.isNaN and isInfinite", "math.isNaN(0.0 / 0.0) && math.isInfinite(1.0 / 0.0)", True),
        (
            "latlng accessors",
            f"{D}.geo.latitude() == 48.8566 && {D}.geo.longitude() == 2.3522",
            True,
        ),
        (
            "latlng distance in meters",
            f"{D}.geo.distance(latlng.value(48.8566, 2.3622)) > 700"
            f" && {D}.geo.distance(latlng.value(48.8566, 2.3622)) < 800",
            True,
        ),
        ("bytes size", f"{D}.raw.size() == 2 && b'\u20ac'.size() == 3", True),
        ("bytes literals: character, hex, octal", "b'*' == b'\\x2A' && b'\\x2A' == b'\\052'", True),
        ("bytes toBase64 is base64url", "b'\\xFB\\xEF\\xBE'.toBase64() == '----'", True),
        (
            "bytes toHexString",
            f"{D}.raw.toHexString() == '01FF' && b'\u20ac'.toHexString() == 'E282AC'",
            True,
        ),
        (
            "hashing.sha256",
            "hashing.sha256('abc').toHexString().lower().matches('ba7816bf.*')",
            True,
        ),
        (
            "hashing.md5 of bytes",
            "hashing.md5(b'abc').toHexString() == '900150983CD24FB0D6963F7D28E17F72'",
            True,
        ),
        ("hashing.crc32", "hashing.crc32('abc').toHexString() == '352441C2'", True),
        ("hashing.crc32c", "hashing.crc32c('abc').toHexString() == '364B3FB7'", True),
        ("debug returns its argument", "debug(1) == 1", True),
    ],
)

# https://firebase.google.com/docs/reference/rules/rules.Path
PATH_DOC = "https://firebase.google.com/docs/reference/rules/rules.Path"
PATHS = _group(
    "path",
    PATH_DOC,
    [
        (
            "path literal with an interpolation",
            "/databases/$(database)/documents/probe/$(docId) == resource.__name__",
            True,
        ),
        (
            "reference field is a path",
            f"{D}.ref == /databases/$(database)/documents/rooms/r1",
            True,
        ),
        ("path indexing", f"{D}.ref[4] == 'r1'", True),
        (
            "path() from a string",
            "path('/databases/' + database + '/documents/probe/doc') == resource.__name__",
            True,
        ),
        ("path bind", "path('/a/$(x)').bind({'x': 'b'}) == path('/a/b')", True),
        ("resource.id", "resource.id == 'doc' && docId == 'doc'", True),
        (
            "__name__ against a literal (default) path (rules.firestore.Resource example)",
            "resource['__name__'] == /databases/(default)/documents/probe/doc",
            True,
        ),
        (
            "__name__ against a path built from resource.id",
            "resource['__name__'] == /databases/(default)/documents/probe/$(resource.id)",
            True,
        ),
    ],
)

LANGUAGE_CASES = ERRORS + OPERATORS + TYPES + STRINGS + LISTS + MAPS + SETS + TIMES + MISC + PATHS
