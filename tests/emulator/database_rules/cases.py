"""The Realtime Database rules table: each group cites the Firebase page its verdicts follow."""

from __future__ import annotations

from functools import partial

from .case_types import Read, RulesCase, Set, Update, user

ALICE = user("alice")
BOB = user("bob")
ANONYMOUS_USER = user("guest", provider="anonymous")

# https://firebase.google.com/docs/database/security/core-syntax
# "Read and write rules cascade": a grant at a level cannot be revoked deeper; with no rule
# granting access, the default is deny. "Rules are not filters": reading a parent is judged by
# the rules at the parent and above only, never by grants on its children.
CORE_SYNTAX = "https://firebase.google.com/docs/database/security/core-syntax"
_core = partial(RulesCase, doc=CORE_SYNTAX)
FOO_BAR = {"foo": {".read": True, ".write": False, "bar": {".read": False, ".write": True}}}
RECORDS = {"records": {"rec1": {".read": True}, "rec2": {".read": False}}}
MESSAGES_READ_ONLY = {"messages": {"$message": {".read": "true", ".write": "false"}}}
CORE_CASES = [
    _core("no rules: read denied", {}, Read("a"), False),
    _core("no rules: write denied", {}, Set("a", 1), False),
    _core("root read true grants everything below", {".read": True}, Read("a/b/c"), True),
    _core("root read false denies", {".read": False}, Read("a"), False),
    _core("string 'true' rule grants", {"a": {".read": "true"}}, Read("a"), True),
    _core("shallower read grant is not revoked deeper", FOO_BAR, Read("foo/bar"), True),
    _core("read grant at foo covers foo itself", FOO_BAR, Read("foo"), True),
    _core("write false at foo, true at foo/bar: bar writable", FOO_BAR, Set("foo/bar", 1), True),
    _core("write false at foo denies foo", FOO_BAR, Set("foo", {"bar": 1}), False),
    _core("rules are not filters: parent read denied", RECORDS, Read("records"), False),
    _core("rules are not filters: granted child readable", RECORDS, Read("records/rec1"), True),
    _core("rules are not filters: denied child unreadable", RECORDS, Read("records/rec2"), False),
    _core(
        "child write grant does not allow writing the parent",
        {"a": {"b": {".write": True}}},
        Set("a", {"b": 1}),
        False,
    ),
    _core("grant deep below the rule still applies", {"a": {".read": True}}, Read("a/b/c/d"), True),
    _core(
        "read-only message: read allowed",
        MESSAGES_READ_ONLY,
        Read("messages/m1"),
        True,
        data={"messages": {"m1": {"content": "Hello"}}},
    ),
    _core("read-only message: write denied", MESSAGES_READ_ONLY, Set("messages/m1", "x"), False),
    _core(
        "an ancestor's .read sees data at its own location",
        {"p": {".read": "data.child('public').val() == true"}},
        Read("p/secret"),
        True,
        data={"p": {"public": True, "secret": 1}},
    ),
    _core(
        "an ancestor's .read refusing at its own location",
        {"p": {".read": "data.child('public').val() == true"}},
        Read("p/secret"),
        False,
        data={"p": {"public": False, "secret": 1}},
    ),
    _core(
        "an ancestor's .write sees newData at its own location",
        {"p": {".write": "newData.child('open').val() == true"}},
        Set("p/x", 1),
        True,
        data={"p": {"open": True}},
    ),
    _core(
        "an ancestor's .write refusing at its own location",
        {"p": {".write": "newData.child('open').val() == true"}},
        Set("p/x", 1),
        False,
        data={"p": {"open": False}},
    ),
    _core(
        ".indexOn is accepted and grants nothing",
        {"users": {".indexOn": ["name", "age"], "$u": {".indexOn": "score"}}},
        Read("users"),
        False,
    ),
    _core(
        ".indexOn beside a read grant",
        {"users": {".indexOn": "name", ".read": True}},
        Read("users"),
        True,
    ),
]

