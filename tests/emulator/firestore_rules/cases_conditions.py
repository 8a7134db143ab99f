"""Cases about conditions: auth, resource, request.resource, document access, functions."""

from __future__ import annotations

from functools import partial

from emulator.firestore.values import Timestamp
from tests.emulator.firestore_rules.case_types import (
    ADMIN_CLAIM,
    BOB,
    CAROL,
    NOBODY,
    SERVER_TIME,
    Batch,
    Create,
    Delete,
    Get,
    RulesCase,
    Set,
    Transaction,
    Update,
)

# https://firebase.google.com/docs/firestore/security/rules-conditions#authentication
# request.auth is null when signed out, else carries uid and the ID token's claims.
AUTH_DOC = "https://firebase.google.com/docs/firestore/security/rules-conditions#authentication"
_a = partial(RulesCase, doc=AUTH_DOC)
SIGNED_IN = "    match /users/{userId} {\n      allow get: if request.auth != null;\n    }"
OWNER = "    match /users/{userId} {\n      allow get: if request.auth.uid == userId;\n    }"
CLAIM = "    match /users/{userId} {\n      allow get: if request.auth.token.admin == true;\n    }"
VERIFIED = (
    "    match /users/{userId} {\n"
    "      allow get: if request.auth.token.email_verified\n"
    "        && request.auth.token.email.matches('.*@example[.]com');\n    }"
)
PROVIDER = (
    "    match /users/{userId} {\n"
    "      allow get: if request.auth.token.firebase.sign_in_provider == 'custom';\n    }"
)
AUTH = [
    _a("signed-in user", SIGNED_IN, Get("users/alice"), True),
    _a("signed-out user", SIGNED_IN, Get("users/alice"), False, actor=NOBODY),
    _a("uid equals wildcard", OWNER, Get("users/alice"), True),
    _a("uid differs from wildcard", OWNER, Get("users/alice"), False, actor=BOB),
    _a("signed out: request.auth.uid errors", OWNER, Get("users/alice"), False, actor=NOBODY),
    _a("custom claim true", CLAIM, Get("users/x"), True, actor=ADMIN_CLAIM),
    _a("custom claim missing", CLAIM, Get("users/x"), False),
    _a("verified email claim", VERIFIED, Get("users/x"), True),
    _a("unverified email claim", VERIFIED, Get("users/x"), False, actor=BOB),
    _a("sign-in provider claim", PROVIDER, Get("users/x"), True),
]

