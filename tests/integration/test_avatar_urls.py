"""update_profile: an avatar only from the caller's avatar folder of the configured cloud."""

from __future__ import annotations

import uuid

import pytest

BASE = "https://res.cloudinary.com/demo-flowchat/image/upload"
THUMB = "c_thumb,g_face,h_128,w_128"


def own(uid: str, rest: str = "v3/flowchat/avatars/{uid}/me.jpg") -> str:
    return f"{BASE}/{rest.format(uid=uid)}"


REFUSED = [
    "v3/flowchat/avatars/{uid}/../../../../../other-cloud/image/upload/x.jpg",
    "v3/flowchat/avatars/{uid}/%2e%2e/%2E%2E/x.jpg",
    "v3/flowchat/avatars/{uid}/.%2e/x.jpg",
    "v3/flowchat/avatars/{uid}/./me.jpg",
    "v3/flowchat/avatars/{uid}/sub/me.jpg",
    "v3/flowchat/avatars/someone-else/me.jpg",
    "v3/flowchat/rooms/{uid}/me.jpg",
    "v3/me.jpg",
    "v3/flowchat/avatars/{uid}/me.jpg?x=1",
    "v3/flowchat/avatars/{uid}/me.jpg#frag",
]


@pytest.mark.parametrize("rest", REFUSED)
def test_avatar_outside_the_own_folder_is_refused(call, counts, firestore, new_user, rest) -> None:
    user = new_user()
    before = counts()
    out = call("update_profile", {"avatarUrl": own(user["uid"], rest)}, uid=user["uid"])
    assert out.status == "INVALID_ARGUMENT"
    assert counts() == before
    assert firestore.document(f"users/{user['uid']}").get().get("avatarUrl") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://res.cloudinary.com/other-cloud/image/upload/v3/flowchat/avatars/{uid}/me.jpg",
        "http://res.cloudinary.com/demo-flowchat/image/upload/v3/flowchat/avatars/{uid}/me.jpg",
        "https://res.cloudinary.com.evil.example/demo-flowchat/image/upload/v3/flowchat/avatars/{uid}/me.jpg",
        "https://res.cloudinary.com/demo-flowchat/video/upload/v3/flowchat/avatars/{uid}/me.mp4",
        "https://res.cloudinary.com/demo-flowchat/raw/upload/v3/flowchat/avatars/{uid}/me.html",
    ],
)
def test_avatar_of_another_cloud_host_or_type_is_refused(call, counts, new_user, url) -> None:
    user = new_user()
    before = counts()
    out = call("update_profile", {"avatarUrl": url.format(uid=user["uid"])}, uid=user["uid"])
    assert out.status == "INVALID_ARGUMENT"
    assert counts() == before


def test_own_avatar_is_accepted_with_a_thumbnail(call, firestore, new_user) -> None:
    user = new_user()
    url = own(user["uid"])
    out = call("update_profile", {"avatarUrl": url}, uid=user["uid"]).result
    thumb = own(user["uid"], f"{THUMB}/v3/flowchat/avatars/{{uid}}/me.jpg")
    assert (out["avatarUrl"], out["avatarThumbUrl"]) == (url, thumb)
    profile = firestore.document(f"users/{user['uid']}").get().to_dict()
    assert (profile["avatarUrl"], profile["avatarThumbUrl"]) == (url, thumb)


def test_another_users_avatar_folder_is_refused(call, counts, new_user) -> None:
    user, other = new_user(), str(uuid.uuid4())
    before = counts()
    out = call("update_profile", {"avatarUrl": own(other)}, uid=user["uid"])
    assert out.status == "INVALID_ARGUMENT"
    assert counts() == before