# https://firebase.google.com/docs/database/security/rules-conditions
# "Using $ Variables to Capture Path Segments": a $variable matches any key not matched by a
# named sibling rule and holds that key as a string.
CONDITIONS = "https://firebase.google.com/docs/database/security/rules-conditions"
_cond = partial(RulesCase, doc=CONDITIONS)
USERS_OWN = {
    "users": {
        "$uid": {
            ".read": "auth != null && auth.uid == $uid",
            ".write": "auth !== null && auth.uid === $uid",
        }
    }
}
ROOMS_TOPIC = {"rooms": {"$room_id": {"topic": {".write": "$room_id.contains('public')"}}}}
WIDGET_OTHER = {
    ".write": True,
    "widget": {
        "title": {".validate": "newData.isString()"},
        "$other": {".validate": False},
    },
}
NESTED = {"a": {"$x": {"$y": {".write": "$x == auth.uid && $y.beginsWith('p')"}}}}
WILDCARD_CASES = [
    _cond("$uid: user reads own node", USERS_OWN, Read("users/alice"), True, auth=ALICE),
    _cond("$uid: user cannot read another's node", USERS_OWN, Read("users/bob"), False, auth=ALICE),
    _cond("$uid: unauthenticated read denied", USERS_OWN, Read("users/alice"), False),
    _cond("$uid: user writes own node", USERS_OWN, Set("users/alice", {"n": 1}), True, auth=ALICE),
    _cond(
        "$uid: user cannot write another's node", USERS_OWN, Set("users/bob", 1), False, auth=ALICE
    ),
    _cond("$uid: no grant on the parent list", USERS_OWN, Read("users"), False, auth=ALICE),
    _cond(
        "$room_id containing 'public' may change topic",
        ROOMS_TOPIC,
        Set("rooms/public-chat/topic", "hi"),
        True,
    ),
    _cond("$room_id without 'public' may not", ROOMS_TOPIC, Set("rooms/secret/topic", "hi"), False),
    _cond(
        "named child is validated by its own rule",
        WIDGET_OTHER,
        Set("widget", {"title": "x"}),
        True,
    ),
    _cond(
        "$other false rejects unknown children",
        WIDGET_OTHER,
        Set("widget", {"title": "x", "color": "red"}),
        False,
    ),
    _cond("named rule wins over $other", WIDGET_OTHER, Set("widget/title", "t"), True),
    _cond(
        "$other applies to a direct write of an unknown child",
        WIDGET_OTHER,
        Set("widget/size", 3),
        False,
    ),
    _cond("two nested $variables both bound", NESTED, Set("a/alice/pics", 1), True, auth=ALICE),
    _cond("nested $variable mismatch denies", NESTED, Set("a/alice/docs", 1), False, auth=ALICE),
    _cond("outer $variable mismatch denies", NESTED, Set("a/bob/pics", 1), False, auth=ALICE),
]

