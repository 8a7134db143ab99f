"""Cases about list queries, judged against the query's constraints, not stored data."""

from __future__ import annotations

from functools import partial

from tests.emulator.firestore_rules.case_types import BOB, CAROL, NOBODY, Query, RulesCase

# https://firebase.google.com/docs/firestore/security/rules-query
# "Rules are not filters": a query is allowed only when the rules hold for every document
# it could return, judged from its filters; a query that could return a forbidden document
# fails entirely, even when no stored document would be forbidden.
QUERY_DOC = "https://firebase.google.com/docs/firestore/security/rules-query"
_q = partial(RulesCase, doc=QUERY_DOC)
STORIES = (
    "    match /stories/{storyid} {\n"
    "      allow list: if resource.data.author == request.auth.uid\n"
    "        || resource.data.published == true;\n"
    "    }"
)
ALL_PUBLISHED = {
    "stories/s1": {"author": "alice", "published": True, "title": "x"},
    "stories/s2": {"author": "bob", "published": True, "title": "y"},
}
AUTHOR_IS_ME = ("author", "==", "alice")
FILTERS = [
    _q(
        "filter on the author", STORIES, Query("stories", (AUTHOR_IS_ME,)), True, seed=ALL_PUBLISHED
    ),
    _q(
        "filter on published",
        STORIES,
        Query("stories", (("published", "==", True),)),
        True,
        seed=ALL_PUBLISHED,
    ),
    _q(
        "no filter is denied although every stored story passes",
        STORIES,
        Query("stories"),
        False,
        seed=ALL_PUBLISHED,
    ),
    _q(
        "filter on another author",
        STORIES,
        Query("stories", (("author", "==", "bob"),)),
        False,
        seed=ALL_PUBLISHED,
    ),
    _q(
        "filter published == false", STORIES, Query("stories", (("published", "==", False),)), False
    ),
    _q(
        "filter on an unrelated field",
        STORIES,
        Query("stories", (("title", "==", "x"),)),
        False,
        seed=ALL_PUBLISHED,
    ),
    _q(
        "author filter plus another filter",
        STORIES,
        Query("stories", (AUTHOR_IS_ME, ("title", "==", "x"))),
        True,
    ),
    _q("in with only the author", STORIES, Query("stories", (("author", "in", ["alice"]),)), True),
    _q(
        "in with another author too",
        STORIES,
        Query("stories", (("author", "in", ["alice", "bob"]),)),
        False,
    ),
    _q(
        "signed out: author filter cannot match a null uid",
        STORIES,
        Query("stories", (AUTHOR_IS_ME,)),
        False,
        actor=NOBODY,
    ),
    _q(
        "OR query: every disjunct allowed",
        STORIES,
        Query("stories", any_of=((AUTHOR_IS_ME,), (("published", "==", True),))),
        True,
    ),
    _q(
        "OR query: one disjunct unconstrained",
        STORIES,
        Query("stories", any_of=((AUTHOR_IS_ME,), (("title", "==", "x"),))),
        False,
    ),
]

LIMITED = "    match /posts/{postId} {\n      allow list: if request.query.limit <= 10;\n    }"
OFFSET = (
    "    match /posts/{postId} {\n"
    "      allow list: if request.query.offset == null || request.query.offset < 100;\n"
    "    }"
)
QUERY_PROPERTIES = [
    _q("limit within the rule", LIMITED, Query("posts", limit=5), True),
    _q("limit at the bound", LIMITED, Query("posts", limit=10), True),
    _q("limit over the rule", LIMITED, Query("posts", limit=20), False),
    _q("no limit: null <= 10 errors", LIMITED, Query("posts"), False),
    _q("no offset", OFFSET, Query("posts"), True),
    _q("small offset", OFFSET, Query("posts", offset=5), True),
    _q("large offset", OFFSET, Query("posts", offset=500), False),
]

