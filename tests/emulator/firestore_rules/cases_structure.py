"""Cases about rule structure: match paths, wildcards, methods, overlapping matches."""

from __future__ import annotations

from functools import partial

from tests.emulator.firestore_rules.case_types import (
    NOBODY,
    Batch,
    Create,
    Delete,
    Get,
    Query,
    RulesCase,
    Set,
    Update,
)

# https://firebase.google.com/docs/firestore/security/rules-structure
# Match statements point at documents, not collections; {var} matches one segment; nested
# matches are relative to the outer path; with no matching allow the request is denied.
STRUCTURE_DOC = "https://firebase.google.com/docs/firestore/security/rules-structure"
_s = partial(RulesCase, doc=STRUCTURE_DOC)
CITIES = "    match /cities/{city} {\n      allow get: if true;\n    }"
NESTED = (
    "    match /cities/{city} {\n"
    "      allow get: if city == 'SF';\n"
    "      match /landmarks/{landmark} {\n"
    "        allow get: if city == 'SF' && landmark != 'secret';\n"
    "      }\n"
    "    }"
)
COLLECTION_ONLY = "    match /cities {\n      allow read: if true;\n    }"
RECURSIVE = "    match /cities/{document=**} {\n      allow get: if true;\n    }"
RECURSIVE_BINDING = (
    "    match /cities/{rest=**} {\n      allow get: if rest[1] == 'landmarks';\n    }"
)
SF = {"cities/SF": {"name": "San Francisco"}, "cities/SF/landmarks/coit": {"name": "Coit"}}
LITERAL_DATABASE = (
    "  }\n  match /databases/(default)/documents {\n"
    "    match /cities/{city} {\n      allow get: if true;\n    }"
)
STRUCTURE = [
    _s(
        "a literal (default) database segment matches",
        LITERAL_DATABASE,
        Get("cities/SF"),
        True,
        seed=SF,
    ),
    _s("matching document is allowed", CITIES, Get("cities/SF"), True, seed=SF),
    _s("missing document under a matching rule", CITIES, Get("cities/LA"), True),
    _s("no match for another collection denies", CITIES, Get("towns/SF"), False),
    _s(
        "{var} does not match a subcollection document",
        CITIES,
        Get("cities/SF/landmarks/coit"),
        False,
        seed=SF,
    ),
    _s(
        "a collection path match never applies to documents",
        COLLECTION_ONLY,
        Get("cities/SF"),
        False,
        seed=SF,
    ),
    _s("wildcard value is bound", NESTED, Get("cities/SF"), True, seed=SF),
    _s("wildcard value mismatch denies", NESTED, Get("cities/LA"), False),
    _s("nested match sees outer wildcard", NESTED, Get("cities/SF/landmarks/coit"), True, seed=SF),
    _s("nested match condition false", NESTED, Get("cities/SF/landmarks/secret"), False),
    _s(
        "outer allow does not cascade into subcollections",
        NESTED.replace("city == 'SF' &&", "false &&"),
        Get("cities/SF/landmarks/coit"),
        False,
        seed=SF,
    ),
    _s("recursive wildcard matches the document", RECURSIVE, Get("cities/SF"), True, seed=SF),
    _s(
        "recursive wildcard matches deep documents",
        RECURSIVE,
        Get("cities/SF/landmarks/coit"),
        True,
        seed=SF,
    ),
    _s(
        "recursive wildcard binds a path",
        RECURSIVE_BINDING,
        Get("cities/SF/landmarks/coit"),
        True,
        seed=SF,
    ),
    _s("recursive wildcard binding mismatch", RECURSIVE_BINDING, Get("cities/SF"), False, seed=SF),
    _s("no rules at all denies", "", Get("cities/SF"), False, seed=SF),
]