# https://firebase.google.com/docs/database/security/rules-conditions ("Authentication") and
# https://firebase.google.com/docs/reference/security/database#auth : auth is null when signed
# out, else {provider, uid, token} with the ID token's claims (custom claims included).
AUTH_REFERENCE = "https://firebase.google.com/docs/reference/security/database#auth"
_auth = partial(RulesCase, doc=AUTH_REFERENCE)
PASSWORD_ONLY = {"p": {".read": "auth != null && auth.provider == 'password'"}}
COMPANY = {
    "c": {".read": "auth.token.email_verified == true && auth.token.email.endsWith('@example.com')"}
}
ADMIN_ONLY = {"admin": {".read": "auth.token.admin === true"}}
AUTH_CASES = [
    _auth("provider password allowed", PASSWORD_ONLY, Read("p"), True, auth=ALICE),
    _auth("provider anonymous denied", PASSWORD_ONLY, Read("p"), False, auth=ANONYMOUS_USER),
    _auth("signed out denied by auth != null", PASSWORD_ONLY, Read("p"), False),
    _auth(
        "verified company email allowed",
        COMPANY,
        Read("c"),
        True,
        auth=user("carol", email="carol@example.com", email_verified=True),
    ),
    _auth(
        "unverified email denied",
        COMPANY,
        Read("c"),
        False,
        auth=user("carol", email="carol@example.com", email_verified=False),
    ),
    _auth(
        "other domain denied",
        COMPANY,
        Read("c"),
        False,
        auth=user("dave", email="dave@evil.com", email_verified=True),
    ),
    _auth(
        "custom claim admin allowed", ADMIN_ONLY, Read("admin"), True, auth=user("root", admin=True)
    ),
    _auth("missing custom claim denied", ADMIN_ONLY, Read("admin"), False, auth=ALICE),
    _auth("signed out: auth.token.admin is null, denied", ADMIN_ONLY, Read("admin"), False),
    _auth(
        "signed out: auth.uid is null, not an error",
        {"e": {".read": "auth.uid !== 'eviluser'"}},
        Read("e"),
        True,
    ),
    _auth(
        "signed out: calling a method on null auth fails",
        {"e": {".read": "!auth.uid.beginsWith('evil')"}},
        Read("e"),
        False,
    ),
    _auth(
        "computed claim name",
        {"c": {"$claim": {".read": "auth.token[$claim] == true"}}},
        Read("c/admin"),
        True,
        auth=user("root", admin=True),
    ),
    _auth(
        "computed claim name, claim absent",
        {"c": {"$claim": {".read": "auth.token[$claim] == true"}}},
        Read("c/owner"),
        False,
        auth=user("root", admin=True),
    ),
    _auth("auth == null grants the signed out", {"o": {".read": "auth == null"}}, Read("o"), True),
    _auth(
        "auth == null refuses the signed in",
        {"o": {".read": "auth == null"}},
        Read("o"),
        False,
        auth=ALICE,
    ),
    _auth(
        "token sign-in provider claim",
        {"t": {".read": "auth.token.firebase.sign_in_provider == 'anonymous'"}},
        Read("t"),
        True,
        auth=ANONYMOUS_USER,
    ),
    _auth(
        "auth.uid equals token sub",
        {"s": {".read": "auth.uid == auth.token.sub"}},
        Read("s"),
        True,
        auth=BOB,
    ),
]

# https://firebase.google.com/docs/database/security/rules-conditions ("Existing Data vs. New
# Data"): data is the data before the write, newData the data as it would be after it.
_data = partial(RulesCase, doc=CONDITIONS)
CREATE_OR_DELETE = {".write": "!data.exists() || !newData.exists()"}
OWNED = {
    "items": {
        "$id": {
            ".write": "(!data.exists() && newData.child('owner').val() == "
            "auth.uid) || data.child('owner').val() == auth.uid"
        }
    }
}
ITEM = {"items": {"i1": {"owner": "alice", "text": "x"}}}
PAIR = {".write": True, "pair": {".validate": "newData.hasChildren(['a', 'b'])"}}
DATA_CASES = [
    _data("create allowed when nothing exists", CREATE_OR_DELETE, Set("x", 1), True),
    _data("overwrite denied when data exists", CREATE_OR_DELETE, Set("x", 2), False, data={"x": 1}),
    _data("delete allowed", CREATE_OR_DELETE, Set("x", None), True, data={"x": 1}),
    _data(
        "create with own owner field", OWNED, Set("items/i2", {"owner": "alice"}), True, auth=ALICE
    ),
    _data(
        "create with someone else as owner",
        OWNED,
        Set("items/i2", {"owner": "bob"}),
        False,
        auth=ALICE,
    ),
    _data(
        "owner modifies existing item",
        OWNED,
        Set("items/i1/text", "y"),
        True,
        data=ITEM,
        auth=ALICE,
    ),
    _data(
        "non-owner modifies existing item",
        OWNED,
        Set("items/i1/text", "y"),
        False,
        data=ITEM,
        auth=BOB,
    ),
    _data(
        "non-owner cannot take over by rewriting owner",
        OWNED,
        Set("items/i1", {"owner": "bob"}),
        False,
        data=ITEM,
        auth=BOB,
    ),
    _data(
        "newData merges a child write with existing siblings",
        PAIR,
        Set("pair/a", 2),
        True,
        data={"pair": {"a": 1, "b": 1}},
    ),
    _data(
        "newData of the parent lacks the required sibling",
        PAIR,
        Set("pair/a", 2),
        False,
        data={"pair": {"a": 1}},
    ),
    _data(
        "deleting a required child fails the parent's validate",
        PAIR,
        Set("pair/b", None),
        False,
        data={"pair": {"a": 1, "b": 1}},
    ),
]