# https://firebase.google.com/docs/firestore/security/rules-conditions#data_validation
# resource is the stored document (null when missing, and for create); request.resource is
# the document as it would be after the write (merged for updates).
DATA_DOC = "https://firebase.google.com/docs/firestore/security/rules-conditions#data_validation"
_d = partial(RulesCase, doc=DATA_DOC)
STORIES = {
    "stories/s1": {"author": "alice", "published": True, "title": "One"},
    "stories/s2": {"author": "bob", "published": False, "title": "Two"},
}
PUBLISHED = (
    "    match /stories/{storyId} {\n"
    "      allow get: if resource.data.published == true\n"
    "        || resource.data.author == request.auth.uid;\n    }"
)
MAY_BE_MISSING = "    match /stories/{id} {\n      allow get: if resource == null;\n    }"
STORY_WRITES = (
    "    match /stories/{storyId} {\n"
    "      allow create: if resource == null\n"
    "        && request.resource.data.author == request.auth.uid\n"
    "        && request.resource.data.title is string\n"
    "        && request.resource.data.title.size() > 0\n"
    "        && request.resource.data.keys().hasOnly(['author', 'title', 'published']);\n"
    "      allow update: if resource.data.author == request.auth.uid\n"
    "        && request.resource.data.author == resource.data.author\n"
    "        && request.resource.data.diff(resource.data).affectedKeys()"
    ".hasOnly(['title', 'published']);\n"
    "      allow delete: if resource.data.author == request.auth.uid"
    " && request.resource == null;\n"
    "    }"
)
STORY = {"author": "alice", "title": "New"}
DATA = [
    _d(
        "published story readable by anyone",
        PUBLISHED,
        Get("stories/s1"),
        True,
        actor=NOBODY,
        seed=STORIES,
    ),
    _d("draft readable by its author", PUBLISHED, Get("stories/s2"), True, actor=BOB, seed=STORIES),
    _d("draft unreadable by others", PUBLISHED, Get("stories/s2"), False, seed=STORIES),
    _d("missing document: resource.data errors", PUBLISHED, Get("stories/none"), False),
    _d("missing document: resource is null", MAY_BE_MISSING, Get("stories/none"), True),
    _d(
        "existing document: resource is not null",
        MAY_BE_MISSING,
        Get("stories/s1"),
        False,
        seed=STORIES,
    ),
    _d("valid create", STORY_WRITES, Create("stories/s3", STORY), True),
    _d(
        "create as someone else",
        STORY_WRITES,
        Create("stories/s3", {**STORY, "author": "bob"}),
        False,
    ),
    _d(
        "create with a non-string title",
        STORY_WRITES,
        Create("stories/s3", {**STORY, "title": 5}),
        False,
    ),
    _d(
        "create with an empty title",
        STORY_WRITES,
        Create("stories/s3", {**STORY, "title": ""}),
        False,
    ),
    _d("create with an extra field", STORY_WRITES, Create("stories/s3", {**STORY, "x": 1}), False),
    _d(
        "create missing a field errors",
        STORY_WRITES,
        Create("stories/s3", {"author": "alice"}),
        False,
    ),
    _d(
        "update by the author of allowed keys",
        STORY_WRITES,
        Update("stories/s1", {"title": "Renamed"}),
        True,
        seed=STORIES,
    ),
    _d(
        "update sees merged post-write data",
        STORY_WRITES,
        Update("stories/s1", {"published": False}),
        True,
        seed=STORIES,
    ),
    _d(
        "update changing the author",
        STORY_WRITES,
        Update("stories/s1", {"author": "bob"}),
        False,
        seed=STORIES,
    ),
    _d(
        "update adding a field",
        STORY_WRITES,
        Update("stories/s1", {"extra": 1}),
        False,
        seed=STORIES,
    ),
    _d(
        "update by someone else",
        STORY_WRITES,
        Update("stories/s2", {"title": "X"}),
        False,
        seed=STORIES,
    ),
    _d(
        "set of an existing document is judged as update",
        STORY_WRITES,
        Set("stories/s1", {"author": "alice", "title": "T", "published": True}),
        True,
        seed=STORIES,
    ),
    _d("delete by the author", STORY_WRITES, Delete("stories/s1"), True, seed=STORIES),
    _d("delete by someone else", STORY_WRITES, Delete("stories/s2"), False, seed=STORIES),
]

