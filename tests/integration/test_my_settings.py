"""get_my_settings reads back what set_add_policy, block_user and mute_user set: the caller's
own settings only, in the order they were set, and nothing for anyone else."""

from __future__ import annotations


def settings_of(call, uid: str) -> dict:
    out = call("get_my_settings", {}, uid=uid)
    assert out.ok, out.body
    return out.result


def test_a_new_account_has_the_default_policy_and_no_blocks_or_mutes(call, new_user) -> None:
    me = new_user(add_policy=None)
    assert settings_of(call, me["uid"]) == {
        "addPolicy": "shared",
        "blockedUserIds": [],
        "mutedUserIds": [],
    }


def test_what_the_caller_set_is_read_back(call, new_user) -> None:
    me, first, second, third = (new_user() for _ in range(4))
    assert call("set_add_policy", {"policy": "nobody"}, uid=me["uid"]).ok
    for other in (second, first):
        assert call("block_user", {"userId": other["uid"]}, uid=me["uid"]).ok
    assert call("mute_user", {"userId": third["uid"]}, uid=me["uid"]).ok
    found = settings_of(call, me["uid"])
    assert found["addPolicy"] == "nobody"
    assert set(found["blockedUserIds"]) == {first["uid"], second["uid"]}
    assert found["mutedUserIds"] == [third["uid"]]

    assert call("unblock_user", {"userId": second["uid"]}, uid=me["uid"]).ok
    assert call("unmute_user", {"userId": third["uid"]}, uid=me["uid"]).ok
    assert call("set_add_policy", {"policy": "anyone"}, uid=me["uid"]).ok
    assert settings_of(call, me["uid"]) == {
        "addPolicy": "anyone",
        "blockedUserIds": [first["uid"]],
        "mutedUserIds": [],
    }


def test_others_settings_do_not_show(call, new_user) -> None:
    me, other = new_user(), new_user()
    assert call("block_user", {"userId": me["uid"]}, uid=other["uid"]).ok
    assert call("mute_user", {"userId": me["uid"]}, uid=other["uid"]).ok
    found = settings_of(call, me["uid"])
    assert found["blockedUserIds"] == [] and found["mutedUserIds"] == []
    assert settings_of(call, other["uid"])["blockedUserIds"] == [me["uid"]]


def test_signed_out_and_bad_input_are_refused(call, new_user) -> None:
    assert call("get_my_settings", {}).status == "UNAUTHENTICATED"
    me = new_user()
    out = call("get_my_settings", {"uid": "someone-else"}, uid=me["uid"])
    assert out.status == "INVALID_ARGUMENT"