# https://firebase.google.com/docs/database/security/rules-conditions ("Referencing Data in
# other Paths"): root is the database before the write; data.parent() / newData.parent() walk up.
_refs = partial(RulesCase, doc=CONDITIONS)
ALLOW_WRITES = {
    "x": {
        ".write": "root.child('allow_writes').val() === true && "
        "!data.parent().child('readOnly').exists()"
    }
}
MEMBERS_ONLY = {
    "rooms": {"$room": {".read": "root.child('members/' + $room + '/' + auth.uid).exists()"}}
}
MEMBERS = {"members": {"r1": {"alice": True}}}
KIND_TEXT = {
    ".write": True,
    "msg": {
        "body": {
            ".validate": "newData.parent().child('kind').val() == 'text' && newData.isString()"
        }
    },
}
REFERENCE_CASES = [
    _refs(
        "flag elsewhere in the tree allows",
        ALLOW_WRITES,
        Set("x", 1),
        True,
        data={"allow_writes": True},
    ),
    _refs("flag false denies", ALLOW_WRITES, Set("x", 1), False, data={"allow_writes": False}),
    _refs(
        "readOnly sibling via data.parent() denies",
        ALLOW_WRITES,
        Set("x", 1),
        False,
        data={"allow_writes": True, "readOnly": True},
    ),
    _refs(
        "member of the room may read",
        MEMBERS_ONLY,
        Read("rooms/r1"),
        True,
        data=MEMBERS,
        auth=ALICE,
    ),
    _refs("non-member may not read", MEMBERS_ONLY, Read("rooms/r1"), False, data=MEMBERS, auth=BOB),
    _refs(
        "signed out: string + null auth.uid is an error",
        MEMBERS_ONLY,
        Read("rooms/r1"),
        False,
        data=MEMBERS,
    ),
    _refs(
        "newData.parent() sees the sibling written together",
        KIND_TEXT,
        Set("msg", {"kind": "text", "body": "hi"}),
        True,
    ),
    _refs(
        "newData.parent() sibling of wrong kind",
        KIND_TEXT,
        Set("msg", {"kind": "image", "body": "hi"}),
        False,
    ),
    _refs(
        "root is the data before the write",
        {"x": {".write": "!root.child('x').exists() && newData.exists()"}},
        Set("x", 1),
        True,
    ),
]