# https://firebase.google.com/docs/firestore/security/rules-conditions#access_other_documents
# get() and exists() read other documents by full path; get() of a missing document is null.
ACCESS_DOC = (
    "https://firebase.google.com/docs/firestore/security/rules-conditions#access_other_documents"
)
_g = partial(RulesCase, doc=ACCESS_DOC)
MEMBERS = {
    "rooms/r1": {"name": "Room"},
    "rooms/r1/members/alice": {"role": "admin"},
    "rooms/r1/members/bob": {"role": "member"},
    "rooms/r1/messages/m1": {"text": "hi"},
}
MEMBER_PATH = "/databases/$(database)/documents/rooms/$(roomId)/members/$(request.auth.uid)"
BY_MEMBERSHIP = (
    f"    match /rooms/{{roomId}}/messages/{{messageId}} {{\n"
    f"      allow get: if exists({MEMBER_PATH});\n"
    f"      allow delete: if get({MEMBER_PATH}).data.role == 'admin';\n"
    f"    }}"
)
NOT_EXISTS = (
    f"    match /rooms/{{roomId}}/messages/{{messageId}} {{\n"
    f"      allow get: if !exists({MEMBER_PATH});\n    }}"
)
GET_MISSING = (
    f"    match /rooms/{{roomId}}/messages/{{messageId}} {{\n"
    f"      allow get: if get({MEMBER_PATH}) == null;\n    }}"
)
ACCESS = [
    _g(
        "exists() of a member document",
        BY_MEMBERSHIP,
        Get("rooms/r1/messages/m1"),
        True,
        seed=MEMBERS,
    ),
    _g(
        "exists() of a missing document",
        BY_MEMBERSHIP,
        Get("rooms/r1/messages/m1"),
        False,
        actor=CAROL,
        seed=MEMBERS,
    ),
    _g(
        "exists() path with a null uid errors",
        BY_MEMBERSHIP,
        Get("rooms/r1/messages/m1"),
        False,
        actor=NOBODY,
        seed=MEMBERS,
    ),
    _g(
        "get().data of the member document",
        BY_MEMBERSHIP,
        Delete("rooms/r1/messages/m1"),
        True,
        seed=MEMBERS,
    ),
    _g(
        "get().data with another role",
        BY_MEMBERSHIP,
        Delete("rooms/r1/messages/m1"),
        False,
        actor=BOB,
        seed=MEMBERS,
    ),
    _g(
        "get() of a missing document: .data errors",
        BY_MEMBERSHIP,
        Delete("rooms/r1/messages/m1"),
        False,
        actor=CAROL,
        seed=MEMBERS,
    ),
    _g(
        "!exists() of a missing document",
        NOT_EXISTS,
        Get("rooms/r1/messages/m1"),
        True,
        actor=CAROL,
        seed=MEMBERS,
    ),
    _g(
        "get() of a missing document is null",
        GET_MISSING,
        Get("rooms/r1/messages/m1"),
        True,
        actor=CAROL,
        seed=MEMBERS,
    ),
]

# https://firebase.google.com/docs/firestore/security/rules-conditions#access_calls_limits
# "10 for single-document requests and query requests; 20 for multi-document reads,
# transactions, and batched writes."
LIMITS_DOC = (
    "https://firebase.google.com/docs/firestore/security/rules-conditions#access_calls_limits"
)
_l = partial(RulesCase, doc=LIMITS_DOC)


def _exists_chain(count: int, folder: str = "flags") -> str:
    """Rules whose condition reads ``count`` distinct documents of ``folder``."""
    calls = " && ".join(
        f"exists(/databases/$(database)/documents/{folder}/f{i})" for i in range(count)
    )
    return f"    match /{{c}}/{{id}} {{\n      allow get, write: if {calls};\n    }}"


FLAGS = {f"flags/f{i}": {"on": True} for i in range(12)}
PER_WRITE = "sets/$(id)/flags"  # each write of a batch reads its own ten documents


def _per_write_flags(writes: int) -> dict[str, dict]:
    return {f"sets/{w}/flags/f{i}": {} for w in range(writes) for i in range(10)}


LIMITS = [
    _l(
        "10 distinct document reads are allowed",
        _exists_chain(10),
        Get("probe/x"),
        True,
        seed=FLAGS,
    ),
    _l(
        "an 11th distinct document read denies",
        _exists_chain(11),
        Get("probe/x"),
        False,
        seed=FLAGS,
    ),
    _l(
        "a batch shares 20 reads: two writes of 10 each",
        _exists_chain(10, PER_WRITE),
        Batch((Create("a/0", {}), Create("a/1", {}))),
        True,
        seed=_per_write_flags(2),
    ),
    _l(
        "a batch over 20 distinct reads denies",
        _exists_chain(10, PER_WRITE),
        Batch((Create("a/0", {}), Create("a/1", {}), Create("a/2", {}))),
        False,
        seed=_per_write_flags(3),
    ),
    _l(
        "a transaction shares 20 reads too",
        _exists_chain(10, PER_WRITE),
        Transaction((Create("a/0", {}), Create("a/1", {}))),
        True,
        seed=_per_write_flags(2),
    ),
    _l(
        "a transaction over 20 distinct reads denies",
        _exists_chain(10, PER_WRITE),
        Transaction((Create("a/0", {}), Create("a/1", {}), Create("a/2", {}))),
        False,
        seed=_per_write_flags(3),
    ),
]