# https://firebase.google.com/docs/firestore/security/rules-structure#overlapping_match_statements
# "If multiple allow expressions match a request, the access is allowed if any of the
# conditions is true."
OVERLAP_DOC = STRUCTURE_DOC + "#overlapping_match_statements"
_o = partial(RulesCase, doc=OVERLAP_DOC)
OVERLAP = (
    "    match /cities/{city} {\n      allow get: if false;\n    }\n"
    "    match /cities/{document=**} {\n      allow get: if true;\n    }"
)
TWO_ALLOWS = (
    "    match /cities/{city} {\n"
    "      allow get: if request.auth.uid == 'bob';\n"
    "      allow get: if request.auth.uid == 'alice';\n"
    "    }"
)
ERROR_THEN_GRANT = (
    "    match /cities/{city} {\n"
    "      allow get: if resource.data.missing.deeper == 1;\n"
    "      allow get: if true;\n"
    "    }\n"
    "    match /{document=**} {\n      allow get: if resource.data.nope;\n    }"
)
OVERLAPPING = [
    _o(
        "an erroring allow does not block a granting one",
        ERROR_THEN_GRANT,
        Get("cities/SF"),
        True,
        seed=SF,
    ),
    _o("overlapping matches are ORed", OVERLAP, Get("cities/SF"), True, seed=SF),
    _o("two allows on one match: second grants", TWO_ALLOWS, Get("cities/SF"), True, seed=SF),
    _o(
        "two allows on one match: neither grants",
        TWO_ALLOWS,
        Get("cities/SF"),
        False,
        actor=NOBODY,
        seed=SF,
    ),
    _o(
        "a false allow cannot revoke a granting one",
        OVERLAP.replace("allow get: if true", "allow read: if true"),
        Get("cities/SF"),
        True,
        seed=SF,
    ),
]

# https://firebase.google.com/docs/firestore/security/rules-structure#granular_operations
# read = get + list; write = create + update + delete; each granular method is separate.
METHODS_DOC = STRUCTURE_DOC + "#granular_operations"
_m = partial(RulesCase, doc=METHODS_DOC)
READ_ONLY = "    match /cities/{city} {\n      allow read;\n    }"
WRITE_ONLY = "    match /cities/{city} {\n      allow write: if true;\n    }"
GET_ONLY = "    match /cities/{city} {\n      allow get: if true;\n    }"
LIST_ONLY = "    match /cities/{city} {\n      allow list: if true;\n    }"
CREATE_ONLY = "    match /cities/{city} {\n      allow create: if true;\n    }"
UPDATE_ONLY = "    match /cities/{city} {\n      allow update: if true;\n    }"
DELETE_ONLY = "    match /cities/{city} {\n      allow delete: if true;\n    }"
NEW = {"name": "New"}
METHODS = [
    _m("read covers get", READ_ONLY, Get("cities/SF"), True, seed=SF),
    _m("read covers list", READ_ONLY, Query("cities"), True, seed=SF),
    _m("read does not cover create", READ_ONLY, Create("cities/NY", NEW), False),
    _m("write covers create", WRITE_ONLY, Create("cities/NY", NEW), True),
    _m("write covers update", WRITE_ONLY, Update("cities/SF", NEW), True, seed=SF),
    _m("write covers delete", WRITE_ONLY, Delete("cities/SF"), True, seed=SF),
    _m("write does not cover get", WRITE_ONLY, Get("cities/SF"), False, seed=SF),
    _m("get does not cover list", GET_ONLY, Query("cities"), False, seed=SF),
    _m("list does not cover get", LIST_ONLY, Get("cities/SF"), False, seed=SF),
    _m("list allows a query", LIST_ONLY, Query("cities", limit=5), True, seed=SF),
    _m("create allows a new document", CREATE_ONLY, Create("cities/NY", NEW), True),
    _m("set of a new document is a create", CREATE_ONLY, Set("cities/NY", NEW), True),
    _m(
        "set of an existing document is an update",
        CREATE_ONLY,
        Set("cities/SF", NEW),
        False,
        seed=SF,
    ),
    _m(
        "update allows changing an existing document",
        UPDATE_ONLY,
        Update("cities/SF", NEW),
        True,
        seed=SF,
    ),
    _m("update does not allow create", UPDATE_ONLY, Set("cities/NY", NEW), False),
    _m("delete allows delete", DELETE_ONLY, Delete("cities/SF"), True, seed=SF),
    _m("delete does not allow update", DELETE_ONLY, Update("cities/SF", NEW), False, seed=SF),
    _m(
        "batch: every write must be allowed",
        CREATE_ONLY,
        Batch((Create("cities/NY", NEW), Update("cities/SF", NEW))),
        False,
        seed=SF,
    ),
    _m(
        "batch: all writes allowed",
        WRITE_ONLY,
        Batch((Create("cities/NY", NEW), Delete("cities/SF"))),
        True,
        seed=SF,
    ),
]

STRUCTURE_CASES = STRUCTURE + OVERLAPPING + METHODS