# https://firebase.google.com/docs/database/security/core-syntax (".validate": applied only to
# non-null new data, does not cascade, every applicable rule must pass) and the widget example
# of https://firebase.google.com/docs/database/security/rules-conditions ("Validating Data").
_valid = partial(RulesCase, doc=CORE_SYNTAX)
SHORT_STRING = {
    ".write": True,
    "foo": {".validate": "newData.isString() && newData.val().length < 100"},
}
WIDGET = {
    ".write": True,
    "widget": {
        ".validate": "newData.hasChildren(['color', 'size'])",
        "size": {".validate": "newData.isNumber() && newData.val() >= 0 && newData.val() <= 99"},
        "color": {".validate": "root.child('valid_colors/' + newData.val()).exists()"},
    },
}
COLORS = {"valid_colors": {"red": True, "blue": True}}
MESSAGES = {".write": True, "messages": {"$id": {".validate": "newData.hasChildren(['text'])"}}}
COUNTER = {
    ".write": True,
    "counter": {
        ".validate": "newData.isNumber() && (!data.exists() || newData.val() > data.val())"
    },
}
PAST = {".write": True, "ts": {".validate": "newData.val() <= now"}}
VALIDATE_CASES = [
    _valid("short string valid", SHORT_STRING, Set("foo", "hello"), True),
    _valid("100 characters invalid", SHORT_STRING, Set("foo", "x" * 100), False),
    _valid("number where a string is required", SHORT_STRING, Set("foo", 5), False),
    _valid("delete skips .validate", SHORT_STRING, Set("foo", None), True, data={"foo": "x"}),
    _valid(
        "write grant still needed when .validate passes",
        {"v": {".validate": True}},
        Set("v", 1),
        False,
    ),
    _valid(
        "validate does not cascade to unrelated siblings",
        {".write": True, "a": {"x": {".validate": False}}},
        Set("a/y", 1),
        True,
    ),
    _valid(
        "validate false at a child applies to writes of the parent",
        {".write": True, "a": {"x": {".validate": False}}},
        Set("a", {"x": 1}),
        False,
    ),
    _valid("widget valid", WIDGET, Set("widget", {"color": "red", "size": 5}), True, data=COLORS),
    _valid(
        "widget size out of range",
        WIDGET,
        Set("widget", {"color": "red", "size": 100}),
        False,
        data=COLORS,
    ),
    _valid("widget missing color", WIDGET, Set("widget", {"size": 5}), False, data=COLORS),
    _valid(
        "widget unknown color",
        WIDGET,
        Set("widget", {"color": "pink", "size": 5}),
        False,
        data=COLORS,
    ),
    _valid(
        "widget delete allowed",
        WIDGET,
        Set("widget", None),
        True,
        data={**COLORS, "widget": {"color": "red", "size": 5}},
    ),
    _valid(
        "every existing wildcard child is validated",
        MESSAGES,
        Set("messages", {"m1": {"text": "a"}, "m2": {"nope": 1}}),
        False,
    ),
    _valid(
        "all wildcard children valid",
        MESSAGES,
        Set("messages", {"m1": {"text": "a"}, "m2": {"text": "b"}}),
        True,
    ),
    _valid("counter may increase", COUNTER, Set("counter", 3), True, data={"counter": 2}),
    _valid("counter may not decrease", COUNTER, Set("counter", 1), False, data={"counter": 2}),
    _valid("counter first value", COUNTER, Set("counter", 0), True),
    _valid("timestamp in the past", PAST, Set("ts", 1_000_000_000_000), True),
    _valid("timestamp in the future", PAST, Set("ts", 99_999_999_999_999), False),
]

# https://firebase.google.com/docs/database/web/read-and-write#update_specific_fields
# Multi-path updates are atomic: all succeed or all fail; each path is checked on its own and
# rules see the tree with every path of the update applied.
MULTI_PATH = "https://firebase.google.com/docs/database/web/read-and-write#update_specific_fields"
_multi = partial(RulesCase, doc=MULTI_PATH)
TWO_AREAS = {"open": {".write": True}, "closed": {".write": False}}
MIRROR = {".write": True, "a": {".validate": "newData.val() == newData.parent().child('b').val()"}}
UPDATE_CASES = [
    _multi("both paths granted", TWO_AREAS, Update("", {"open/x": 1, "open/y": 2}), True),
    _multi(
        "one path denied fails the whole update",
        TWO_AREAS,
        Update("", {"open/x": 1, "closed/y": 2}),
        False,
    ),
    _multi(
        "validate failure in one path fails the update",
        SHORT_STRING,
        Update("", {"foo": 5, "bar": 1}),
        False,
    ),
    _multi(
        "rules see the post-update tree",
        MIRROR,
        Update("", {"a": 1, "b": 1}),
        True,
        data={"a": 0, "b": 0},
    ),
    _multi(
        "partial update breaking the invariant",
        MIRROR,
        Update("", {"a": 1}),
        False,
        data={"a": 0, "b": 0},
    ),
    _multi(
        "update with a delete skips its validate",
        SHORT_STRING,
        Update("", {"foo": None, "bar": 1}),
        True,
        data={"foo": "x"},
    ),
    _multi(
        "update below a path",
        USERS_OWN,
        Update("users/alice", {"name": "A", "age": 3}),
        True,
        auth=ALICE,
    ),
    _multi(
        "update below another user's path",
        USERS_OWN,
        Update("users/bob", {"name": "B"}),
        False,
        auth=ALICE,
    ),
    _multi(
        "update touching a parent-level validate",
        PAIR,
        Update("pair", {"a": 5}),
        True,
        data={"pair": {"a": 1, "b": 1}},
    ),
]

