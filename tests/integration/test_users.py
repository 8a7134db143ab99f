"""search_users and blocks."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def people(new_user):
    """A searcher and a few users with related names."""
    tag = uuid.uuid4().hex[:6]
    me = new_user(prefix=f"me{tag}")
    names = {
        "marta": new_user(display_name=f"Marta {tag}", prefix=f"marta{tag}"),
        "martin": new_user(display_name=f"Martin {tag}", prefix=f"martin{tag}"),
        "mart_typo": new_user(display_name=f"Mratin {tag}", prefix=f"zz{tag}"),
        "other": new_user(display_name="Someone Else", prefix=f"other{tag}"),
    }
    return tag, me, names


def _uids(result) -> set[str]:
    return {u["uid"] for u in result["users"]}


def test_prefix_search_on_username(call, people) -> None:
    tag, me, names = people
    out = call("search_users", {"query": "mart"}, uid=me["uid"]).result
    found = _uids(out)
    assert {names["marta"]["uid"], names["martin"]["uid"]} <= found
    assert me["uid"] not in found
    user = next(u for u in out["users"] if u["uid"] == names["marta"]["uid"])
    assert set(user) == {"uid", "username", "displayName", "avatarUrl"}


def test_prefix_and_fuzzy_search_on_display_name(call, people) -> None:
    tag, me, names = people
    exact = call("search_users", {"query": f"martin {tag}"}, uid=me["uid"]).result
    assert exact["users"][0]["uid"] == names["martin"]["uid"]
    fuzzy = call("search_users", {"query": f"mratin {tag}"}, uid=me["uid"]).result
    assert names["mart_typo"]["uid"] in _uids(fuzzy)
    assert names["other"]["uid"] not in _uids(fuzzy)


def test_blocked_users_are_hidden_both_ways(call, counts, rows, people) -> None:
    tag, me, names = people
    marta, martin = names["marta"]["uid"], names["martin"]["uid"]
    assert call("block_user", {"userId": marta}, uid=me["uid"]).result["changed"] is True
    assert call("block_user", {"userId": me["uid"]}, uid=martin).ok
    found = _uids(call("search_users", {"query": "mart"}, uid=me["uid"]).result)
    assert marta not in found and martin not in found
    assert me["uid"] not in _uids(call("search_users", {"query": f"me{tag}"}, uid=marta).result)
    assert rows(
        "SELECT 1 FROM audit_log WHERE actor_id = :u AND action = 'user_blocked'", u=me["uid"]
    )
    before = counts()
    assert call("block_user", {"userId": marta}, uid=me["uid"]).result["changed"] is False
    assert counts() == before
    assert call("unblock_user", {"userId": marta}, uid=me["uid"]).result["changed"] is True
    assert marta in _uids(call("search_users", {"query": "mart"}, uid=me["uid"]).result)


def test_search_pages_with_a_cursor(call, new_user) -> None:
    tag = uuid.uuid4().hex[:6]
    me = new_user()
    made = {new_user(prefix=f"pg{tag}{i}")["uid"] for i in range(7)}
    seen, cursor = [], None
    for _ in range(10):
        page = call(
            "search_users", {"query": f"pg{tag}", "limit": 3, "cursor": cursor}, uid=me["uid"]
        ).result
        seen += [u["uid"] for u in page["users"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7 and set(seen) == made


@pytest.mark.parametrize(
    "data",
    [
        {"query": "a"},
        {"query": "x" * 65},
        {},
        {"query": "ab", "limit": 51},
        {"query": "ab", "cursor": "%%"},
        {"query": "ab", "cursor": "WzUwMDBd"},
        {"query": "ab", "cursor": "WzBd"},
    ],
)
def test_search_rejects_bad_input(call, new_user, data) -> None:
    me = new_user()
    assert call("search_users", data, uid=me["uid"]).status == "INVALID_ARGUMENT"


def test_like_wildcards_in_the_query_are_literal(call, people) -> None:
    _, me, names = people
    assert call("search_users", {"query": "%%%%"}, uid=me["uid"]).result["users"] == []


def test_block_rejects_bad_targets(call, counts, new_user) -> None:
    me = new_user()
    before = counts()
    assert call("block_user", {"userId": me["uid"]}, uid=me["uid"]).status == "INVALID_ARGUMENT"
    assert call("block_user", {"userId": str(uuid.uuid4())}, uid=me["uid"]).status == "NOT_FOUND"
    assert call("unblock_user", {"userId": "x"}, uid=me["uid"]).status == "INVALID_ARGUMENT"
    assert counts() == before


def test_prefix_matches_come_before_fuzzy_ones_and_follow_renames(call, rows, new_user) -> None:
    """A word of the name starting with the query ranks before a typo match; a rename
    moves the user's prefix entries (migration 0022's trigger) in the same transaction."""
    tag = uuid.uuid4().hex[:6]
    me = new_user()
    typo = new_user(display_name=f"Lvoelace {tag}")["uid"]
    prefixed = new_user(display_name=f"Ada Lovelace {tag}")["uid"]
    found = [
        u["uid"]
        for u in call("search_users", {"query": f"love {tag}"}, uid=me["uid"]).result["users"]
    ]
    # "love tag" is no word prefix of "lovelace tag": a fuzzy match, and the typo is not one.
    assert found == [prefixed], found
    found = [
        u["uid"]
        for u in call("search_users", {"query": f"lovelace {tag}"}, uid=me["uid"]).result["users"]
    ]
    assert found[0] == prefixed and typo in found, found
    assert call("update_profile", {"displayName": f"Grace Hopper {tag}"}, uid=prefixed).ok
    tails = {
        r.tail for r in rows("SELECT tail FROM user_search_tails WHERE user_id = :u", u=prefixed)
    }
    assert f"hopper {tag}" in tails and not any("lovelace" in t for t in tails), tails
    found = [
        u["uid"]
        for u in call("search_users", {"query": f"hopp {tag}"}, uid=me["uid"]).result["users"]
    ]
    assert found == [prefixed], found