RANGE = "    match /scores/{id} {\n      allow list: if resource.data.score >= 10;\n    }"
NOT_DELETED = (
    "    match /items/{id} {\n      allow list: if resource.data.status != 'deleted';\n    }"
)
VISIBLE = (
    "    match /docs/{id} {\n"
    "      allow list: if resource.data.visibility in ['public', 'team'];\n    }"
)
MEMBERSHIP = (
    "    match /groups/{id} {\n"
    "      allow list: if request.auth.uid in resource.data.members;\n    }"
)
NESTED = (
    "    match /notes/{id} {\n"
    "      allow list: if resource.data.meta.owner == request.auth.uid;\n    }"
)
TYPED = "    match /tags/{id} {\n      allow list: if resource.data.tag is string;\n    }"
HAS_OWNER = (
    "    match /things/{id} {\n"
    "      allow list: if 'owner' in resource.data && resource.data.owner == request.auth.uid;\n"
    "    }"
)
OPERATORS = [
    _q("is check from an equality filter", TYPED, Query("tags", (("tag", "==", "a"),)), True),
    _q("is check from a filter of another type", TYPED, Query("tags", (("tag", "==", 1),)), False),
    _q("is check without a filter", TYPED, Query("tags"), False),
    _q(
        "key presence without a filter on the key",
        HAS_OWNER,
        Query("things", (("color", "==", "red"),)),
        False,
    ),
    _q("range inside the rule's range", RANGE, Query("scores", (("score", ">=", 20),)), True),
    _q("strict range at the bound", RANGE, Query("scores", (("score", ">", 10),)), True),
    _q("range wider than the rule's", RANGE, Query("scores", (("score", ">=", 5),)), False),
    _q("equality inside the range", RANGE, Query("scores", (("score", "==", 15),)), True),
    _q("in list inside the range", RANGE, Query("scores", (("score", "in", [10, 11]),)), True),
    _q("upper bound only", RANGE, Query("scores", (("score", "<", 50),)), False),
    _q(
        "!= rule with an equality filter",
        NOT_DELETED,
        Query("items", (("status", "==", "active"),)),
        True,
    ),
    _q(
        "!= rule with an in filter",
        NOT_DELETED,
        Query("items", (("status", "in", ["a", "b"]),)),
        True,
    ),
    _q(
        "!= rule with a not-in filter",
        NOT_DELETED,
        Query("items", (("status", "not-in", ["deleted"]),)),
        True,
    ),
    _q(
        "!= rule with a != filter",
        NOT_DELETED,
        Query("items", (("status", "!=", "deleted"),)),
        True,
    ),
    _q("!= rule without a filter", NOT_DELETED, Query("items"), False),
    _q(
        "!= rule with the forbidden value",
        NOT_DELETED,
        Query("items", (("status", "==", "deleted"),)),
        False,
    ),
    _q(
        "in rule with an equality filter",
        VISIBLE,
        Query("docs", (("visibility", "==", "public"),)),
        True,
    ),
    _q(
        "in rule with a subset in filter",
        VISIBLE,
        Query("docs", (("visibility", "in", ["public", "team"]),)),
        True,
    ),
    _q(
        "in rule with a wider in filter",
        VISIBLE,
        Query("docs", (("visibility", "in", ["public", "private"]),)),
        False,
    ),
    _q(
        "array-contains the caller",
        MEMBERSHIP,
        Query("groups", (("members", "array-contains", "alice"),)),
        True,
    ),
    _q(
        "array-contains someone else",
        MEMBERSHIP,
        Query("groups", (("members", "array-contains", "bob"),)),
        False,
    ),
    _q("membership rule without a filter", MEMBERSHIP, Query("groups"), False),
    _q("nested field filter", NESTED, Query("notes", (("meta.owner", "==", "alice"),)), True),
    _q(
        "nested field filter for another owner",
        NESTED,
        Query("notes", (("meta.owner", "==", "alice"),)),
        False,
        actor=BOB,
    ),
]

# https://firebase.google.com/docs/firestore/security/rules-query#collection_group_queries_and_security_rules
# A collection group query needs a rule with a recursive wildcard in front of the collection
# (rules_version 2); rules on one parent path do not cover it.
GROUP_DOC = QUERY_DOC + "#collection_group_queries_and_security_rules"
_cg = partial(RulesCase, doc=GROUP_DOC)
GROUP_RULES = (
    "    match /{path=**}/posts/{post} {\n      allow read: if resource.data.public == true;\n    }"
)
PARENT_RULES = "    match /users/{uid}/posts/{post} {\n      allow read: if true;\n    }"
POSTS = {"users/alice/posts/p1": {"public": True}}
GROUPS = [
    _cg(
        "collection group query matching the rule",
        GROUP_RULES,
        Query("posts", (("public", "==", True),), group=True),
        True,
        seed=POSTS,
    ),
    _cg(
        "collection group query without the filter",
        GROUP_RULES,
        Query("posts", group=True),
        False,
        seed=POSTS,
    ),
    _cg(
        "recursive rule also covers a plain query",
        GROUP_RULES,
        Query("users/alice/posts", (("public", "==", True),)),
        True,
        seed=POSTS,
    ),
    _cg(
        "parent-path rule does not cover the group",
        PARENT_RULES,
        Query("posts", group=True),
        False,
        seed=POSTS,
    ),
    _cg(
        "parent-path rule covers the plain query",
        PARENT_RULES,
        Query("users/alice/posts"),
        True,
        seed=POSTS,
    ),
]

MEMBERS_ONLY = (
    "    match /rooms/{roomId}/messages/{messageId} {\n"
    "      allow list: if exists(/databases/$(database)/documents/rooms/$(roomId)/members/"
    "$(request.auth.uid));\n"
    "    }"
)
BY_ID = (
    "    match /rooms/{roomId}/messages/{messageId} {\n"
    "      allow list: if messageId == 'm1';\n    }"
)
ROOM = {"rooms/r1/members/alice": {}, "rooms/r1/messages/m1": {"text": "hi"}}
OWN_ROOMS = (
    "    match /users/{uid}/rooms/{roomId} {\n      allow list: if uid == request.auth.uid;\n    }"
)
PATHS = [
    _q("parent wildcard is known to a query", OWN_ROOMS, Query("users/alice/rooms"), True),
    _q("parent wildcard of another user", OWN_ROOMS, Query("users/bob/rooms"), False),
    _q(
        "list under a room the caller belongs to",
        MEMBERS_ONLY,
        Query("rooms/r1/messages"),
        True,
        seed=ROOM,
    ),
    _q(
        "list under a room of others",
        MEMBERS_ONLY,
        Query("rooms/r1/messages"),
        False,
        actor=CAROL,
        seed=ROOM,
    ),
    _q(
        "document-id wildcard is unknown to a query",
        BY_ID,
        Query("rooms/r1/messages"),
        False,
        seed=ROOM,
    ),
]

QUERY_CASES = FILTERS + QUERY_PROPERTIES + OPERATORS + GROUPS + PATHS