# https://firebase.google.com/docs/reference/security/database#ruledatasnapshot_methods
SNAPSHOT_REFERENCE = "https://firebase.google.com/docs/reference/security/database"
_snap = partial(RulesCase, doc=SNAPSHOT_REFERENCE)
PROFILE = {"p": {"name": "Al", "age": 30, "nested": {"deep": {"x": True}}}}


def _read_if(expression: str) -> dict:
    """Rules granting read of /p when ``expression`` is true."""
    return {"p": {".read": expression}}


def _write_if(expression: str) -> dict:
    """Rules allowing writes of /v whose new data satisfies ``expression``."""
    return {"v": {".write": True, ".validate": expression}}


SNAPSHOT_CASES = [
    _snap("hasChild true", _read_if("data.hasChild('name')"), Read("p"), True, data=PROFILE),
    _snap("hasChild false", _read_if("data.hasChild('email')"), Read("p"), False, data=PROFILE),
    _snap(
        "hasChild with a deep path",
        _read_if("data.hasChild('nested/deep/x')"),
        Read("p"),
        True,
        data=PROFILE,
    ),
    _snap(
        "hasChildren() with children", _read_if("data.hasChildren()"), Read("p"), True, data=PROFILE
    ),
    _snap(
        "hasChildren() on a leaf",
        _read_if("data.child('name').hasChildren()"),
        Read("p"),
        False,
        data=PROFILE,
    ),
    _snap(
        "hasChildren(list) all present",
        _read_if("data.hasChildren(['name', 'age'])"),
        Read("p"),
        True,
        data=PROFILE,
    ),
    _snap(
        "hasChildren(list) one missing",
        _read_if("data.hasChildren(['name', 'email'])"),
        Read("p"),
        False,
        data=PROFILE,
    ),
    _snap("exists on data", _read_if("data.exists()"), Read("p"), True, data=PROFILE),
    _snap("exists on nothing", _read_if("data.exists()"), Read("p"), False),
    _snap(
        "child().child().val()",
        _read_if("data.child('nested').child('deep/x').val() == true"),
        Read("p"),
        True,
        data=PROFILE,
    ),
    _snap(
        "parent() then child()",
        {"p": {"age": {".read": "data.parent().child('name').val() == 'Al'"}}},
        Read("p/age"),
        True,
        data=PROFILE,
    ),
    _snap(
        "val() of a missing child is null",
        _read_if("data.child('zzz').val() == null"),
        Read("p"),
        True,
        data=PROFILE,
    ),
    _snap(
        "comparing null with a number is an error",
        _read_if("data.child('zzz').val() < 5"),
        Read("p"),
        False,
        data=PROFILE,
    ),
    _snap("isNumber", _write_if("newData.isNumber()"), Set("v", 1.5), True),
    _snap("isNumber on a string", _write_if("newData.isNumber()"), Set("v", "1"), False),
    _snap("isString", _write_if("newData.isString()"), Set("v", "s"), True),
    _snap("isBoolean", _write_if("newData.isBoolean()"), Set("v", False), True),
    _snap("isBoolean on a number", _write_if("newData.isBoolean()"), Set("v", 0), False),
    _snap(
        "getPriority of new data",
        _write_if("newData.getPriority() == 5"),
        Set("v", {".value": "x", ".priority": 5}),
        True,
    ),
    _snap(
        "getPriority of existing data",
        _read_if("data.getPriority() == 3"),
        Read("p"),
        True,
        data={"p": {"a": 1, ".priority": 3}},
    ),
    _snap(
        "getPriority of an existing leaf",
        _read_if("data.child('a').getPriority() == 'hi'"),
        Read("p"),
        True,
        data={"p": {"a": {".value": 1, ".priority": "hi"}}},
    ),
    _snap(
        "getPriority mismatch",
        _read_if("data.getPriority() == 4"),
        Read("p"),
        False,
        data={"p": {"a": 1, ".priority": 3}},
    ),
    _snap(
        "getPriority without a priority",
        _write_if("newData.getPriority() == null"),
        Set("v", "x"),
        True,
    ),
]

# https://firebase.google.com/docs/reference/security/database#string_methods
STRING_REFERENCE = "https://firebase.google.com/docs/reference/security/database#string_methods"
_str = partial(RulesCase, doc=STRING_REFERENCE)
NAME = {"n": "Hello-World-Again"}