# https://firebase.google.com/docs/firestore/security/rules-conditions#access_other_documents
# getAfter() / existsAfter() see the database as if the whole batch succeeded, so a batch
# can create a room together with its first membership.
AFTER = (
    "    match /rooms/{roomId} {\n"
    "      allow create: if existsAfter(/databases/$(database)/documents/rooms/$(roomId)"
    "/members/$(request.auth.uid));\n"
    "      match /members/{uid} {\n"
    "        allow create: if uid == request.auth.uid\n"
    "          && getAfter(/databases/$(database)/documents/rooms/$(roomId)).data.owner"
    " == uid;\n"
    "      }\n"
    "    }"
)
ROOM = {"owner": "alice"}
LEAVE = (
    "    match /rooms/{roomId}/{kind}/{uid} {\n"
    "      allow delete: if uid == request.auth.uid && (kind == 'members'\n"
    "        || !existsAfter(/databases/$(database)/documents/rooms/$(roomId)/members/$(uid)));\n"
    "    }"
)
SEATED = {"rooms/r1/members/alice": {}, "rooms/r1/seats/alice": {}}
BATCHES = [
    _g(
        "batch: room and membership created together",
        AFTER,
        Batch((Create("rooms/r9", ROOM), Create("rooms/r9/members/alice", {}))),
        True,
    ),
    _g("room alone: existsAfter is false", AFTER, Create("rooms/r9", ROOM), False),
    _g(
        "batch: membership of someone else",
        AFTER,
        Batch((Create("rooms/r9", ROOM), Create("rooms/r9/members/bob", {}))),
        False,
    ),
    _g(
        "batch: getAfter sees the other write's data",
        AFTER,
        Batch((Create("rooms/r9", {"owner": "bob"}), Create("rooms/r9/members/alice", {}))),
        False,
    ),
    _g(
        "transaction: room and membership created together",
        AFTER,
        Transaction((Create("rooms/r9", ROOM), Create("rooms/r9/members/alice", {}))),
        True,
    ),
    _g(
        "batch: existsAfter sees a delete in the same batch",
        LEAVE,
        Batch((Delete("rooms/r1/members/alice"), Delete("rooms/r1/seats/alice"))),
        True,
        seed=SEATED,
    ),
    _g(
        "existsAfter: seat kept while the member document stays",
        LEAVE,
        Delete("rooms/r1/seats/alice"),
        False,
        seed=SEATED,
    ),
]

# https://firebase.google.com/docs/firestore/security/rules-conditions#custom_functions
# Functions take arguments, may declare let bindings, call other functions and see the
# wildcards of the match they are declared in.
FUNCTIONS_DOC = (
    "https://firebase.google.com/docs/firestore/security/rules-conditions#custom_functions"
)
_f = partial(RulesCase, doc=FUNCTIONS_DOC)
FUNCTIONS_RULES = (
    "    function signedIn() {\n      return request.auth != null;\n    }\n"
    "    function isUser(uid) {\n      return signedIn() && request.auth.uid == uid;\n    }\n"
    "    match /accounts/{accountId} {\n"
    "      function isOwner() {\n"
    "        let owner = resource.data.owner;\n"
    "        return isUser(owner) && accountId != 'locked';\n"
    "      }\n"
    "      allow get: if isOwner();\n"
    "      allow update: if isOwner() && isValid(request.resource.data);\n"
    "      function isValid(d) {\n        let n = d.balance;\n        return n is int && n >= 0;\n"
    "      }\n"
    "    }"
)
ACCOUNTS = {
    "accounts/a1": {"owner": "alice", "balance": 5},
    "accounts/locked": {"owner": "alice", "balance": 5},
}
FUNCTIONS = [
    _f("function chain grants", FUNCTIONS_RULES, Get("accounts/a1"), True, seed=ACCOUNTS),
    _f(
        "function sees the match wildcard",
        FUNCTIONS_RULES,
        Get("accounts/locked"),
        False,
        seed=ACCOUNTS,
    ),
    _f(
        "function argument mismatch",
        FUNCTIONS_RULES,
        Get("accounts/a1"),
        False,
        actor=BOB,
        seed=ACCOUNTS,
    ),
    _f(
        "signed out through nested function",
        FUNCTIONS_RULES,
        Get("accounts/a1"),
        False,
        actor=NOBODY,
        seed=ACCOUNTS,
    ),
    _f(
        "let binding on post-write data",
        FUNCTIONS_RULES,
        Update("accounts/a1", {"balance": 7}),
        True,
        seed=ACCOUNTS,
    ),
    _f(
        "let binding rejecting a negative value",
        FUNCTIONS_RULES,
        Update("accounts/a1", {"balance": -1}),
        False,
        seed=ACCOUNTS,
    ),
    _f(
        "let binding rejecting a wrong type",
        FUNCTIONS_RULES,
        Update("accounts/a1", {"balance": "many"}),
        False,
        seed=ACCOUNTS,
    ),
]

