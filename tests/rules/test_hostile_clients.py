"""A hostile client against firestore.rules over the wire: the requests an SDK would not
send but a script can (verify-only commits, batchGet, listCollectionIds, several stamp
writes in one batch). Each must be refused and leave the seeded world unchanged."""

from __future__ import annotations

import datetime as dt

from tests.rules.world import CLOUD_URL
from tests.support.firestore_rest import SERVER_TIME, FirestoreRest


def message(uid: str, text: str = "hi") -> dict[str, object]:
    return {
        "authorId": uid,
        "kind": "text",
        "text": text,
        "attachments": [],
        "createdAt": SERVER_TIME,
        "parentId": None,
    }


def stamp(message_id: str, slot: str) -> dict[str, object]:
    return {"lastMessageAt": SERVER_TIME, "lastMessageId": message_id, slot: SERVER_TIME}


def test_two_stamp_writes_cannot_vouch_for_two_messages(
    firestore: FirestoreRest, world: dt.datetime
) -> None:
    """mia sends two messages in one batch, each preceded by its own stamp write."""
    path = "rooms/r1/rateLimits/mia"
    writes = [
        firestore.merge_write(path, stamp("x1", "slot0")),
        firestore.create_write("rooms/r1/messages/x1", message("mia")),
        firestore.merge_write(path, stamp("x2", "slot0")),
        firestore.create_write("rooms/r1/messages/x2", message("mia")),
    ]
    before = firestore.read(path)
    assert firestore.commit(writes, "mia").status_code == 403
    assert firestore.read("rooms/r1/messages/x1") is None
    assert firestore.read("rooms/r1/messages/x2") is None
    assert firestore.read(path) == before


def test_a_verify_is_no_oracle_for_documents_one_cannot_read(
    firestore: FirestoreRest, world: dt.datetime
) -> None:
    """A commit of verify writes only: sam (not in r1) must not learn whether a member
    document or a report exists from the answer."""
    root = firestore.root

    def verify(path: str, exists: bool) -> int:
        write = {"verify": f"{root}/{path}", "currentDocument": {"exists": exists}}
        return firestore.commit([write], "sam").status_code

    answers = {
        (path, exists): verify(path, exists)
        for path in ("rooms/r1/members/mia", "rooms/r1/members/nobody", "rooms/r1/reports/rep1")
        for exists in (True, False)
    }
    assert set(answers.values()) == {403}, answers


def test_batch_get_of_others_documents_is_denied(
    firestore: FirestoreRest, world: dt.datetime
) -> None:
    root = firestore.root
    response = firestore.http.post(
        f"/v1/{root}:batchGet",
        json={"documents": [f"{root}/rooms/r1/messages/m-alice", f"{root}/rooms/r2"]},
        headers=firestore.credentials("mia"),
    )
    if response.status_code == 200:
        for item in response.json():
            assert "found" not in item or item["found"]["name"].endswith(
                "rooms/r1/messages/m-alice"
            )
    else:
        assert response.status_code == 403


def test_collection_ids_are_not_listed_for_clients(
    firestore: FirestoreRest, world: dt.datetime
) -> None:
    response = firestore.http.post(
        f"/v1/{firestore.root}/rooms/r1:listCollectionIds",
        json={},
        headers=firestore.credentials("sam"),
    )
    assert response.status_code == 403, response.text


def test_an_attachment_of_another_room_or_cloud_is_refused(
    firestore: FirestoreRest, world: dt.datetime
) -> None:
    for url in (
        CLOUD_URL.replace("/rooms/r1/", "/rooms/r2/"),
        CLOUD_URL.replace("demo-flowchat", "evil-cloud"),
        CLOUD_URL.replace("/rooms/r1/", "/rooms/r1/../r2/"),
        CLOUD_URL.replace("/rooms/r1/", "/rooms/r1/%2e%2e/r2/"),
        CLOUD_URL.replace("/rooms/r1/", "/avatars/mia/"),
        CLOUD_URL.replace("https://", "http://"),
        CLOUD_URL + "?x=1",
        CLOUD_URL.replace("res.cloudinary.com", "res.cloudinary.com.evil.example"),
        # a transformation FlowChat never makes: each reader's browser would have Cloudinary
        # derive (and bill) it
        CLOUD_URL.replace("/upload/", "/upload/c_scale,w_9000/"),
        CLOUD_URL.replace("/upload/", "/upload/c_fill,g_auto,h_320,w_320,e_blur/"),
        CLOUD_URL.replace("/upload/", "/upload/c_fill,g_auto,h_320,w_320/c_scale,w_9000/"),
    ):
        attachment = {
            "kind": "image",
            "url": url,
            "name": "cat.jpg",
            "contentType": "image/jpeg",
            "size": 10,
        }
        data = {**message("mia", ""), "kind": "image", "attachments": [attachment]}
        writes = [
            firestore.merge_write("rooms/r1/rateLimits/mia", stamp("img", "slot0")),
            firestore.create_write("rooms/r1/messages/img", data),
        ]
        assert firestore.commit(writes, "mia").status_code == 403, url
        assert firestore.read("rooms/r1/messages/img") is None


def test_a_precondition_is_no_oracle_either(firestore: FirestoreRest, world: dt.datetime) -> None:
    """updateDoc (exists: true) and a create (exists: false) on documents sam may not read
    are refused alike, whether they exist or not; a member still learns what it may read."""
    answers = {
        (path, write): firestore.commit([make(path, {"role": "owner"})], "sam").status_code
        for path in ("rooms/r1/members/mia", "rooms/r1/members/nobody")
        for write, make in (("update", firestore.update_write), ("create", firestore.create_write))
    }
    assert set(answers.values()) == {403}, answers
    missing = firestore.update_write("rooms/r1/messages/nope", {"text": "x"})
    assert firestore.commit([missing], "mia").status_code == 404
    assert firestore.read("rooms/r1/members/nobody") is None