def _name_if(expression: str) -> dict:
    """Rules granting read of /n when ``expression`` (about the string s) is true."""
    return {"n": {".read": expression.replace("s.", "data.val().")}}


STRING_CASES = [
    _str("length", _name_if("s.length == 17"), Read("n"), True, data=NAME),
    _str("contains", _name_if("s.contains('World')"), Read("n"), True, data=NAME),
    _str(
        "contains is case sensitive", _name_if("s.contains('world')"), Read("n"), False, data=NAME
    ),
    _str("beginsWith", _name_if("s.beginsWith('Hello')"), Read("n"), True, data=NAME),
    _str("endsWith", _name_if("s.endsWith('Again')"), Read("n"), True, data=NAME),
    _str("endsWith false", _name_if("s.endsWith('Hello')"), Read("n"), False, data=NAME),
    _str(
        "replace replaces every occurrence",
        _name_if("s.replace('-', ' ') == 'Hello World Again'"),
        Read("n"),
        True,
        data=NAME,
    ),
    _str(
        "toLowerCase",
        _name_if("s.toLowerCase() == 'hello-world-again'"),
        Read("n"),
        True,
        data=NAME,
    ),
    _str(
        "toUpperCase",
        _name_if("s.toUpperCase() == 'HELLO-WORLD-AGAIN'"),
        Read("n"),
        True,
        data=NAME,
    ),
    _str(
        "matches anchored regex", _name_if("s.matches(/^[A-Za-z-]+$/)"), Read("n"), True, data=NAME
    ),
    _str("matches fails", _name_if("s.matches(/^[a-z]+$/)"), Read("n"), False, data=NAME),
    _str(
        "matches with the i flag", _name_if("s.matches(/^[a-z-]+$/i)"), Read("n"), True, data=NAME
    ),
    _str(
        "matches without anchors finds a substring",
        _name_if("s.matches(/World/)"),
        Read("n"),
        True,
        data=NAME,
    ),
    _str(
        "date regex from the reference",
        _write_if(
            "newData.isString() && newData.val().matches("
            "/^(19|20)[0-9][0-9][-\\/. ](0[1-9]|1[012])[-\\/. ](0[1-9]|[12][0-9]|3[01])$/)"
        ),
        Set("v", "2024-02-29"),
        True,
    ),
    _str(
        "date regex rejects",
        _write_if("newData.val().matches(/^(19|20)[0-9][0-9]-/)"),
        Set("v", "1899-01-01"),
        False,
    ),
    _str(
        "string method on a number is an error",
        _write_if("newData.val().contains('1')"),
        Set("v", 11),
        False,
    ),
    _str(
        "$key string methods",
        {"k": {"$key": {".write": "$key.length == 3 && $key.toUpperCase() == 'ABC'"}}},
        Set("k/abc", 1),
        True,
    ),
]