# https://firebase.google.com/docs/firestore/security/rules-conditions#data_validation
# request.time is the time the server received the request; a server timestamp written by
# the request equals it.
TIME_RULES = (
    "    match /posts/{postId} {\n"
    "      allow create: if request.resource.data.createdAt == request.time;\n"
    "      allow update: if request.time > resource.data.createdAt + duration.value(1, 's');\n"
    "    }"
)
TIMES = [
    _d(
        "server timestamp equals request.time",
        TIME_RULES,
        Create("posts/p1", {"createdAt": SERVER_TIME}),
        True,
    ),
    _d(
        "client timestamp differs from request.time",
        TIME_RULES,
        Create("posts/p1", {"createdAt": "yesterday"}),
        False,
    ),
    _d(
        "request.time after a stored time plus a duration",
        TIME_RULES,
        Update("posts/p1", {"title": "x"}),
        True,
        seed={"posts/p1": {"createdAt": Timestamp(1_700_000_000)}},
    ),
    _d(
        "request.time before a stored future time",
        TIME_RULES,
        Update("posts/p1", {"title": "x"}),
        False,
        seed={"posts/p1": {"createdAt": Timestamp(4_000_000_000)}},
    ),
]

# https://firebase.google.com/docs/reference/rules/rules.firestore.Request
# request.method is one of get, list, create, update, delete; request.path is the path of
# the affected document; resource.__name__ is the stored document's full path.
REQUEST_DOC = "https://firebase.google.com/docs/reference/rules/rules.firestore.Request"
_r = partial(RulesCase, doc=REQUEST_DOC)
BY_METHOD = (
    "    match /cities/{city} {\n"
    "      allow read, write: if request.method in ['get', 'update'];\n    }"
)
BY_PATH = (
    "    match /cities/{city} {\n"
    "      allow read, write: if request.path == /databases/$(database)/documents/cities/SF\n"
    "        && request.path[4] == city;\n    }"
)
CITY = {"cities/SF": {"name": "SF"}, "cities/LA": {"name": "LA"}}
REQUEST = [
    _r("request.method get", BY_METHOD, Get("cities/SF"), True, seed=CITY),
    _r("request.method update", BY_METHOD, Update("cities/SF", {"name": "S"}), True, seed=CITY),
    _r("request.method create", BY_METHOD, Create("cities/NY", {"name": "N"}), False),
    _r("request.method delete", BY_METHOD, Delete("cities/SF"), False, seed=CITY),
    _r("request.path of the document", BY_PATH, Get("cities/SF"), True, seed=CITY),
    _r("request.path of another document", BY_PATH, Get("cities/LA"), False, seed=CITY),
    _r("request.path on a write", BY_PATH, Set("cities/SF", {"name": "x"}), True, seed=CITY),
]

CONDITION_CASES = AUTH + DATA + ACCESS + LIMITS + BATCHES + FUNCTIONS + TIMES + REQUEST