# https://firebase.google.com/docs/reference/security/database#operators : JavaScript-like
# operators; + concatenates when a string is involved; == compares without type coercion.
OPERATORS = "https://firebase.google.com/docs/reference/security/database#operators"
_op = partial(RulesCase, doc=OPERATORS)
OPERATOR_CASES = [
    _op(
        "string + number concatenates",
        {"r": {"$id": {".read": "'room' + 1 == $id"}}},
        Read("r/room1"),
        True,
    ),
    _op("number + number adds", _write_if("newData.val() + 1 == 3"), Set("v", 2), True),
    _op("modulo", _write_if("newData.val() % 2 == 0"), Set("v", 4), True),
    _op("modulo odd", _write_if("newData.val() % 2 == 0"), Set("v", 5), False),
    _op("multiply divide subtract", _write_if("newData.val() * 3 / 2 - 1 == 5"), Set("v", 4), True),
    _op("unary minus", _write_if("newData.val() > -10"), Set("v", -3), True),
    _op("== does not coerce types", _write_if("newData.val() == 1"), Set("v", "1"), False),
    _op("=== equals ==", _write_if("newData.val() === 'x'"), Set("v", "x"), True),
    _op(
        "!= and !==",
        _write_if("newData.val() != 'a' && newData.val() !== 'b'"),
        Set("v", "c"),
        True,
    ),
    _op("! negates", _write_if("!newData.isString()"), Set("v", "c"), False),
    _op("&& binds tighter than ||", {"x": {".read": "true || false && false"}}, Read("x"), True),
    _op("parentheses group", {"x": {".read": "(true || false) && false"}}, Read("x"), False),
    _op(
        "ternary picks a branch",
        {"t": {"$uid": {".read": "auth != null ? auth.uid == $uid : false"}}},
        Read("t/alice"),
        True,
        auth=ALICE,
    ),
    _op(
        "ternary else branch",
        {"t": {"$uid": {".read": "auth != null ? auth.uid == $uid : false"}}},
        Read("t/alice"),
        False,
    ),
    _op("string comparison", {"r": {"$id": {".read": "$id < 'm'"}}}, Read("r/apple"), True),
    _op("string comparison false", {"r": {"$id": {".read": "$id < 'm'"}}}, Read("r/zebra"), False),
    _op("division by zero is NaN", {"x": {".read": "(1 / 0 + '') == 'NaN'"}}, Read("x"), True),
    _op("NaN is not smaller than anything", {"x": {".read": "(1 / 0) < 2"}}, Read("x"), False),
    _op(
        "string + boolean is an error",
        {"x": {".read": "('a' + data.val()) == 'atrue'"}},
        Read("x"),
        False,
        data={"x": True},
    ),
    _op(
        "bracket access to a method", {"x": {".read": "root['exists']() == false"}}, Read("x"), True
    ),
]

# https://firebase.google.com/docs/database/security/core-syntax ("Query-based rules"):
# query.* expose the read's orderBy / range / limit parameters to .read rules.
_query = partial(RulesCase, doc=CORE_SYNTAX)
BASKETS = {
    "baskets": {
        ".read": "auth.uid != null && query.orderByChild == 'owner' && query.equalTo == auth.uid"
    }
}
LIMITED = {"messages": {".read": "query.orderByKey && query.limitToFirst <= 1000"}}
QUERY_CASES = [
    _query(
        "query for own baskets",
        BASKETS,
        Read("baskets", {"orderBy": '"owner"', "equalTo": '"alice"'}),
        True,
        auth=ALICE,
    ),
    _query("no query: denied", BASKETS, Read("baskets"), False, auth=ALICE),
    _query(
        "query for another owner's baskets",
        BASKETS,
        Read("baskets", {"orderBy": '"owner"', "equalTo": '"bob"'}),
        False,
        auth=ALICE,
    ),
    _query(
        "limit within bound",
        LIMITED,
        Read("messages", {"orderBy": '"$key"', "limitToFirst": "50"}),
        True,
    ),
    _query(
        "limit above bound",
        LIMITED,
        Read("messages", {"orderBy": '"$key"', "limitToFirst": "5000"}),
        False,
    ),
    _query("no limit", LIMITED, Read("messages", {"orderBy": '"$key"'}), False),
    _query(
        "startAt and endAt",
        {"q": {".read": "query.startAt == 'a' && query.endAt == 'm'"}},
        Read("q", {"orderBy": '"$key"', "startAt": '"a"', "endAt": '"m"'}),
        True,
    ),
    _query(
        "limitToLast",
        {"q": {".read": "query.limitToLast == 2"}},
        Read("q", {"orderBy": '"$key"', "limitToLast": "2"}),
        True,
    ),
    _query(
        "orderByValue",
        {"q": {".read": "query.orderByValue"}},
        Read("q", {"orderBy": '"$value"'}),
        True,
    ),
    _query(
        "orderByPriority is false for a key order",
        {"q": {".read": "query.orderByPriority"}},
        Read("q", {"orderBy": '"$key"'}),
        False,
    ),
]

ALL_CASES: list[RulesCase] = (
    CORE_CASES
    + WILDCARD_CASES
    + AUTH_CASES
    + DATA_CASES
    + REFERENCE_CASES
    + VALIDATE_CASES
    + UPDATE_CASES
    + SNAPSHOT_CASES
    + STRING_CASES
    + OPERATOR_CASES
    + QUERY_CASES
)
